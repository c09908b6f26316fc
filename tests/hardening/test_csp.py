"""Every page carries a Content-Security-Policy without 'unsafe-inline'; templates hold no inline code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/login/", "/signup/", "/help/errors/", "/admin/login/"])
def test_pages_carry_a_strict_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and directives["frame-ancestors"] == "'none'"


INLINE = re.compile(r"<style|<script(?![^>]*\bsrc=)|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)


def test_no_template_has_inline_scripts_styles_or_handlers():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_forms_may_be_redirected_to_the_identity_platform_and_shop_admins_only(client, settings):
    # Browsers apply form-action to a form post's redirects: "Continue to Microsoft" needs the authority,
    # "Connect Shopify" every shop's admin (the shop's install page).
    settings.ENTRA_AUTHORITY_HOST = "https://login.example-cloud.test:8443/"
    settings.SHOPIFY_API_ROOT = ""

    policy = client.get("/accounts/login/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["form-action"].split() == [
        "'self'",
        "https://login.example-cloud.test:8443",
        "https://*.myshopify.com",
    ]


def test_a_configured_shopify_admin_root_is_a_form_target(client, settings):
    # A simulator (or proxy) that replaces the shop host serves the install page from its own origin.
    settings.SHOPIFY_API_ROOT = "http://127.0.0.1:8103/"

    policy = client.get("/signup/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "http://127.0.0.1:8103" in directives["form-action"].split()
    assert "https://*.myshopify.com" in directives["form-action"].split()
