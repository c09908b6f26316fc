"""Merchant help pages: the error-code reference and the Business Central configuration guide."""

from django.urls import path

from syncs import help_views

app_name = "help"

urlpatterns = [
    path("errors/", help_views.error_list, name="error_list"),
    path("errors/<str:code>/", help_views.error_detail, name="error_detail"),
    path("business-central/", help_views.bc_configuration, name="bc_configuration"),
]
