"""Support's admin for tenants and integrations. Actions enqueue work through services and return.

Secrets never reach a page: connection inlines defer the encrypted columns (they are not even
decrypted) and show only whether a value is stored.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, URLField
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from integrations.connectors.businesscentral.endpoints import on_premises_root_normalise
from integrations.models import (
    BusinessCentralConnection,
    CountryMapping,
    DimensionMapping,
    Flow,
    Integration,
    LocationMapping,
    PaymentMethodMapping,
    PaymentProviderConnection,
    PayoutAccountMapping,
    ShippingMethodMapping,
    ShopConnection,
    TaxClassMapping,
    Tenant,
    TenantMembership,
)
from integrations.outbound import outbound_url_validate, shop_domain_validate
from integrations.services.lifecycle import (
    IntegrationActionError,
    integration_pause,
    integration_reconnect_link_send,
    integration_resume,
)
from integrations.services.mapping_check import MAPPING_CHOICE_FIELDS, country_code_check, mapping_rows_check
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.shopify_install import ShopInstallError, shop_custom_app_attach
from integrations.services.shopify_subscriptions import TOPICS_BY_SWITCH, shop_webhooks_reconcile_queue
from integrations.services.woocommerce_webhooks import woo_webhooks_reconcile_queue
from syncs.admin_forms import BackfillOrdersForm
from syncs.preflight.services import preflight_enqueue
from syncs.services.discovery import backfill_parameters
from syncs.services.dispatch import (
    flow_enqueue_for_support,
    flow_switched_off,
    flows_switched_off_with_failed_records,
    records_retry_failed,
)

# --- Shared admin building blocks (also used by syncs/admin.py) ---------------------------------

MAX_ID = 2**63 - 1  # the largest BigAutoField value; a larger number overflows SQLite's integer


class InputFilter(admin.SimpleListFilter):
    """A text box instead of a list of choices: no query over a large table to build the options."""

    template = "admin/input_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        # The other active filters, search and ordering ride along as hidden inputs.
        yield {
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "query_parts": [
                (key, value)
                for key, values in changelist.filter_params.items()
                if key != self.parameter_name
                for value in values
            ],
        }


class IntegrationIdFilter(InputFilter):
    """Filter by integration id (indexed everywhere) without loading every integration."""

    title = "integration (id)"
    parameter_name = "integration"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
            return queryset.none()  # "²" is a digit to isdigit() but not to int(); ids are 64-bit
        return queryset.filter(integration_id=int(value))


class ProjectPermissionsMixin:
    """``has_<name>_permission`` for the custom permissions declared on Integration.Meta."""

    def has_run_sync_permission(self, request) -> bool:
        return request.user.has_perm("integrations.run_sync")

    def has_run_preflight_permission(self, request) -> bool:
        return request.user.has_perm("integrations.run_preflight")

    def has_pause_integration_permission(self, request) -> bool:
        return request.user.has_perm("integrations.pause_integration")

    def has_send_reconnect_link_permission(self, request) -> bool:
        return request.user.has_perm("integrations.send_reconnect_link")


def integration_link(integration) -> str:
    """Link to the integration's page; the caller selects the integration row (one join)."""
    url = reverse("admin:integrations_integration_change", args=[integration.pk])
    return format_html('<a href="{}">{} (#{})</a>', url, integration.name, integration.pk)


# --- Tenant ------------------------------------------------------------------------------------


class TenantMembershipInline(admin.TabularInline):
    model = TenantMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class TenantIntegrationInline(admin.TabularInline):
    model = Integration
    extra = 0
    fields = ["name", "status", "live_mode", "updated_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "contact_email", "created_at"]
    search_fields = ["name", "slug", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TenantMembershipInline, TenantIntegrationInline]


# --- Integration inlines ---------------------------------------------------------------------


class SecretFreeInlineMixin:
    """Excludes the encrypted fields and shows a read-only "stored / not stored" per field instead."""

    secret_fields: tuple[str, ...] = ()

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self.secret_fields]

    def get_queryset(self, request):
        # Deferred: the ciphertext is never loaded, and saving the form writes loaded fields only.
        stored = {
            f"{name}_stored": ExpressionWrapper(Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""}), BooleanField())
            for name in self.secret_fields
        }
        return super().get_queryset(request).defer(*self.secret_fields).annotate(**stored)


