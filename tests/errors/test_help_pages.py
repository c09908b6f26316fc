"""Help pages live inside the site's layout (header, a way back) and show each message as a filled
example, never a raw {placeholder}."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from syncs.errors import all_errors
from syncs.errors.examples import EXAMPLE_VALUES, error_example_message

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")

pytestmark = pytest.mark.django_db


def test_every_placeholder_in_the_catalogue_has_an_example_value():
    missing = {name for entry in all_errors() for name in entry.placeholders} - set(EXAMPLE_VALUES)
    assert not missing, f"add example values for {sorted(missing)} to syncs/errors/examples.py"


@pytest.mark.parametrize("language", ["en", "sv"])
def test_no_help_page_shows_a_raw_placeholder(client, language):
    client.cookies["django_language"] = language
    for entry in all_errors():
        page = client.get(reverse("help:error_detail", args=[entry.code]), HTTP_ACCEPT_LANGUAGE=language)
        body = page.content.decode()
        assert page.status_code == 200
        assert not PLACEHOLDER.search(body), (entry.code, PLACEHOLDER.findall(body))
        assert escape(error_example_message(entry).split(" ")[0]) in body


def test_help_pages_have_the_site_header_and_a_way_back(client):
    for url in (reverse("help:error_list"), reverse("help:error_detail", args=["MAP-001"])):
        body = client.get(url).content.decode()
        assert 'class="brand"' in body and reverse("merchant:home") in body
        assert "junipeer_bc/site.css" in body and "junipeer_bc/help.css" in body
