"""Merchant forms: input parsing and field validation only (rules live in the services)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from integrations.labels import gateway_label
from integrations.models import BusinessCentralConnection, DimensionMapping, Integration
from integrations.services.payout_configurations import (
    JournalChoices,
    PayoutConfiguration,
    batch_choice_problem,
    batch_value_split,
)
from syncs.errors import get_error

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TENANT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_TENANT_ALIASES = {"organizations", "common", "consumers"}


class SignupForm(forms.Form):
    organisation_name = forms.CharField(label=_("Company name"), max_length=200)
    email = forms.EmailField(label=_("Work e-mail"))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            # With the user: a password like the e-mail address is refused too.
            user = get_user_model()(username=data.get("email") or "", email=data.get("email") or "")
            try:
                password_validation.validate_password(data["password1"], user=user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class IntegrationCreateForm(forms.Form):
    name = forms.CharField(label=_("Integration name"), max_length=200, initial=_("My shop → Business Central"))


class FlowsForm(forms.Form):
    PRODUCTS_DIRECTION = [("bc_to_shop", _("Business Central → shop")), ("both", _("Both ways"))]

    orders_enabled = forms.BooleanField(label=_("Orders: shop → Business Central"), required=False)
    refunds_enabled = forms.BooleanField(label=_("Refunds: shop → Business Central (credit memos)"), required=False)
    customers_enabled = forms.BooleanField(label=_("Customers: shop → Business Central"), required=False)
    products_enabled = forms.BooleanField(label=_("Products"), required=False)
    products_direction = forms.ChoiceField(label=_("Products direction"), choices=PRODUCTS_DIRECTION, required=False)
    stock_enabled = forms.BooleanField(label=_("Stock: Business Central → shop"), required=False)
    payouts_enabled = forms.BooleanField(label=_("Payouts: payment provider → Business Central"), required=False)

    def flows(self) -> dict[str, bool]:
        data = dict(self.cleaned_data)
        data["products_bidirectional"] = data.pop("products_direction", "") == "both"
        return data


# Access tokens and API keys are printable ASCII without spaces; anything else cannot go in an HTTP header.
_TOKEN = re.compile(r"^[\x21-\x7e]+$")


def _token_clean(value: str) -> str:
    value = value.strip()
    if not _TOKEN.match(value):
        raise forms.ValidationError(
            _("This is not a valid key: paste it again exactly as shown, without spaces or other characters."),
            code="token_characters",
        )
    return value


class ShopConnectForm(forms.Form):
    shop_domain = forms.CharField(
        label=_("Shop domain"), max_length=255, help_text=_("for example my-shop.myshopify.com")
    )


class WooConnectForm(forms.Form):
    """A WooCommerce store: its address and a REST API key (WooCommerce > Settings > Advanced > REST API).
    The key and secret are never filled in again: a stored pair is not shown back."""

    store_url = forms.CharField(
        label=_("Store address"), max_length=500, help_text=_("for example https://shop.example.com")
    )
    consumer_key = forms.CharField(
        label=_("Consumer key"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("starts with ck_"),
    )
    consumer_secret = forms.CharField(
        label=_("Consumer secret"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("starts with cs_"),
    )

    def clean_consumer_key(self) -> str:
        return _token_clean(self.cleaned_data["consumer_key"])

    def clean_consumer_secret(self) -> str:
        return _token_clean(self.cleaned_data["consumer_secret"])


class StripeConnectForm(forms.Form):
    api_key = forms.CharField(
        label=_("Stripe secret or restricted key"), widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )

    def clean_api_key(self) -> str:
        return _token_clean(self.cleaned_data["api_key"])


class BCOrganisationForm(forms.Form):
    """Which Microsoft organisation owns the Business Central, and who signs in."""

    organisation = forms.CharField(
        label=_("Organisation that owns Business Central"),
        max_length=253,
        help_text=_(
            "Its Microsoft domain (for example contoso.com or contoso.onmicrosoft.com) or its tenant id. "
            "External accountants and partners enter the merchant's organisation, not their own."
        ),
    )
    login_hint = forms.EmailField(
        label=_("Your Microsoft account"),
        required=False,
        help_text=_("The work account you sign in to Business Central with."),
    )

    def clean_organisation(self) -> str:
        value = self.cleaned_data["organisation"].strip().lower()
        if "@" in value:
            value = value.rsplit("@", 1)[1]  # an e-mail address names its domain
        if value in _TENANT_ALIASES or not (_TENANT_ID.match(value) or _DOMAIN.match(value)):
            raise forms.ValidationError(
                _("Enter the organisation's domain, such as contoso.com, or its tenant id (a GUID).")
            )
        return value


class BCOnPremisesForm(forms.Form):
    """Business Central on-premises: the server instance, what it holds, and how Junipeer signs in."""

    server_url = forms.CharField(
        label=_("Server address"),
        max_length=500,
        help_text=_(
            "The server instance, for example https://bc.contoso.com:7048/BC. You can paste an OData URL from the "
            "Web Services page: the part from /ODataV4 on is removed."
        ),
    )
    environment_type = forms.ChoiceField(
        label=_("This server holds"),
        choices=[
            (BusinessCentralConnection.EnvironmentType.PRODUCTION, _("My live books")),
            (BusinessCentralConnection.EnvironmentType.SANDBOX, _("A test copy")),
        ],
        widget=forms.RadioSelect,
        initial=BusinessCentralConnection.EnvironmentType.PRODUCTION,
    )
    auth_method = forms.ChoiceField(
        label=_("Sign in with"),
        choices=BusinessCentralConnection.AuthMethod.choices,
        widget=forms.RadioSelect,
        initial=BusinessCentralConnection.AuthMethod.ACCESS_KEY,
    )
    username = forms.CharField(
        label=_("Business Central user name"),
        max_length=250,
        required=False,
        help_text=_("A user set up for this integration only, with NavUserPassword authentication."),
    )
    access_key = forms.CharField(
        label=_("Web service access key"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("From the user card in Business Central (Web Service Access Key)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("auth_method") == BusinessCentralConnection.AuthMethod.ACCESS_KEY:
            if not (data.get("username") or "").strip():
                self.add_error("username", _("Enter the user name the access key belongs to."))
            if not (data.get("access_key") or "").strip():
                self.add_error("access_key", _("Enter the user's web service access key."))
        return data


class CompanySelectForm(forms.Form):
    environment = forms.CharField(widget=forms.HiddenInput)
    company_id = forms.ChoiceField(label=_("Company"), widget=forms.RadioSelect)

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company_id"].choices = [(c.id, c.name or c.display_name) for c in companies]


def _blank(choices, label=None):
    return [("", label or _("— choose —")), *choices]


class SettingsForm(forms.Form):
    """Built from live BC lists; the country rows follow the countries the merchant enters."""

    customer_strategy = forms.ChoiceField(label=_("Customers"), choices=Integration.CustomerStrategy.choices)
    document_type = forms.ChoiceField(label=_("Orders become"), choices=Integration.DocumentType.choices)
    # Template and batch in one choice, read from BC: the template is never typed.
    payment_journal_batch = forms.ChoiceField(
        label=_("Payment journal batch for payments marked paid"),
        help_text=_(
            "Only for payment methods without a payout connection, whose invoices are marked paid when the order "
            "is synced. Payouts use the journal of their payout configuration below."
        ),
        required=False,
    )
    shipment_method = forms.ChoiceField(label=_("BC shipment method for shop shipping"), required=False)
    freight_account = forms.ChoiceField(label=_("G/L account for freight charges"))
    countries = forms.CharField(
        label=_("Countries you sell to"),
        help_text=_("Two-letter codes separated by commas, for example SE, NO, DE."),
    )
    customer_search = forms.CharField(
        label=_("Find a Business Central customer"),
        help_text=_("Part of the customer's name or number; narrows the collective customer lists."),
        max_length=100,
        required=False,
    )

    # Orders: which are synced, what every document carries, what goes back to the shop.
    sync_test_orders = forms.BooleanField(label=_("Sync test orders"), required=False)
    order_tags_required = forms.CharField(
        label=_("Only orders with one of these tags"),
        help_text=_("Tags separated by commas; empty = every order."),
        max_length=500,
        required=False,
    )
    order_tags_excluded = forms.CharField(
        label=_("Skip orders with any of these tags"),
        help_text=_("Tags separated by commas."),
        max_length=500,
        required=False,
    )
    order_sales_channels = forms.CharField(
        label=_("Only orders from these sales channels"),
        help_text=_(
            "As Shopify names them, separated by commas, for example Online Store, Point of Sale; empty = all."
        ),
        max_length=500,
        required=False,
    )
    order_max_risk = forms.ChoiceField(
        label=_("Skip orders riskier than"),
        choices=Integration._meta.get_field("order_max_risk").choices,
        required=False,
    )
    document_number_prefix = forms.CharField(
        label=_("Document number prefix"),
        help_text=_(
            "Starts the external document number of every document, for example SE- (#1001 becomes SE-#1001). "
            "Needed when several shops share this company; fixed once the integration is live."
        ),
        max_length=10,
        required=False,
    )
    salesperson_code = forms.CharField(label=_("Salesperson code on documents"), max_length=20, required=False)
    location_code = forms.CharField(label=_("Location code on item lines"), max_length=10, required=False)
    dimension_rules = forms.CharField(
        label=_("Dimensions on documents"),
        help_text=_(
            "One rule per line: “channel Online Store = SALESCHANNEL WEB”, “country SE = AREA SE” or "
            "“shop = AREA EU” (dimension code, then value code)."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    fulfil_from_bc_shipments = forms.BooleanField(
        label=_("Shipments posted in Business Central fulfil the shop order (sales orders only)"), required=False
    )
    write_back_metafield = forms.BooleanField(
        label=_("Write the Business Central number to the shop order as a metafield"), required=False
    )
    write_back_tag = forms.BooleanField(label=_("Tag the shop order with the Business Central number"), required=False)

    def __init__(self, *args, choices, gateways, payout_rows=(), countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.gateways = list(gateways)
        self.payout_rows = list(payout_rows)
        self.choices = choices
        journals = choices.journals or JournalChoices([], "", [])
        self.batches = {batch.value: batch for batch in journals.cash_receipt_batches}
        batch_choices = [(batch.value, batch.label) for batch in journals.cash_receipt_batches]
        self.fields["payment_journal_batch"].choices = _blank(batch_choices, _("— none —"))
        self.fields["shipment_method"].choices = _blank(choices.shipment_methods, _("— none —"))
        self.fields["freight_account"].choices = _blank(choices.accounts)
        for gateway in self.gateways:
            self.fields[f"pm__{gateway}"] = forms.ChoiceField(
                label=_("Payment method for “%(gateway)s”") % {"gateway": gateway_label(gateway)},
                choices=_blank(choices.payment_methods, _("— not used —")),
                required=False,
            )
        if self.is_bound:
            countries = countries_parse(self.data.get("countries", ""))
        self.customers_truncated = choices.customers_truncated
        self.customers_limit = choices.customers_limit
        for code in countries:
            self.fields[f"vat__{code}"] = forms.ChoiceField(
                label=_("VAT business posting group for %(country)s") % {"country": code},
                choices=_blank(choices.tax_areas),
                required=False,
            )
            # Required with the collective strategy (checked in clean(), which sees the chosen strategy).
            self.fields[f"collective__{code}"] = forms.ChoiceField(
                label=_("Collective customer for %(country)s") % {"country": code},
                choices=_blank(choices.customers),
                required=False,
            )
        for row in self.payout_rows:
            for kind, label, required, options in (
                ("batch", _("customer payment journal batch"), True, batch_choices),
                ("general", _("general journal batch for fees and the transfer"), False, journals.general_batches),
                ("clearing", _("clearing account"), True, choices.accounts),
                ("fee", _("fee account"), True, choices.accounts),
                ("disputes", _("disputes and chargebacks account"), False, choices.accounts),
                # The transfer of the net amount lands on a BC bank account, not on a G/L account.
                ("bank", _("bank account"), False, choices.bank_accounts),
            ):
                blank = _("— same name as the payment batch —") if kind == "general" else None
                blank = _("— the fee account —") if kind == "disputes" else blank
                self.fields[f"payout__{row.key}__{kind}"] = forms.ChoiceField(
                    label=f"{row.label}: {label}", choices=_blank(options, blank), required=required
                )
            self.fields[f"payout__{row.key}__post"] = forms.BooleanField(
                label=_("%(configuration)s: post the journal (invoices become Paid)") % {"configuration": row.label},
                required=False,
                initial=True,
            )

    def clean_dimension_rules(self):
        try:
            return dimension_rules_parse(self.cleaned_data.get("dimension_rules") or "")
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_countries(self):
        raw = self.cleaned_data["countries"]
        codes = countries_parse(raw)
        bad = [c for c in re.split(r"[\s,;]+", raw.upper()) if c and not _COUNTRY.match(c)]
        if bad or not codes:
            raise forms.ValidationError(_("Use two-letter country codes, for example SE, NO, DE."))
        return codes

    def clean(self):
        data = super().clean()
        self._payout_rows_clean(data)
        self._customer_vat_groups_clean(data)
        if data.get("customer_strategy") == Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY:
            new_countries = []
            for code in data.get("countries") or []:
                name = f"collective__{code}"
                if name not in self.data:
                    new_countries.append(code)  # just added: its fields were not on the page yet
                elif name in self.fields and not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        _("Choose the Business Central customer that orders to %(country)s are booked on.")
                        % {"country": code},
                    )
            if new_countries:
                self.add_error(
                    None,
                    _("Now choose the VAT business posting group and the collective customer for %(countries)s.")
                    % {"countries": ", ".join(new_countries)},
                )
        return data

    def clean_payment_journal_batch(self):
        value = self.cleaned_data["payment_journal_batch"]
        choice = self.batches.get(value or "")
        default = (self.choices.journals or JournalChoices([], "", [])).default_template
        if choice is not None and default and choice.template and choice.template != default:
            raise forms.ValidationError(
                get_error("BC-503").render(batch=choice.code, template=choice.template, default_template=default)
            )
        return value

    def _payout_rows_clean(self, data) -> None:
        """A batch of another Cash Receipts template, or one balancing elsewhere, cannot book the payouts."""
        journals = self.choices.journals or JournalChoices([], "", [])
        for row in self.payout_rows:
            name = f"payout__{row.key}__batch"
            problem = batch_choice_problem(
                row=row,
                choice=self.batches.get(data.get(name) or ""),
                default_template=journals.default_template,
                clearing_account=data.get(f"payout__{row.key}__clearing") or "",
            )
            if problem and name not in self.errors:
                self.add_error(name, problem)

    def _customer_vat_groups_clean(self, data) -> None:
        """OSS: BC takes the VAT group from the customer card, so a collective customer must have its country's."""
        groups = self.choices.customer_vat_groups or {}
        for code in data.get("countries") or []:
            name, expected = f"collective__{code}", data.get(f"vat__{code}") or ""
            number = data.get(name) or ""
            actual = groups.get(number, "")
            if number and expected and actual and actual != expected and name not in self.errors:
                message = get_error("MAP-027").render(
                    customer_number=number, country=code, customer_group=actual, vat_bus_group=expected
                )
                self.add_error(name, message)

    def payout_configurations(self) -> list[PayoutConfiguration]:
        data = self.cleaned_data
        configurations = []
        for row in self.payout_rows:
            template, batch = batch_value_split(data.get(f"payout__{row.key}__batch", ""))
            configurations.append(
                PayoutConfiguration(
                    provider=row.provider,
                    market=row.market,
                    currency=row.currency,
                    journal_template=template,
                    journal_batch=batch,
                    general_journal_batch=data.get(f"payout__{row.key}__general", ""),
                    clearing_account=data[f"payout__{row.key}__clearing"],
                    fee_account=data[f"payout__{row.key}__fee"],
                    disputes_account=data.get(f"payout__{row.key}__disputes", ""),
                    bank_account=data.get(f"payout__{row.key}__bank", ""),
                    post_journal=bool(data.get(f"payout__{row.key}__post")),
                )
            )
        return configurations

    def country_fields(self):
        return [self[name] for name in self.fields if name.startswith("vat__")]

    def collective_fields(self):
        return [self[name] for name in self.fields if name.startswith("collective__")]

    def collective_customers(self) -> dict[str, str]:
        data = self.cleaned_data
        return {code: data.get(f"collective__{code}", "") for code in data["countries"]}

    def gateway_fields(self):
        return [self[name] for name in self.fields if name.startswith("pm__")]

    def payout_fields(self):
        return [self[name] for name in self.fields if name.startswith("payout__")]

    def payout_groups(self):
        """Per payout row: its label and its fields (the template shows one fieldset each)."""
        return [
            (row.label, [self[name] for name in self.fields if name.startswith(f"payout__{row.key}__")])
            for row in self.payout_rows
        ]


