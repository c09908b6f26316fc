"""Merchant pages (mounted at the site root)."""

from django.urls import path

from integrations.views import accounts, bc, merchant, promotion, shop, wizard, woocommerce
from syncs import merchant_urls as monitoring_urls

app_name = "merchant"

urlpatterns = [
    path("", merchant.home, name="home"),
    path("signup/", accounts.signup, name="signup"),
    path("integrations/new/", merchant.integration_new, name="integration_new"),
    path("integrations/<int:integration_id>/", merchant.integration_detail, name="integration_detail"),
    path("integrations/<int:integration_id>/resume/", merchant.integration_resume_view, name="integration_resume"),
    path(
        "integrations/<int:integration_id>/production/", promotion.integration_promote_view, name="integration_promote"
    ),
    # Business Central
    path("integrations/<int:integration_id>/bc/signin/", bc.bc_signin, name="bc_signin"),
    path("integrations/<int:integration_id>/bc/reconnect/", bc.bc_reconnect, name="reconnect"),
    path("integrations/<int:integration_id>/bc/company/", bc.bc_company, name="bc_company"),
    path("integrations/<int:integration_id>/bc/on-premises/", bc.bc_on_premises, name="bc_on_premises"),
    path("integrations/<int:integration_id>/bc/online/", bc.bc_online_choose_view, name="bc_online"),
    path("integrations/<int:integration_id>/bc/disconnect/", bc.bc_disconnect_view, name="bc_disconnect"),
    path("connect/microsoft/callback/", bc.bc_callback, name="bc_callback"),
    path("connect/microsoft/admin-consent/", bc.bc_admin_consent, name="bc_admin_consent"),
    # Shopify: the app install (callback and install link registered in the app's settings at Shopify)
    path("connect/shopify/callback/", shop.shop_callback, name="shop_callback"),
    path("connect/shopify/install/", shop.shop_install_link, name="shop_install_link"),
    # Get Started wizard
    path("integrations/<int:integration_id>/setup/", wizard.wizard, name="wizard"),
    path("integrations/<int:integration_id>/setup/flows/", wizard.wizard_flows, name="wizard_flows"),
    path("integrations/<int:integration_id>/setup/connect/", wizard.wizard_connect, name="wizard_connect"),
    path("integrations/<int:integration_id>/setup/connect/shop/", shop.shop_install, name="shop_connect"),
    path("integrations/<int:integration_id>/setup/connect/woocommerce/", woocommerce.woo_connect, name="woo_connect"),
    path("integrations/<int:integration_id>/setup/connect/stripe/", wizard.stripe_connect, name="stripe_connect"),
    path("integrations/<int:integration_id>/setup/settings/", wizard.wizard_settings, name="wizard_settings"),
    path(
        "integrations/<int:integration_id>/setup/stock-locations/",
        wizard.wizard_stock_locations,
        name="wizard_stock_locations",
    ),
    path("integrations/<int:integration_id>/setup/test/", wizard.wizard_test, name="wizard_test"),
    path("integrations/<int:integration_id>/setup/live/", wizard.wizard_live, name="wizard_live"),
    # Monitoring: records, runs, health check (syncs/merchant_urls.py)
    *monitoring_urls.urlpatterns,
]
