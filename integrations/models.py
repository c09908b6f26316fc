"""WHO is connected to WHAT and HOW it maps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.crypto import EncryptedTextField


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Tenant(TimeStampedModel):
    """A merchant's organisation. Every merchant-visible object hangs off one tenant."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    contact_email = models.EmailField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="TenantMembership", related_name="tenants")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantMembership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tenant_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            # A merchant user belongs to exactly one tenant.
            models.UniqueConstraint(fields=["user"], name="membership_one_tenant_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant}"


class Flow(models.TextChoices):
    ORDERS = "orders", _("Orders")
    REFUNDS = "refunds", _("Refunds")
    CUSTOMERS = "customers", _("Customers")
    PRODUCTS = "products", _("Products")
    STOCK = "stock", _("Stock")
    PAYOUTS = "payouts", _("Payouts")


class Integration(TimeStampedModel):
    """One shop and one BC company. Several integrations of a tenant may share a company: each has its
    own document-number prefix, links, customers and mappings."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        TESTING = "testing", _("Testing")
        LIVE = "live", _("Live")
        PAUSED = "paused", _("Paused")
        NEEDS_REAUTH = "needs_reauth", _("Needs re-authorisation")
        DISABLED = "disabled", _("Disabled")
        # The Sandbox's records after the integration moved to Production: history, never synced.
        ARCHIVED = "archived", _("Sandbox history")

    class PauseReason(models.TextChoices):
        SUPPORT = "support", _("Paused by support")
        BC_DISCONNECTED = "bc_disconnected", _("Business Central was disconnected")

    class CustomerStrategy(models.TextChoices):
        COLLECTIVE_PER_COUNTRY = "collective_per_country", _("One collective customer per country")
        MATCH_EMAIL_PHONE = "match_email_phone", _("Match by e-mail, then phone; create if new")

    class DocumentType(models.TextChoices):
        INVOICE_DRAFT = "invoice_draft", _("Sales invoice (left as draft)")
        INVOICE_POSTED = "invoice_posted", _("Sales invoice (posted)")
        ORDER_SHIP_INVOICE = "order_ship_invoice", _("Sales order, shipped and invoiced at fulfilment")

    class SkuRule(models.TextChoices):
        ITEM_NUMBER = "item_number", _("SKU is the BC item number")
        GTIN = "gtin", _("SKU/barcode is the BC item GTIN")

    class CurrencyMode(models.TextChoices):
        SHOP = "shop", _("Shop currency")
        PRESENTMENT = "presentment", _("Presentment (customer) currency")

    class Numbering(models.TextChoices):
        BC_SERIES = "bc_series", _("BC number series (default)")
        SHOP_NUMBER = "shop_number", _("Manual: use the shop's order number")

    class InvoiceNumbering(models.TextChoices):
        # BC's sales documents take their number from the No. Series only: `number` is read-only on
        # the API pages, so there is no manual mode for invoices and orders.
        BC_SERIES = "bc_series", _("BC number series (default)")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="integrations")
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    live_mode = models.BooleanField(default=False, help_text=_("Scheduled syncs run only in live mode."))
    allow_writes = models.BooleanField(
        default=False, help_text=_("Off until go-live: a dry run shows what would be written.")
    )
    order_exclusion_date = models.DateTimeField(
        null=True, blank=True, help_text=_("Orders created before this moment are never synced.")
    )
    base_currency = models.CharField(max_length=3, default="SEK", help_text=_("Expected BC LCY code."))

    # Per-flow switches.
    orders_enabled = models.BooleanField(default=True)
    refunds_enabled = models.BooleanField(default=True)
    customers_enabled = models.BooleanField(default=True)
    products_enabled = models.BooleanField(default=False)
    products_bidirectional = models.BooleanField(default=False)
    stock_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    orders_interval_minutes = models.PositiveIntegerField(default=15)
    stock_interval_minutes = models.PositiveIntegerField(default=10)
    products_interval_minutes = models.PositiveIntegerField(default=60)
    payouts_interval_minutes = models.PositiveIntegerField(default=360)

    # Order filters.
    sync_test_orders = models.BooleanField(default=False)
    sync_unpaid_orders = models.BooleanField(default=False)
    order_tags_required = models.CharField(
        max_length=500, blank=True, help_text=_("Comma-separated: only orders with at least one of these tags.")
    )
    order_tags_excluded = models.CharField(
        max_length=500, blank=True, help_text=_("Comma-separated: orders with any of these tags are skipped.")
    )
    order_sales_channels = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Comma-separated sales channels (e.g. Online Store, Point of Sale); empty = every channel."),
    )
    order_max_risk = models.CharField(
        max_length=10,
        choices=[("", _("Any risk level")), ("LOW", _("Low risk only")), ("MEDIUM", _("Up to medium risk"))],
        blank=True,
        default="",
        help_text=_("Orders Shopify rates riskier than this are skipped."),
    )

    # Several shops into one BC company: this prefix starts every external document number.
    document_number_prefix = models.CharField(
        max_length=10,
        blank=True,
        help_text=_(
            "Starts the external document number of every document (e.g. SE- makes #1001 into SE-#1001). Needed "
            "when several shops share one Business Central company; fixed once the integration is live."
        ),
    )
    # Document header defaults.
    salesperson_code = models.CharField(max_length=20, blank=True, help_text=_("BC salesperson code on documents"))
    location_code = models.CharField(max_length=10, blank=True, help_text=_("BC location code on item lines"))

    # Back to the shop.
    fulfil_from_bc_shipments = models.BooleanField(
        default=False,
        help_text=_("Sales-order mode: shipments posted in Business Central fulfil the shop order."),
    )
    write_back_metafield = models.BooleanField(
        default=False, help_text=_("Write the BC document number to the shop order as a metafield.")
    )
    write_back_tag = models.BooleanField(
        default=False, help_text=_("Tag the shop order with the BC document number (BC: and the number).")
    )

    # Accounting settings (docs/accounting.md).
    customer_strategy = models.CharField(
        max_length=40, choices=CustomerStrategy.choices, default=CustomerStrategy.COLLECTIVE_PER_COUNTRY
    )
    document_type = models.CharField(max_length=40, choices=DocumentType.choices, default=DocumentType.INVOICE_POSTED)
    sku_rule = models.CharField(max_length=20, choices=SkuRule.choices, default=SkuRule.ITEM_NUMBER)
    currency_mode = models.CharField(max_length=20, choices=CurrencyMode.choices, default=CurrencyMode.SHOP)
    invoice_numbering = models.CharField(
        max_length=20, choices=InvoiceNumbering.choices, default=InvoiceNumbering.BC_SERIES
    )
    customer_numbering = models.CharField(max_length=20, choices=Numbering.choices, default=Numbering.BC_SERIES)
    fallback_gl_account = models.CharField(
        max_length=20, blank=True, help_text=_("G/L account for unmapped SKUs; empty = unmapped SKU is an error.")
    )
    gift_card_gl_account = models.CharField(max_length=20, blank=True)
    refund_gl_account = models.CharField(
        max_length=20, blank=True, help_text=_("G/L account for non-restock refund lines and amount-only refunds")
    )
    payment_journal_template = models.CharField(max_length=10, blank=True)
    payment_journal_batch = models.CharField(max_length=10, blank=True)
    post_payment_journal = models.BooleanField(default=False)
    rounding_gl_account = models.CharField(
        max_length=20,
        blank=True,
        help_text=_(
            "Payouts: G/L account for the rounding difference when a charge differs from its invoice by no more "
            "than the rounding tolerance (BC adds VAT per line). Needed only when such a difference occurs."
        ),
    )
    payment_rounding_tolerance = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.05"),
        help_text=_(
            "Payouts: the largest difference between a charge and its invoice's open amount that is booked to the "
            "rounding account (the invoice is closed); a larger difference is applied as is and leaves it open."
        ),
    )
    book_payout_transfer = models.BooleanField(default=False)
    blocked_item_product_status = models.CharField(
        max_length=10, choices=[("draft", _("Draft")), ("archived", _("Archived"))], default="draft"
    )
    product_item_template = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "Both ways only: defaults for BC items created from shop-only products. Keys: item_type, "
            "general_product_posting_group, inventory_posting_group, vat_product_posting_group, "
            "base_unit_of_measure. Conflict rule: for linked items Business Central wins every field "
            "(title, description, price, SKU, barcode, blocked); shop edits are overwritten, never copied back. "
            "A shop product whose SKU matches no BC item creates one; a matching SKU links instead."
        ),
    )
    test_order_passed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a real order last previewed without errors (wizard step 4).")
    )
    sandbox_test_passed_at = models.DateTimeField(null=True, blank=True)
    went_live_at = models.DateTimeField(null=True, blank=True)
    # Why a paused integration is paused (shown to the merchant with the way to resume).
    pause_reason = models.CharField(max_length=20, choices=PauseReason.choices, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tenant__name", "name"]
        indexes = [models.Index(fields=["tenant", "status"], name="integration_tenant_status")]
        permissions = [
            ("run_sync", "Can start syncs and retries"),
            ("run_preflight", "Can run preflight checks"),
            ("pause_integration", "Can pause and resume integrations"),
            ("send_reconnect_link", "Can e-mail a reconnect link to the merchant"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant.name} / {self.name}"


class BusinessCentralConnection(TimeStampedModel):
    """The BC side of an integration: who signed in, which environment and which company."""

    class EnvironmentType(models.TextChoices):
        PRODUCTION = "Production", _("Production")
        SANDBOX = "Sandbox", _("Sandbox")

    class Deployment(models.TextChoices):
        ONLINE = "online", _("Business Central online")
        ON_PREMISES = "on_premises", _("Business Central on-premises")

    class AuthMethod(models.TextChoices):
        ENTRA = "entra", _("Microsoft sign-in (Entra ID)")
        ACCESS_KEY = "access_key", _("User name and web service access key")

    integration = models.OneToOneField(Integration, on_delete=models.CASCADE, related_name="bc_connection")
    deployment = models.CharField(max_length=20, choices=Deployment.choices, default=Deployment.ONLINE)
    auth_method = models.CharField(max_length=20, choices=AuthMethod.choices, default=AuthMethod.ENTRA)
    on_premises_root = models.URLField(
        blank=True,
        max_length=500,
        help_text=_("On-premises: the server instance, https://server:port/instance (API and ODataV4 live below it)."),
    )
    access_key_username = models.CharField(max_length=250, blank=True)
    web_service_access_key = EncryptedTextField(blank=True, default="")
    entra_tenant_id = models.CharField(max_length=64, blank=True, db_index=True)
    user_principal = models.CharField(max_length=254, blank=True)
    home_account_id = models.CharField(max_length=200, blank=True)
    environment_name = models.CharField(max_length=100, blank=True)
    environment_type = models.CharField(max_length=20, choices=EnvironmentType.choices, blank=True)
    company_id = models.CharField(max_length=64, blank=True)
    company_name = models.CharField(max_length=200, blank=True)
    api_root_override = models.URLField(
        blank=True, help_text=_("Support only: API root of an on-premises BC server (empty = BC online).")
    )
    token_cache = EncryptedTextField(blank=True, default="")
    connected_at = models.DateTimeField(null=True, blank=True)
    token_refreshed_at = models.DateTimeField(null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    last_auth_error_code = models.CharField(max_length=60, blank=True)
    last_auth_error = models.TextField(blank=True)

    class Meta:
        # Several integrations of one tenant may share a company (each with its own document-number
        # prefix); another tenant's company is refused by the onboarding service.
        indexes = [
            models.Index(fields=["entra_tenant_id", "environment_name", "company_id"], name="bc_company_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.environment_name}/{self.company_name or '-'}"

    @property
    def is_on_premises(self) -> bool:
        return self.deployment == self.Deployment.ON_PREMISES

    @property
    def uses_access_key(self) -> bool:
        return self.is_on_premises and self.auth_method == self.AuthMethod.ACCESS_KEY

    @property
    def has_credentials(self) -> bool:
        """Signed in with Microsoft, or (on-premises) a web service access key stored."""
        return bool(self.web_service_access_key) if self.uses_access_key else bool(self.token_cache)

    @property
    def is_connected(self) -> bool:
        return self.has_credentials and bool(self.company_id)


class ShopConnection(TimeStampedModel):
    class Platform(models.TextChoices):
        SHOPIFY = "shopify", "Shopify"
        WOOCOMMERCE = "woocommerce", "WooCommerce"

    integration = models.OneToOneField(Integration, on_delete=models.CASCADE, related_name="shop_connection")
    platform = models.CharField(max_length=20, choices=Platform.choices, default=Platform.SHOPIFY)
    shop_domain = models.CharField(max_length=255, db_index=True)

    class InstallMode(models.TextChoices):
        APP = "app", _("Installed app (expiring token)")
        CUSTOM_APP = "custom_app", _("Custom app token (attached by support)")

    install_mode = models.CharField(max_length=20, choices=InstallMode.choices, default=InstallMode.CUSTOM_APP)
    access_token = EncryptedTextField(blank=True, default="")
    # An installed app's token expires within the hour; the refresh token rotates at each refresh.
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_token = EncryptedTextField(blank=True, default="")
    refresh_token_expires_at = models.DateTimeField(null=True, blank=True)
    token_refreshed_at = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(default=list, blank=True, help_text=_("Access scopes the shop granted"))
    # Only a custom app's webhooks are signed with a secret of their own; an installed app's with the
    # app's client secret (settings).
    webhook_secret = EncryptedTextField(blank=True, default="")
    shop_currency = models.CharField(max_length=3, blank=True)
    # WooCommerce: the store's address and its REST API key pair (both halves encrypted, never shown
    # back); the webhooks the product created there (their ids) are signed with ``webhook_secret``.
    store_url = models.URLField(blank=True, max_length=500)
    consumer_key = EncryptedTextField(blank=True, default="")
    consumer_secret = EncryptedTextField(blank=True, default="")
    store_webhook_ids = models.JSONField(default=list, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    installed_at = models.DateTimeField(null=True, blank=True)
    uninstalled_at = models.DateTimeField(null=True, blank=True)
    last_auth_error_code = models.CharField(max_length=20, blank=True)
    webhooks_checked_at = models.DateTimeField(null=True, blank=True)
    webhook_error_code = models.CharField(max_length=20, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.shop_domain

    @property
    def is_woocommerce(self) -> bool:
        return self.platform == self.Platform.WOOCOMMERCE


class PaymentProviderConnection(TimeStampedModel):
    class Provider(models.TextChoices):
        SHOPIFY_PAYMENTS = "shopify_payments", "Shopify Payments"
        STRIPE = "stripe", "Stripe"
        KLARNA = "klarna", "Klarna"
        ADYEN = "adyen", "Adyen"

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="payment_providers")
    provider = models.CharField(max_length=30, choices=Provider.choices)
    # Klarna and Adyen issue credentials per market: one connection per (provider, market).
    market = models.CharField(max_length=20, blank=True, help_text=_("Market or currency, e.g. SE"))
    # Klarna: the API username; Adyen: the merchant account (account_id) and the report user name.
    account_id = models.CharField(max_length=100, blank=True)
    username = models.CharField(max_length=200, blank=True)
    # Klarna: region EU / NA / OC and environment production / playground; Adyen: environment live / test.
    region = models.CharField(max_length=10, blank=True)
    environment = models.CharField(max_length=20, blank=True)
    api_key = EncryptedTextField(blank=True, default="")  # Stripe key, Klarna password, Adyen report password or key
    webhook_hmac_key = EncryptedTextField(blank=True, default="")  # Adyen: the webhook's HMAC key (hex)
    currencies = models.JSONField(default=list, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "provider", "market"], name="provider_once_per_market")
        ]

    def __str__(self) -> str:
        return self.get_provider_display()


# --- Mappings --------------------------------------------------------------------------------------


class PaymentMethodMapping(models.Model):
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="payment_method_mappings")
    shop_gateway = models.CharField(max_length=100, help_text=_("Shop payment gateway name, e.g. shopify_payments"))
    bc_payment_method_code = models.CharField(max_length=10)
    mark_as_paid = models.BooleanField(
        default=False, help_text=_("No payout connector: close the invoice with a payment at sync time.")
    )
    balancing_account = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "shop_gateway"], name="payment_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.shop_gateway} -> {self.bc_payment_method_code}"


class ShippingMethodMapping(models.Model):
    # A row with this shop code maps every shipping method that has no row of its own.
    CATCH_ALL = "*"

    class LineType(models.TextChoices):
        ITEM = "Item", _("Item")
        ACCOUNT = "Account", _("G/L account")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="shipping_method_mappings")
    shop_shipping_code = models.CharField(max_length=100)
    bc_shipment_method_code = models.CharField(max_length=10, blank=True)
    line_type = models.CharField(max_length=10, choices=LineType.choices, default=LineType.ACCOUNT)
    line_number = models.CharField(max_length=20, help_text=_("Item no. or G/L account no. for the freight line"))
    vat_product_group = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "shop_shipping_code"], name="shipping_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.shop_shipping_code} -> {self.line_type} {self.line_number}"


class CountryMapping(models.Model):
    """Country -> VAT business posting group (BC taxArea) and customer defaults (OSS)."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="country_mappings")
    country_code = models.CharField(max_length=2)
    vat_business_group = models.CharField(max_length=20, help_text=_("BC taxArea code"))
    collective_customer_number = models.CharField(max_length=20, blank=True)
    currency_code = models.CharField(max_length=3, blank=True)
    payment_terms_code = models.CharField(max_length=10, blank=True)
    payment_method_code = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "country_code"], name="country_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.country_code} -> {self.vat_business_group}"


