from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hooks/", include("syncs.webhook_urls")),
    path("help/", include("syncs.help_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("integrations.urls")),
]
