"""Merchant payout reconciliation pages (mounted under /payouts/)."""

from django.urls import path

from syncs import payout_views

app_name = "payouts"

urlpatterns = [
    path("<int:integration_id>/", payout_views.payouts, name="list"),
    path("<int:integration_id>/<int:payout_id>/", payout_views.payout_detail, name="detail"),
    path("<int:integration_id>/<int:payout_id>/csv/", payout_views.payout_csv, name="csv"),
    path("<int:integration_id>/<int:payout_id>/retry/", payout_views.payout_retry, name="retry"),
]
