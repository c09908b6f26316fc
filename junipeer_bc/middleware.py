"""Refuse requests whose parameters no page can use, before any view sees them.

A NUL byte (PostgreSQL refuses it in text) or an unpaired surrogate in the path, the query
string or a posted form is never a real value: the answer is 400, not a 500 from the database.
Neither is a number beyond 64 bits: SQLite refuses to bind it (OverflowError) wherever a view or
an admin filter (e.g. Django's own related-field filters) passes it on, so that is a 400 too.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

logger = logging.getLogger(__name__)


def text_is_storable(value: str) -> bool:
    """False for text that contains NUL or an unpaired surrogate (no database stores those)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parameters_storable(query) -> bool:
    return all(text_is_storable(key) and all(text_is_storable(v) for v in values) for key, values in query.lists())


class BadParametersMiddleware:
    """400 for a path, query string or form post that carries NUL or unpaired surrogates."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._acceptable(request):
            logger.info("Refused a request with unusable characters in its parameters (%s).", request.method)
            return HttpResponseBadRequest("Bad request: a parameter holds characters no page accepts.")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            logger.info("Refused a request with a number too large to store (%s %s).", request.method, request.path)
            return HttpResponseBadRequest("Bad request: a number is too large.")
        return None

    @staticmethod
    def _acceptable(request: HttpRequest) -> bool:
        if not text_is_storable(request.path) or not _parameters_storable(request.GET):
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
            return _parameters_storable(request.POST)
        return True
