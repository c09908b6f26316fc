from django.contrib import admin
from django.urls import include, path

from syncs.dashboard_views import support_dashboard_view

admin.site.site_header = "Junipeer BC support"
admin.site.site_title = "Junipeer BC support"
admin.site.index_title = "Integrations, syncs and logs"

urlpatterns = [
    # Before admin.site.urls, whose catch-all would swallow it.
    path("admin/dashboard/", support_dashboard_view, name="support_dashboard"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hooks/", include("syncs.webhook_urls")),
    path("help/", include("syncs.help_urls")),
    path("payouts/", include("syncs.payout_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("integrations.urls")),
]