def _stored_display(field: str, label: str):
    @admin.display(description=label)
    def display(model_admin, obj) -> str:
        if obj is None or obj.pk is None:
            return "-"
        return "stored" if getattr(obj, f"{field}_stored", False) else "not stored"

    return display


class BusinessCentralConnectionAdminForm(forms.ModelForm):
    def clean_api_root_override(self) -> str:
        value = self.cleaned_data.get("api_root_override") or ""
        if value:
            outbound_url_validate(value)  # the merchant's bearer token goes there
        return value

    def clean_on_premises_root(self) -> str:
        value = self.cleaned_data.get("on_premises_root") or ""
        if value:
            value = on_premises_root_normalise(value)
            outbound_url_validate(value)  # the token or the access key goes there
        return value


class CustomAppTokenForm(forms.Form):
    shop_domain = forms.CharField(max_length=255, help_text="my-shop.myshopify.com")
    access_token = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}), help_text="Admin API access token"
    )
    webhook_secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="The custom app's webhook signing secret (its API secret key).",
    )


class ShopConnectionAdminForm(forms.ModelForm):
    def clean_shop_domain(self) -> str:
        value = (self.cleaned_data.get("shop_domain") or "").strip().lower()
        if self.cleaned_data.get("platform", self.instance.platform) != ShopConnection.Platform.WOOCOMMERCE:
            shop_domain_validate(value)  # a WooCommerce store's host is any public host (checked at connect)
        return value


class BusinessCentralConnectionInline(SecretFreeInlineMixin, admin.StackedInline):
    model = BusinessCentralConnection
    form = BusinessCentralConnectionAdminForm
    # An on-premises API root typed without a scheme is https (BC only speaks TLS).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    secret_fields = ("token_cache", "web_service_access_key")
    extra = 0
    fields = [
        ("deployment", "auth_method"),
        ("environment_name", "environment_type"),
        ("company_name", "company_id"),
        ("entra_tenant_id", "user_principal"),
        "api_root_override",
        ("on_premises_root", "access_key_username", "web_service_access_key_status"),
        "token_cache_status",
        ("connected_at", "token_refreshed_at", "token_expires_at"),
        ("last_auth_error_code", "last_auth_error"),
    ]
    # Identity and tokens come from the Microsoft sign-in, never typed in by hand.
    readonly_fields = [
        "deployment",
        "auth_method",
        "access_key_username",
        "web_service_access_key_status",
        "environment_name",
        "environment_type",
        "company_name",
        "company_id",
        "entra_tenant_id",
        "user_principal",
        "token_cache_status",
        "connected_at",
        "token_refreshed_at",
        "token_expires_at",
        "last_auth_error_code",
        "last_auth_error",
    ]
    token_cache_status = _stored_display("token_cache", "token cache")
    web_service_access_key_status = _stored_display("web_service_access_key", "web service access key")