class TaxClassMapping(models.Model):
    """Product tax class -> VAT product posting group (BC taxCode)."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="tax_class_mappings")
    shop_tax_class = models.CharField(max_length=100)
    vat_product_group = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "shop_tax_class"], name="tax_class_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.shop_tax_class} -> {self.vat_product_group}"


class PayoutAccountMapping(models.Model):
    """A payout configuration: how one provider's payouts in one market and currency are booked.

    A provider may have several (one per market or currency, as Klarna and Adyen issue credentials per
    market). A payout is booked with the configuration of its provider, market and currency; a
    configuration with no market serves every market of the provider.
    """

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="payout_account_mappings")
    provider = models.CharField(max_length=30, choices=PaymentProviderConnection.Provider.choices)
    market = models.CharField(
        max_length=20, blank=True, help_text=_("The provider connection's market; empty = every market")
    )
    currency = models.CharField(max_length=3)
    journal_template = models.CharField(
        max_length=10, blank=True, help_text=_("BC Cash Receipts journal template of the customer payment batch")
    )
    journal_batch = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("BC customer payment journal batch the payments are written to; empty = the integration's"),
    )
    general_journal_batch = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("BC general journal batch for fees, refunds, disputes and the transfer; empty = same name"),
    )
    clearing_account = models.CharField(max_length=20, blank=True)
    fee_account = models.CharField(max_length=20, blank=True)
    bank_account = models.CharField(
        max_length=20, blank=True, help_text=_("BC bank account no. (e.g. BANK1) the net payout is transferred to")
    )
    disputes_account = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("G/L account for disputes, chargebacks and their reversals; empty = the fee account"),
    )
    post_journal = models.BooleanField(
        default=True, help_text=_("Post the journal lines at once, which marks the invoices paid in BC")
    )

    class Meta:
        verbose_name = _("payout configuration")
        verbose_name_plural = _("payout configurations")
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "provider", "market", "currency"], name="payout_configuration_unique"
            )
        ]

    def __str__(self) -> str:
        return " ".join(filter(None, [self.get_provider_display(), self.market, self.currency]))

    @property
    def batch_code(self) -> str:
        """The customer payment batch; empty = the integration's payment journal batch."""
        return self.journal_batch or self.integration.payment_journal_batch

    @property
    def batch_template(self) -> str:
        return self.journal_template if self.journal_batch else self.integration.payment_journal_template

    @property
    def general_batch(self) -> str:
        return self.general_journal_batch or self.batch_code

    @property
    def dispute_account(self) -> str:
        return self.disputes_account or self.fee_account


class DimensionMapping(models.Model):
    """A BC dimension value on the document header, chosen by sales channel, country or shop."""

    class Source(models.TextChoices):
        SALES_CHANNEL = "sales_channel", _("Sales channel")
        COUNTRY = "country", _("Market / country")
        SHOP = "shop", _("Shop (every order)")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="dimension_mappings")
    source = models.CharField(max_length=20, choices=Source.choices)
    source_value = models.CharField(
        max_length=100, blank=True, help_text=_("Sales channel name or country code; empty for the shop.")
    )
    dimension_code = models.CharField(max_length=20)
    dimension_value_code = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "source", "source_value", "dimension_code"], name="dimension_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_value or '*'} -> {self.dimension_code}={self.dimension_value_code}"


class LocationMapping(models.Model):
    """BC location(s) -> shop location for stock."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="location_mappings")
    bc_location_code = models.CharField(max_length=20, blank=True, help_text=_("Empty = the item's total inventory"))
    shop_location_id = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "bc_location_code", "shop_location_id"], name="location_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bc_location_code or '*'} -> {self.shop_location_id}"
