"""Inbound webhooks, mounted at /hooks/."""

from django.urls import path

from syncs.adyen_webhooks import adyen_webhook
from syncs.webhooks import shopify_compliance_webhook, shopify_webhook
from syncs.woocommerce_webhooks import woocommerce_webhook

app_name = "hooks"

urlpatterns = [
    path("shopify/compliance/", shopify_compliance_webhook, name="shopify_compliance"),
    path("shopify/<int:integration_id>/", shopify_webhook, name="shopify"),
    path("woocommerce/<int:integration_id>/", woocommerce_webhook, name="woocommerce"),
    path("adyen/<int:integration_id>/", adyen_webhook, name="adyen"),
]
