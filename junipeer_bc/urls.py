from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from integrations.auth_forms import ThrottledAdminAuthenticationForm, ThrottledAuthenticationForm
from syncs.dashboard_views import support_dashboard_view

admin.site.site_header = "Junipeer BC support"
admin.site.site_title = "Junipeer BC support"
admin.site.index_title = "Integrations, syncs and logs"
admin.site.login_form = ThrottledAdminAuthenticationForm  # failed sign-ins are throttled (per account, address)

urlpatterns = [
    # Before admin.site.urls, whose catch-all would swallow it.
    path("admin/dashboard/", support_dashboard_view, name="support_dashboard"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hooks/", include("syncs.webhook_urls")),
    path("help/", include("syncs.help_urls")),
    path("payouts/", include("syncs.payout_urls")),
    # Before Django's auth URLs: the same login view with throttled sign-in.
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("integrations.urls")),
]