class ShopConnectionInline(SecretFreeInlineMixin, admin.StackedInline):
    model = ShopConnection
    form = ShopConnectionAdminForm
    extra = 0
    secret_fields = ("access_token", "webhook_secret", "refresh_token", "consumer_key", "consumer_secret")
    fields = [
        ("platform", "shop_domain", "shop_currency"),
        ("store_url", "consumer_key_status", "consumer_secret_status"),
        ("install_mode", "scopes"),
        ("access_token_status", "webhook_secret_status", "refresh_token_status"),
        ("access_token_expires_at", "token_refreshed_at", "last_auth_error_code"),
        ("installed_at", "uninstalled_at"),
        ("webhooks_checked_at", "webhook_error_code"),
        ("verified_at", "last_error"),
    ]
    # Tokens come from the install (or "Attach a custom app token"), a WooCommerce key from the wizard's
    # checked connect; never typed in here.
    readonly_fields = [
        "store_url",
        "consumer_key_status",
        "consumer_secret_status",
        "install_mode",
        "scopes",
        "access_token_status",
        "webhook_secret_status",
        "refresh_token_status",
        "access_token_expires_at",
        "token_refreshed_at",
        "last_auth_error_code",
        "installed_at",
        "uninstalled_at",
        "webhooks_checked_at",
        "webhook_error_code",
        "verified_at",
        "last_error",
    ]
    refresh_token_status = _stored_display("refresh_token", "refresh token")
    access_token_status = _stored_display("access_token", "access token")
    webhook_secret_status = _stored_display("webhook_secret", "webhook secret")
    consumer_key_status = _stored_display("consumer_key", "WooCommerce consumer key")
    consumer_secret_status = _stored_display("consumer_secret", "WooCommerce consumer secret")


class PaymentProviderConnectionInline(SecretFreeInlineMixin, admin.TabularInline):
    model = PaymentProviderConnection
    secret_fields = ("api_key", "webhook_hmac_key")
    extra = 0
    fields = [
        "provider",
        "market",
        "account_id",
        "username",
        "region",
        "environment",
        "currencies",
        "api_key_status",
        "webhook_hmac_key_status",
        "verified_at",
        "last_error",
    ]
    readonly_fields = ["api_key_status", "webhook_hmac_key_status", "verified_at", "last_error"]
    api_key_status = _stored_display("api_key", "API key")
    webhook_hmac_key_status = _stored_display("webhook_hmac_key", "webhook HMAC key")


class BCChoicesFormSet(BaseInlineFormSet):
    """Changed mapping rows are checked against the BC company's live choices, as the wizard does."""

    def clean(self):
        super().clean()
        forms_changed = [
            form
            for form in self.forms
            if form.has_changed() and form.is_valid() and not (self.can_delete and self._should_delete_form(form))
        ]
        if self.model is CountryMapping:
            for form in forms_changed:
                message = country_code_check(form.cleaned_data.get("country_code", ""))
                if message:
                    form.add_error("country_code", message)
        if not forms_changed or self.model not in MAPPING_CHOICE_FIELDS:
            return
        try:
            problems = mapping_rows_check(
                integration=self.instance, model=self.model, rows=[form.cleaned_data for form in forms_changed]
            )
        except OnboardingError as error:
            raise ValidationError(
                f"These mappings could not be checked against Business Central: {error} "
                "Connect Business Central first (or fix the connection), then save again."
            ) from None
        for form, found in zip(forms_changed, problems, strict=True):
            for field, message in found.items():
                form.add_error(field, message)


class MappingInline(admin.TabularInline):
    extra = 0
    formset = BCChoicesFormSet


class PaymentMethodMappingInline(MappingInline):
    model = PaymentMethodMapping


class ShippingMethodMappingInline(MappingInline):
    model = ShippingMethodMapping


class CountryMappingInline(MappingInline):
    model = CountryMapping


class TaxClassMappingInline(MappingInline):
    model = TaxClassMapping


class PayoutAccountMappingInline(MappingInline):
    model = PayoutAccountMapping


class LocationMappingInline(MappingInline):
    model = LocationMapping


class DimensionMappingInline(MappingInline):
    model = DimensionMapping


# --- Integration -----------------------------------------------------------------------------


def _switched_off_message(flow: str) -> str:
    label = Flow(flow).label.lower()
    return (
        f"Left the failed records of the {label} flow as they are: the merchant has switched the {label} flow off. "
        "Use Sync now to run it anyway (you will be asked to confirm)."
    )


def _sync_now_action(flow: Flow):
    @admin.action(permissions=["run_sync"], description=f"Sync now: {flow.label.lower()}")
    def action(modeladmin, request, queryset):
        return modeladmin.sync_now(request, queryset, flow=flow)

    action.__name__ = f"sync_{flow.value}_now"
    return action


