"""Merchant monitoring pages, mounted in the "merchant" namespace by integrations/urls.py.

Record pages are addressed by the record's id alone (its integration is checked from the record), so
every URL here with an ``integration_id`` takes that one id.
"""

from django.urls import path

from syncs import merchant_views

urlpatterns = [
    path("integrations/<int:integration_id>/records/", merchant_views.records, name="records"),
    path(
        "integrations/<int:integration_id>/records/retry-failed/",
        merchant_views.records_retry_failed_view,
        name="records_retry_failed",
    ),
    path("records/<int:record_link_id>/", merchant_views.record_detail, name="record_detail"),
    path("records/<int:record_link_id>/retry/", merchant_views.record_retry, name="record_retry"),
    path("integrations/<int:integration_id>/runs/", merchant_views.runs, name="runs"),
    path("integrations/<int:integration_id>/sync-now/", merchant_views.sync_now, name="sync_now"),
    path("integrations/<int:integration_id>/health/", merchant_views.preflight, name="preflight"),
    path("integrations/<int:integration_id>/health/run/", merchant_views.preflight_run_now, name="preflight_run"),
]
