"""Thin views over the error catalogue. Public: the pages explain errors, they reveal no merchant data."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from syncs.errors import Category, all_errors, find_error
from syncs.errors.examples import error_example_message


def error_list(request):
    groups = [(category, all_errors(category=category)) for category in Category]
    return render(request, "help/error_list.html", {"groups": [(c, e) for c, e in groups if e]})


def error_detail(request, code: str):
    entry = find_error(code.upper())
    if entry is None:
        raise Http404("Unknown error code")
    return render(request, "help/error_detail.html", {"entry": entry, "example": error_example_message(entry)})


def bc_configuration(request):
    return render(request, "help/bc_configuration.html")
