"""Let forms leave the site for the sign-in and install pages our answers redirect to, and nowhere else.

The Content-Security-Policy says forms post back to us (`form-action 'self'`). Browsers apply
`form-action` to the redirects that follow a form post as well, so "Continue to Microsoft" (a post
to us, answered with a redirect to the Microsoft identity platform) would stop in the browser. The
identity platform's origin is read from settings on every response, so a changed authority (a
sovereign cloud, a test's simulator) is allowed without restarting.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def origin_of(url: str) -> str | None:
    """`https://host[:port]` of an absolute URL; None for anything else."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


# "Connect Shopify" posts to us and is answered with a redirect to the shop's install page.
SHOPIFY_ADMIN_ORIGINS = "https://*.myshopify.com"


def form_targets() -> list[str]:
    """The origins, besides our own, that a form post may be redirected to: the Microsoft identity
    platform, every shop's admin (``https://*.myshopify.com``) and, when SHOPIFY_API_ROOT replaces
    the shop host (a simulator, a proxy), that origin."""
    origins = [origin_of(settings.ENTRA_AUTHORITY_HOST), SHOPIFY_ADMIN_ORIGINS, origin_of(settings.SHOPIFY_API_ROOT)]
    return list(dict.fromkeys(origin for origin in origins if origin))


class FormTargetsMiddleware:
    """Adds the sign-in origins to the response's `form-action` (django-csp reads `_csp_update`)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        targets = form_targets()
        if targets:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *targets]
            response._csp_update = update
        return response
