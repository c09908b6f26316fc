"""The support dashboard: one admin page over ``support_dashboard_get`` (mounted at /admin/dashboard/)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from syncs.services.dashboard import support_dashboard_get


def support_dashboard(request):
    # Staff only (admin_view); the page lists runs and integrations, so it needs to view them.
    if not request.user.has_perms(["syncs.view_syncrun", "integrations.view_integration"]):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Support dashboard",
        "dashboard": support_dashboard_get(),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)


support_dashboard_view = admin.site.admin_view(support_dashboard)
