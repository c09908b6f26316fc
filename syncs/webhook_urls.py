"""Inbound webhooks, mounted at /hooks/."""

from django.urls import path

from syncs.webhooks import shopify_webhook

app_name = "hooks"

urlpatterns = [
    path("shopify/<int:integration_id>/", shopify_webhook, name="shopify"),
]