SYNC_NOW_FLOWS = (Flow.ORDERS, Flow.CUSTOMERS, Flow.PRODUCTS, Flow.STOCK, Flow.PAYOUTS)

FIELD_GROUPS = (
    (
        None,
        [
            "tenant",
            "name",
            ("status", "pause_reason", "paused_at"),
            "live_mode",
            "allow_writes",
            "base_currency",
            "order_exclusion_date",
        ],
    ),
    (
        "Flows",
        [
            ("orders_enabled", "orders_interval_minutes"),
            "refunds_enabled",
            "customers_enabled",
            ("products_enabled", "products_bidirectional", "products_interval_minutes"),
            ("stock_enabled", "stock_interval_minutes"),
            ("payouts_enabled", "payouts_interval_minutes"),
        ],
    ),
    (
        "Orders and customers",
        [
            ("sync_test_orders", "sync_unpaid_orders"),
            "document_type",
            ("invoice_numbering", "customer_numbering"),
            "customer_strategy",
            "sku_rule",
            "currency_mode",
            ("fallback_gl_account", "gift_card_gl_account"),
            "blocked_item_product_status",
        ],
    ),
    (
        "Order filters and documents",
        [
            ("order_tags_required", "order_tags_excluded"),
            ("order_sales_channels", "order_max_risk"),
            "document_number_prefix",
            ("salesperson_code", "location_code"),
            ("fulfil_from_bc_shipments", "write_back_metafield", "write_back_tag"),
        ],
    ),
    (
        "Payouts",
        [
            # The journal for payments marked paid at sync; payouts use their payout configuration's.
            ("payment_journal_template", "payment_journal_batch"),
            ("post_payment_journal", "book_payout_transfer"),
            "rounding_gl_account",
        ],
    ),
    ("Milestones", [("sandbox_test_passed_at", "went_live_at"), ("created_at", "updated_at"), "activity"]),
)


