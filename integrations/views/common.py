"""Small helpers shared by the merchant views."""

from __future__ import annotations


def posted_data(request):
    # `request.POST or None` would treat an empty POST as unbound and skip validation.
    return request.POST if request.method == "POST" else None