_SOURCES = {
    "channel": DimensionMapping.Source.SALES_CHANNEL,
    "kanal": DimensionMapping.Source.SALES_CHANNEL,
    "country": DimensionMapping.Source.COUNTRY,
    "land": DimensionMapping.Source.COUNTRY,
    "shop": DimensionMapping.Source.SHOP,
    "butik": DimensionMapping.Source.SHOP,
}
_RULE = re.compile(r"^(?P<source>\w+)(?P<value>[^=]*)=\s*(?P<dimension>\S+)\s+(?P<code>\S+)\s*$")


def dimension_rules_parse(raw: str) -> list[tuple[str, str, str, str]]:
    """Lines "channel Online Store = SALESCHANNEL WEB" -> (source, source value, dimension, value)."""
    rules = []
    for number, line in enumerate((raw or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _RULE.match(line.strip())
        source = _SOURCES.get(match.group("source").lower()) if match else None
        value = match.group("value").strip() if match else ""
        if source is None or (source != DimensionMapping.Source.SHOP) != bool(value):
            raise ValueError(
                _(
                    "Line %(number)s: write “channel NAME = DIMENSION VALUE”, “country CODE = DIMENSION VALUE” or "
                    "“shop = DIMENSION VALUE”."
                )
                % {"number": number}
            )
        if source == DimensionMapping.Source.COUNTRY:
            value = value.upper()
        rules.append((source, value, match.group("dimension").upper()[:20], match.group("code").upper()[:20]))
    return rules


def dimension_rules_text(mappings) -> str:
    words = {
        DimensionMapping.Source.SALES_CHANNEL: "channel",
        DimensionMapping.Source.COUNTRY: "country",
        DimensionMapping.Source.SHOP: "shop",
    }
    lines = []
    for m in mappings:
        head = f"{words[m.source]} {m.source_value}" if m.source_value else words[m.source]
        lines.append(f"{head} = {m.dimension_code} {m.dimension_value_code}")
    return "\n".join(lines)


def countries_parse(raw: str) -> list[str]:
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", (raw or "").upper()):
        if _COUNTRY.match(code) and code not in seen:
            seen.append(code)
    return seen


class StockLocationsForm(forms.Form):
    """One shop location per Business Central location (or none), and one for the total inventory."""

    PREFIX = "loc__"

    total_location = forms.ChoiceField(
        label=_("Each item's total inventory to"),
        help_text=_("Used only when no Business Central location above is sent to the shop."),
        required=False,
    )

    def __init__(self, *args, bc_locations: list[tuple[str, str]], shop_locations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("Not sent to the shop")), *shop_locations]
        self.fields["total_location"].choices = [("", _("Not sent to the shop")), *shop_locations]
        self.bc_codes = [code for code, _label in bc_locations]
        for code, label in bc_locations:
            self.fields[f"{self.PREFIX}{code}"] = forms.ChoiceField(label=label, choices=options, required=False)

    @property
    def location_fields(self):
        return [self[f"{self.PREFIX}{code}"] for code in self.bc_codes]

    def by_code(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{self.PREFIX}{code}", "") for code in self.bc_codes}


class TestOrderForm(forms.Form):
    order_name = forms.CharField(label=_("Order number in the shop"), help_text=_("for example #1001"), max_length=50)


class GoLiveForm(forms.Form):
    confirm_production = forms.BooleanField(
        label=_("Yes, write to my Production books without a Sandbox test"), required=False
    )