@admin.register(Integration)
class IntegrationAdmin(ProjectPermissionsMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "tenant",
        "status",
        "live_mode",
        "allow_writes",
        "bc_environment",
        "bc_company",
        "shop_domain",
        "updated_at",
    ]
    list_select_related = ["tenant", "bc_connection", "shop_connection"]
    list_filter = ["status", "live_mode", "allow_writes", "bc_connection__environment_type"]
    search_fields = [
        "=id",
        "name",
        "tenant__name",
        "tenant__slug",
        "bc_connection__company_name",
        "bc_connection__environment_name",
        "shop_connection__shop_domain",
    ]
    autocomplete_fields = ["tenant"]
    # Status moves through the actions (services), not by editing the field.
    # base_currency is BC's LCY, read from its General Ledger Setup when the company is chosen: never typed.
    readonly_fields = [
        "status",
        "pause_reason",
        "paused_at",
        "base_currency",
        "sandbox_test_passed_at",
        "went_live_at",
        "created_at",
        "updated_at",
        "activity",
    ]
    inlines = [
        BusinessCentralConnectionInline,
        ShopConnectionInline,
        PaymentProviderConnectionInline,
        PaymentMethodMappingInline,
        ShippingMethodMappingInline,
        CountryMappingInline,
        TaxClassMappingInline,
        PayoutAccountMappingInline,
        LocationMappingInline,
        DimensionMappingInline,
    ]
    actions = [
        *(_sync_now_action(flow) for flow in SYNC_NOW_FLOWS),
        "retry_failed_records",
        "run_preflight",
        "pause",
        "resume",
        "send_reconnect_link",
        "backfill_orders",
        "attach_custom_app",
    ]

    def get_urls(self):
        custom = [
            path(
                "<int:integration_id>/backfill-orders/",
                self.admin_site.admin_view(self.backfill_orders_view),
                name="integrations_integration_backfill_orders",
            ),
            path(
                "<int:integration_id>/attach-custom-app/",
                self.admin_site.admin_view(self.attach_custom_app_view),
                name="integrations_integration_attach_custom_app",
            ),
        ]
        return custom + super().get_urls()  # before the defaults, which match almost anything

    @admin.action(permissions=["run_sync"], description="Backfill orders…")
    def backfill_orders(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Pick exactly one integration to backfill.", messages.WARNING)
            return None
        return redirect("admin:integrations_integration_backfill_orders", integration_id=queryset.get().pk)

    def backfill_orders_view(self, request, integration_id: int):
        integration = get_object_or_404(Integration, pk=integration_id)
        if not self.has_run_sync_permission(request):
            raise PermissionDenied
        form = BackfillOrdersForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            parameters = backfill_parameters(
                created_from=form.cleaned_data["created_from"],
                created_to=form.cleaned_data["created_to"],
                numbers=form.cleaned_data["numbers"],
            )
            run = flow_enqueue_for_support(
                integration_id=integration.pk,
                flow=Flow.ORDERS,
                requested_by=request.user.get_username(),
                override=form.cleaned_data["override"],
                parameters=parameters,
            )
            if run is not None:
                self.message_user(
                    request, f"Backfill queued as run #{run.pk}; documents that exist in BC are linked, not copied."
                )
                return redirect("admin:integrations_integration_change", integration.pk)
            form.add_error(
                "override",
                "The merchant has switched the orders flow off. Tick the box to run the backfill anyway "
                "(it is logged with your name).",
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Backfill orders: {integration}",
            "form": form,
            "integration": integration,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/backfill_orders.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & set(TOPICS_BY_SWITCH):
            shop_webhooks_reconcile_queue(integration_id=obj.pk)  # the shop's webhooks follow the flows
            woo_webhooks_reconcile_queue(integration_id=obj.pk)

    @admin.action(permissions=["change"], description="Attach a custom app token (shops that cannot install apps)…")
    def attach_custom_app(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Pick exactly one integration.", messages.WARNING)
            return None
        return redirect("admin:integrations_integration_attach_custom_app", integration_id=queryset.get().pk)

    def attach_custom_app_view(self, request, integration_id: int):
        integration = get_object_or_404(Integration, pk=integration_id)
        if not self.has_change_permission(request, integration):
            raise PermissionDenied
        shop = getattr(integration, "shop_connection", None)
        form = CustomAppTokenForm(
            request.POST if request.method == "POST" else None,
            initial={"shop_domain": getattr(shop, "shop_domain", "")},
        )
        if request.method == "POST" and form.is_valid():
            try:
                shop_custom_app_attach(integration=integration, **form.cleaned_data)
            except ShopInstallError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, "The custom app token is stored and verified with the shop.")
                return redirect("admin:integrations_integration_change", integration.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Attach a custom app token: {integration}",
            "form": form,
            "integration": integration,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/attach_custom_app.html", context)

    def get_fieldsets(self, request, obj=None):
        # Fields added to the model later still show, under "Other".
        listed = {
            name for _, rows in FIELD_GROUPS for row in rows for name in (row if isinstance(row, tuple) else [row])
        }
        other = [f.name for f in self.model._meta.fields if f.editable and not f.primary_key and f.name not in listed]
        fieldsets = [(title, {"fields": fields}) for title, fields in FIELD_GROUPS]
        if other:
            fieldsets.append(("Other", {"fields": other}))
        return fieldsets

    @admin.display(description="BC environment", ordering="bc_connection__environment_name")
    def bc_environment(self, obj) -> str:
        connection = getattr(obj, "bc_connection", None)
        return f"{connection.environment_name} ({connection.environment_type})" if connection else "-"

    @admin.display(description="BC company", ordering="bc_connection__company_name")
    def bc_company(self, obj) -> str:
        connection = getattr(obj, "bc_connection", None)
        return connection.company_name if connection else "-"

    @admin.display(description="shop", ordering="shop_connection__shop_domain")
    def shop_domain(self, obj) -> str:
        connection = getattr(obj, "shop_connection", None)
        return connection.shop_domain if connection else "-"

    @admin.display(description="activity")
    def activity(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "-"
        pages = [
            ("syncs_syncrun", "Runs"),
            ("syncs_failedsyncrun", "Failed runs"),
            ("syncs_recordlink", "Records"),
            ("syncs_synclogentry", "Logs"),
            ("syncs_payout", "Payouts"),
            ("syncs_webhookevent", "Webhooks"),
        ]
        return format_html_join(
            " | ",
            '<a href="{}?integration={}">{}</a>',
            ((reverse(f"admin:{page}_changelist"), obj.pk, label) for page, label in pages),
        )

    # --- actions: each calls a service per integration and reports ----------------------------

    def sync_now(self, request, queryset, *, flow: Flow):
        integrations = list(queryset.order_by("pk"))
        switched_off = [i for i in integrations if flow_switched_off(integration=i, flow=flow)]
        answer = request.POST.get("override")
        if switched_off and answer not in ("yes", "no"):
            # The merchant switched this flow off: support confirms an override (logged) or skips them.
            context = {
                **self.admin_site.each_context(request),
                "title": f"Sync now: {flow.label.lower()}",
                "opts": self.model._meta,
                "flow": flow,
                "action": request.POST.get("action", ""),
                "integrations": integrations,
                "switched_off": switched_off,
            }
            return TemplateResponse(request, "admin/sync_override_confirm.html", context)
        queued = [
            run
            for integration in integrations
            if (
                run := flow_enqueue_for_support(
                    integration_id=integration.pk,
                    flow=flow,
                    requested_by=request.user.get_username(),
                    override=answer == "yes",
                )
            )
        ]
        self.message_user(request, f"Queued {flow.label.lower()} sync for {len(queued)} integration(s).")
        if len(queued) < len(integrations):
            self.message_user(
                request,
                f"Skipped {len(integrations) - len(queued)} integration(s) where the merchant has switched the "
                f"{flow.label.lower()} flow off.",
                messages.WARNING,
            )
        return None

    @admin.action(permissions=["run_sync"], description="Retry failed records")
    def retry_failed_records(self, request, queryset) -> None:
        runs, skipped = [], set()
        for pk in queryset.values_list("pk", flat=True):
            # A flow the merchant switched off keeps its failed records: retrying would run it.
            skipped.update(flows_switched_off_with_failed_records(integration_id=pk))
            runs += records_retry_failed(integration_id=pk, skip_switched_off=True)
        if runs:
            self.message_user(request, f"Queued {len(runs)} retry run(s) for failed records.")
        elif not skipped:
            self.message_user(request, "No failed records to retry.", messages.WARNING)
        for flow in sorted(skipped):
            self.message_user(request, _switched_off_message(flow), messages.WARNING)

    @admin.action(permissions=["run_preflight"], description="Run preflight checks")
    def run_preflight(self, request, queryset) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for integration_id in ids:
            preflight_enqueue(integration_id=integration_id, trigger="manual")
        self.message_user(request, f"Queued preflight checks for {len(ids)} integration(s).")

    @admin.action(permissions=["pause_integration"], description="Pause")
    def pause(self, request, queryset) -> None:
        paused = sum(integration_pause(integration_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"Paused {paused} integration(s); others were not testing or live.")

    @admin.action(permissions=["pause_integration"], description="Resume")
    def resume(self, request, queryset) -> None:
        resumed = sum(integration_resume(integration_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"Resumed {resumed} paused integration(s).")

    @admin.action(permissions=["send_reconnect_link"], description="Send reconnect link")
    def send_reconnect_link(self, request, queryset) -> None:
        for pk in queryset.values_list("pk", flat=True):
            try:
                recipients = integration_reconnect_link_send(integration_id=pk)
            except IntegrationActionError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"Reconnect link for integration #{pk} sent to {', '.join(recipients)}.")
