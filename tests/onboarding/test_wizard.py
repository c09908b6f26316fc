"""The Get Started wizard, step by step, with every system behind a simulator."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from integrations.models import BusinessCentralConnection, Integration, PaymentProviderConnection, ShopConnection
from integrations.selectors import payout_currencies, settings_missing, wizard_state
from integrations.services.onboarding import real_order, wizard_settings
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.onboarding.go_live import integration_go_live
from integrations.services.onboarding.stripe_account import stripe_connect
from integrations.services.onboarding.wizard_settings import integration_settings_save
from integrations.services.shopify_install import SCOPES, shop_install_complete, shop_install_start
from syncs.models import EntityType, RecordLink, SourceSystem
from syncs.services.orders.preview import OrderPreview
from tests.fixtures.shopify import APP_CLIENT_SECRET, SHOP_DOMAIN, shop_install, shopify_client_for


def url(name, integration):
    return reverse(f"merchant:{name}", args=[integration.pk])


SITE = "https://junipeer.example"


@pytest.fixture
def shop(shopify_app, settings):
    settings.SITE_URL = SITE
    return shopify_app


def _sign(query: dict) -> str:
    message = "&".join(f"{k}={query[k]}" for k in sorted(query) if k != "hmac")
    return hmac.new(APP_CLIENT_SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()


class TestSignupAndHome:
    def test_signup_creates_tenant_owner_and_logs_in(self, client, db):
        response = client.post(
            reverse("merchant:signup"),
            {
                "organisation_name": "Nordic Socks AB",
                "email": "Anna@Socks.example",
                "password1": "Sock-drawer-42",
                "password2": "Sock-drawer-42",
            },
        )

        assert response.status_code == 302 and response["Location"] == reverse("login")
        client.post(reverse("login"), {"username": "anna@socks.example", "password": "Sock-drawer-42"})
        home = client.get(reverse("merchant:home"))
        assert "Nordic Socks AB" in home.content.decode()
        assert home.context["tenant"].memberships.get().role == "owner"

    def test_signup_does_not_reveal_an_existing_email_and_tells_its_owner(self, client, merchant):
        response = client.post(
            reverse("merchant:signup"),
            {
                "organisation_name": "X",
                "email": "owner@shop.example",
                "password1": "Sock-drawer-42",
                "password2": "Sock-drawer-42",
            },
        )

        # The same answer as for a new address: nothing tells a stranger the address is registered.
        assert response.status_code == 302 and response["Location"] == reverse("login")
        assert "already exists" not in client.get(reverse("login")).content.decode()
        assert mail.outbox[-1].to == ["owner@shop.example"] and "already has an account" in mail.outbox[-1].body

    def test_pages_need_login(self, client, integration):
        response = client.get(url("wizard_flows", integration))

        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_new_integration_starts_the_wizard(self, merchant_client):
        response = merchant_client.post(reverse("merchant:integration_new"), {"name": "Webshop"})

        integration = Integration.objects.get(name="Webshop")
        assert response["Location"] == url("wizard_flows", integration)


class TestFlowsStep:
    def test_saves_flows_and_direction(self, merchant_client, integration):
        response = merchant_client.post(
            url("wizard_flows", integration),
            {"orders_enabled": "on", "products_enabled": "on", "products_direction": "both", "payouts_enabled": "on"},
        )

        assert response["Location"] == url("wizard_connect", integration)
        integration.refresh_from_db()
        assert integration.orders_enabled and integration.products_bidirectional and integration.payouts_enabled
        assert not integration.refunds_enabled and not integration.stock_enabled

    def test_requires_one_flow(self, merchant_client, integration):
        response = merchant_client.post(url("wizard_flows", integration), {})

        assert response.status_code == 200 and "at least one flow" in response.content.decode()


class TestConnectStep:
    def test_the_shop_connects_through_the_app_install(self, merchant_client, integration, shop):
        response = shop_install(merchant_client, integration, shop_domain=f"https://{SHOP_DOMAIN}/")

        assert response.status_code == 302 and response["Location"] == url("wizard_connect", integration)
        connection = ShopConnection.objects.get(integration=integration)
        assert connection.shop_domain == SHOP_DOMAIN and connection.verified_at and connection.shop_currency
        assert connection.install_mode == ShopConnection.InstallMode.APP
        # An expiring offline token (one hour) with its refresh token, both encrypted at rest.
        token, refresh = connection.access_token.reveal(), connection.refresh_token.reveal()
        assert token.startswith("shpat_") and refresh.startswith("shprt_")
        assert 3500 < (connection.access_token_expires_at - timezone.now()).total_seconds() <= 3600
        assert set(connection.scopes) == set(SCOPES)
        page = merchant_client.get(url("wizard_connect", integration)).content.decode()
        assert f"Connected: {SHOP_DOMAIN}" in page and token not in page and refresh not in page
        # The token works against the shop, and the product's webhooks are registered at its public URL.
        subscriptions = list(shop.sim.store.webhook_subscriptions.values())
        address = f"{SITE}/hooks/shopify/{integration.pk}/"
        assert {s["uri"] for s in subscriptions} == {address}
        assert {"APP_UNINSTALLED", "ORDERS_CREATE"} <= {s["topic"] for s in subscriptions}

    def test_the_install_page_lists_the_scopes_the_product_asks_for(self, merchant_client, integration, shop):
        start = merchant_client.post(url("shop_connect", integration), {"shop_domain": SHOP_DOMAIN})

        query = dict(parse_qsl(urlsplit(start["Location"]).query))
        assert start["Location"].startswith(f"{shop.url}/{SHOP_DOMAIN}/admin/oauth/authorize?")
        assert set(query["scope"].split(",")) == set(SCOPES) and "read_all_orders" in query["scope"]
        assert query["redirect_uri"] == f"{SITE}/connect/shopify/callback/" and len(query["state"]) >= 20

    def test_shopify_payments_comes_with_the_shop(self, merchant_client, integration, shop):
        shop_install(merchant_client, integration)

        provider = PaymentProviderConnection.objects.get(
            integration=integration, provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS
        )
        assert provider.verified_at and provider.currencies == ["SEK"] and not provider.api_key

    def test_a_shop_without_shopify_payments_gets_no_provider(self, merchant_client, integration, shop):
        shop.sim.store.shopify_payments_enabled = False
        try:
            shop_install(merchant_client, integration)
        finally:
            shop.sim.store.shopify_payments_enabled = True

        assert ShopConnection.objects.filter(integration=integration).exists()
        assert not PaymentProviderConnection.objects.filter(integration=integration).exists()

    @pytest.mark.parametrize(
        ("tamper", "says"),
        [
            (lambda q: q | {"hmac": "0" * 64}, "could not be verified"),
            (lambda q: q | {"code": q["code"] + "x"}, "could not be verified"),  # the hmac covers the code
            (lambda q: q | {"state": "someone-elses"}, "expired or was started elsewhere"),
        ],
    )
    def test_a_callback_that_fails_its_checks_is_refused(self, merchant_client, integration, shop, tamper, says):
        response = shop_install(merchant_client, integration, callback=tamper)

        assert (
            response.status_code == 400
            and says in response.content.decode()
            and "SHOP-020" in response.content.decode()
        )
        assert not ShopConnection.objects.filter(integration=integration, verified_at__isnull=False).exists()

    def test_a_callback_for_another_shop_or_too_old_is_refused(self, merchant_client, integration, shop):
        def other_shop(query):
            query = query | {"shop": "other-shop.myshopify.com"}
            return query | {"hmac": _sign(query)}

        def too_old(query):
            query = query | {"timestamp": str(int(query["timestamp"]) - 3600)}
            return query | {"hmac": _sign(query)}

        for tamper, says in ((other_shop, "another shop"), (too_old, "expired")):
            response = shop_install(merchant_client, integration, callback=tamper)
            assert response.status_code == 400 and says in response.content.decode()
        assert not ShopConnection.objects.filter(integration=integration).exists()

    def test_the_state_is_single_use(self, merchant_client, integration, shop):
        answers = []
        shop_install(merchant_client, integration, callback=lambda q: answers.append(q) or q)

        replay = merchant_client.get(f"/connect/shopify/callback/?{urlencode(answers[0])}")

        assert replay.status_code == 302 and replay["Location"] == reverse("merchant:home")

    def test_fewer_scopes_than_needed_are_explained(self, merchant_client, integration, shop):
        shop.sim.app.granted_scopes = tuple(s for s in SCOPES if s != "read_all_orders")

        response = shop_install(merchant_client, integration)

        page = merchant_client.get(response["Location"]).content.decode()
        assert "fewer permissions" in page and "older than 60 days" in page

    def test_shop_domain_is_validated(self, merchant_client, integration, shop):
        response = merchant_client.post(url("shop_connect", integration), {"shop_domain": "example.com"})

        assert response.status_code == 400 and "myshopify.com" in response.content.decode()

    def test_an_unconfigured_app_says_so(self, merchant_client, integration, shop, settings):
        settings.SHOPIFY_CLIENT_ID = ""

        response = merchant_client.post(url("shop_connect", integration), {"shop_domain": SHOP_DOMAIN})

        assert response.status_code == 400 and "SHOP-023" in response.content.decode()

    def test_stripe_key_is_verified(self, merchant_client, integration, stripe_server):
        response = merchant_client.post(url("stripe_connect", integration), {"api_key": stripe_server.VALID_KEY})

        assert response.status_code == 302
        provider = PaymentProviderConnection.objects.get(integration=integration)
        assert provider.account_id == "acct_1SimJunipeer00001" and provider.currencies == ["EUR", "SEK"]
        assert "GET /v1/account" in stripe_server.requests

    def test_wrong_stripe_key(self, merchant_client, integration, stripe_server):
        response = merchant_client.post(url("stripe_connect", integration), {"api_key": "sk_test_nope"})

        assert response.status_code == 400 and "Stripe refused the key" in response.content.decode()


class TestSettingsStep:
    def test_choices_come_from_bc_and_every_country_needs_a_vat_group(
        self, merchant_client, integration, bc_connected, bc_world
    ):
        page = merchant_client.get(url("wizard_settings", integration))
        form = page.context["form"]
        batch = form.fields["payment_journal_batch"].choices[1][0]
        method = form.fields["pm__shopify_payments"].choices[1][0]
        account = form.fields["freight_account"].choices[1][0]
        tax_area = [c for c, _label in form.fields["freight_account"].choices][0]
        assert batch and method and account
        base = {
            "customer_strategy": "collective_per_country",
            "document_type": "invoice_posted",
            "payment_journal_template": "CASHRCPT",
            "payment_journal_batch": batch,
            "pm__shopify_payments": method,
            "freight_account": account,
            "countries": "SE, NO",
            "collective__SE": "10000",
            "collective__NO": "10060",
        }

        first = merchant_client.post(url("wizard_settings", integration), base)

        assert first.status_code == 400
        assert "vat__NO" in first.context["form"].fields  # the new country got its own field
        assert "Choose a VAT business posting group for: NO, SE" in first.content.decode()
        tax_area = first.context["form"].fields["vat__SE"].choices[1][0]

        # OSS: each collective customer's VAT group must be its country's (BC takes it from the card).
        mismatch = merchant_client.post(
            url("wizard_settings", integration), base | {"vat__SE": "DOMESTIC", "vat__NO": "DOMESTIC"}
        )
        assert mismatch.status_code == 400
        assert "Customer 10060 is used for orders to NO but has the VAT business posting group EXPORT" in (
            mismatch.content.decode()
        )
        assert tax_area

        second = merchant_client.post(
            url("wizard_settings", integration),
            base | {"vat__SE": "DOMESTIC", "vat__NO": "EXPORT"},
        )

        assert second.status_code == 302
        integration.refresh_from_db()
        assert settings_missing(integration=integration) == []
        assert set(integration.country_mappings.values_list("country_code", flat=True)) == {"SE", "NO"}

    def test_collective_customer_choices_come_from_bc(self, merchant_client, integration, bc_connected, bc_world):
        integration.country_mappings.create(country_code="SE", vat_business_group="DOMESTIC")

        page = merchant_client.get(url("wizard_settings", integration))

        choices = page.context["form"].fields["collective__SE"].choices[1:]
        names = [label.split(" – ", 1)[1] for _number, label in choices]
        assert ("10000", "10000 – Webbshop Sverige (samlingskund)") in choices
        assert ("10060", "10060 – Webshop Norge (samlekunde)") in choices
        assert "20030" not in dict(choices)  # blocked in BC
        assert names == sorted(names, key=str.casefold)
        assert "Collective customer for SE" in page.content.decode()

    def test_saving_stores_the_collective_customers(self, merchant_client, integration, bc_connected, bc_world):
        response = merchant_client.post(
            url("wizard_settings", integration),
            self._settings(integration, merchant_client) | {"collective__SE": "10000", "collective__NO": "10060"},
        )

        assert response.status_code == 302
        stored = dict(integration.country_mappings.values_list("country_code", "collective_customer_number"))
        assert stored == {"SE": "10000", "NO": "10060"}
        integration.refresh_from_db()
        assert settings_missing(integration=integration) == []

    def test_order_options_are_saved_with_the_settings(self, merchant_client, integration, bc_connected, bc_world):
        options = {
            "order_tags_excluded": "wholesale, b2b",
            "order_sales_channels": "Online Store",
            "order_max_risk": "MEDIUM",
            "document_number_prefix": "SE-",
            "salesperson_code": "jo",
            "location_code": "main",
            "dimension_rules": "channel Online Store = SALESCHANNEL WEB\nland SE = AREA SE\nshop = AREA EU",
            "fulfil_from_bc_shipments": "on",
            "write_back_tag": "on",
        }
        response = merchant_client.post(
            url("wizard_settings", integration),
            self._settings(integration, merchant_client)
            | {"collective__SE": "10000", "collective__NO": "10060"}
            | options,
        )

        assert response.status_code == 302
        integration.refresh_from_db()
        assert (integration.document_number_prefix, integration.salesperson_code, integration.location_code) == (
            "SE-",
            "JO",
            "MAIN",
        )
        assert (integration.order_max_risk, integration.fulfil_from_bc_shipments, integration.write_back_tag) == (
            "MEDIUM",
            True,
            True,
        )
        assert not integration.write_back_metafield
        rules = set(
            integration.dimension_mappings.values_list(
                "source", "source_value", "dimension_code", "dimension_value_code"
            )
        )
        assert rules == {
            ("sales_channel", "Online Store", "SALESCHANNEL", "WEB"),
            ("country", "SE", "AREA", "SE"),
            ("shop", "", "AREA", "EU"),
        }
        page = merchant_client.get(url("wizard_settings", integration)).content.decode()
        assert "channel Online Store = SALESCHANNEL WEB" in page

    def test_a_live_integration_keeps_its_prefix_and_bad_rules_are_explained(
        self, merchant_client, integration, bc_connected, bc_world
    ):
        Integration.objects.filter(pk=integration.pk).update(went_live_at=timezone.now())
        base = self._settings(integration, merchant_client) | {"collective__SE": "10000", "collective__NO": "10060"}

        changed = merchant_client.post(url("wizard_settings", integration), base | {"document_number_prefix": "X-"})
        bad_rule = merchant_client.post(url("wizard_settings", integration), base | {"dimension_rules": "area = X"})

        assert changed.status_code == 400 and "cannot change after going live" in changed.content.decode()
        assert bad_rule.status_code == 400 and "Line 1" in bad_rule.content.decode()
        integration.refresh_from_db()
        assert integration.document_number_prefix == ""

    def test_collective_strategy_requires_one_per_country(self, merchant_client, integration, bc_connected, bc_world):
        response = merchant_client.post(
            url("wizard_settings", integration),
            # A rendered select left unchosen posts an empty value, as a browser does.
            self._settings(integration, merchant_client) | {"collective__SE": "10000", "collective__NO": ""},
        )

        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "collective__NO" in errors and "collective__SE" not in errors
        assert not integration.country_mappings.exists()

    def test_a_country_just_added_asks_for_its_choices_without_blaming_the_merchant(
        self, merchant_client, integration, bc_connected, bc_world
    ):
        data = self._settings(integration, merchant_client) | {"collective__SE": "10000", "collective__NO": "10060"}
        data["countries"] = data["countries"] + ", DE"  # typed now: DE's fields are not on the page yet

        response = merchant_client.post(url("wizard_settings", integration), data)

        form = response.context["form"]
        assert response.status_code == 400 and "collective__DE" not in form.errors
        assert "Now choose the VAT business posting group and the collective customer for DE." in str(
            form.non_field_errors()
        )
        assert "collective__DE" in form.fields  # shown now

    def test_a_customer_not_offered_by_bc_is_refused(self, merchant_client, integration, bc_connected, bc_world):
        response = merchant_client.post(
            url("wizard_settings", integration),
            self._settings(integration, merchant_client) | {"collective__SE": "20030", "collective__NO": "10060"},
        )

        assert response.status_code == 400 and "collective__SE" in response.context["form"].errors

    def test_match_by_email_does_not_require_them(self, merchant_client, integration, bc_connected, bc_world):
        data = self._settings(integration, merchant_client) | {"customer_strategy": "match_email_phone"}

        response = merchant_client.post(url("wizard_settings", integration), data | {"collective__NO": "10060"})

        assert response.status_code == 302
        stored = dict(integration.country_mappings.values_list("country_code", "collective_customer_number"))
        assert stored == {"SE": "", "NO": "10060"}  # still used for orders without e-mail or phone
        integration.refresh_from_db()
        assert settings_missing(integration=integration) == []

    def test_many_customers_are_searched_by_name_or_number(
        self, merchant_client, integration, bc_connected, bc_world, monkeypatch
    ):
        monkeypatch.setattr(wizard_settings, "CUSTOMER_CHOICES_LIMIT", 3)
        integration.country_mappings.create(
            country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
        )

        page = merchant_client.get(url("wizard_settings", integration))

        form = page.context["form"]
        assert form.customers_truncated and 'name="customer_search"' in page.content.decode()
        assert len(form.fields["collective__SE"].choices[1:]) == 4  # the limit plus the chosen one
        assert "10000" in dict(form.fields["collective__SE"].choices)

        search = merchant_client.post(
            url("wizard_settings", integration),
            {"countries": "SE, NO", "customer_search": "Norge", "search_customers": "1", "collective__SE": "10000"},
        )

        assert search.status_code == 200 and not search.context["form"].is_bound
        assert set(dict(search.context["form"].fields["collective__NO"].choices)) == {"", "10000", "10060"}
        assert integration.country_mappings.get().collective_customer_number == "10000"  # nothing saved

    def test_missing_collective_customer_keeps_settings_open_and_blocks_go_live(self, integration, bc_connected):
        integration.payment_journal_batch = "BANK"
        integration.save()
        integration.payment_method_mappings.create(shop_gateway="shopify_payments", bc_payment_method_code="KORT")
        integration.shipping_method_mappings.create(shop_shipping_code="*", line_number="3010")
        integration.country_mappings.create(country_code="SE", vat_business_group="DOMESTIC")
        integration.country_mappings.create(
            country_code="NO", vat_business_group="EXPORT", collective_customer_number="10060"
        )

        assert settings_missing(integration=integration) == ["collective customer for SE"]
        state = wizard_state(integration=integration)
        assert not state.steps[2].done and "collective customer for SE" in state.steps[2].hint
        with pytest.raises(OnboardingError, match="Finish"):
            integration_go_live(integration=integration)

        integration.customer_strategy = Integration.CustomerStrategy.MATCH_EMAIL_PHONE
        integration.save()
        assert settings_missing(integration=integration) == []

    @staticmethod
    def _settings(integration, merchant_client) -> dict:
        """Valid settings for SE and NO, read from the page's BC choices (collective customers left out)."""
        form = merchant_client.get(url("wizard_settings", integration)).context["form"]
        return {
            "customer_strategy": "collective_per_country",
            "document_type": "invoice_posted",
            "payment_journal_template": "CASHRCPT",
            "payment_journal_batch": form.fields["payment_journal_batch"].choices[1][0],
            "pm__shopify_payments": form.fields["pm__shopify_payments"].choices[1][0],
            "freight_account": form.fields["freight_account"].choices[1][0],
            "countries": "SE, NO",
            "vat__SE": "DOMESTIC",
            "vat__NO": "EXPORT",
        }

    def test_without_a_company_the_step_says_what_to_do(self, merchant_client, integration):
        response = merchant_client.get(url("wizard_settings", integration))

        assert "Sign in with Microsoft first" in response.content.decode()

    def test_payout_accounts_required_per_provider_currency(self, integration, bc_connected, stripe_server):
        integration.payouts_enabled = True
        integration.save()
        stripe_connect(integration=integration, api_key=stripe_server.VALID_KEY)

        assert payout_currencies(integration=integration) == [("stripe", "EUR"), ("stripe", "SEK")]
        assert "payout accounts" in settings_missing(integration=integration)

    def test_the_payout_transfer_offers_bc_bank_accounts_not_gl_accounts(
        self, merchant_client, integration, bc_connected, stripe_server
    ):
        integration.payouts_enabled = True
        integration.save()
        stripe_connect(integration=integration, api_key=stripe_server.VALID_KEY)

        form = merchant_client.get(url("wizard_settings", integration)).context["form"]

        bank = [code for code, _label in form.fields["payout__stripe__SEK__bank"].choices if code]
        clearing = [code for code, _label in form.fields["payout__stripe__SEK__clearing"].choices if code]
        assert "BANK1" in bank and "BANK1" not in clearing
        assert not set(bank) & set(clearing)


class TestMatchedCustomersVat:
    def test_the_settings_step_names_a_matched_customer_with_another_vat_group(
        self, merchant_client, integration, bc_connected
    ):
        """OSS: Fabrikam (EU group in BC) was matched by e-mail for an order to DE, mapped to OSS-DE."""
        integration.country_mappings.create(country_code="DE", vat_business_group="OSS-DE")
        for number, country in (("20010", "DE"), ("10010", "DE")):  # 10010 has OSS-DE: no mismatch
            RecordLink.objects.create(
                integration=integration, entity_type=EntityType.CUSTOMER, source_system=SourceSystem.SHOPIFY,
                source_id=f"gid://shopify/Customer/{number}", target_number=number, state=RecordLink.State.SYNCED,
                details={"matched_country": country},
            )  # fmt: skip

        page = merchant_client.get(url("wizard_settings", integration))

        assert page.context["vat_mismatches"] == [
            "Customer 20010 is used for orders to DE but has the VAT business posting group EU; DE is mapped to OSS-DE."
        ]
        assert "Customer 20010 is used for orders to DE" in page.content.decode()


class TestPayoutConfigurations:
    @pytest.fixture
    def klarna(self, integration, bc_connected):
        integration.payouts_enabled = True
        integration.save()
        for market in ("SE", "NO"):
            integration.payment_providers.create(provider="klarna", market=market, currencies=["SEK"])
        return integration

    def _post(self, merchant_client, integration, **payout) -> object:
        form = merchant_client.get(url("wizard_settings", integration)).context["form"]
        data = {
            "customer_strategy": "match_email_phone",
            "document_type": "invoice_posted",
            "pm__shopify_payments": form.fields["pm__shopify_payments"].choices[1][0],
            "freight_account": "3540",
            "countries": "SE",
            "vat__SE": "DOMESTIC",
        }
        for key in ("klarna__SE__SEK", "klarna__NO__SEK"):
            data |= {
                f"payout__{key}__batch": "CASHRCPT|KLARNA",
                f"payout__{key}__general": "GENERAL",
                f"payout__{key}__clearing": "1582",
                f"payout__{key}__fee": "6064",
                f"payout__{key}__post": "on",
            }
        return merchant_client.post(url("wizard_settings", integration), data | payout)

    def test_one_configuration_per_market_with_batches_of_every_cash_receipts_template(
        self, merchant_client, klarna, bc_world
    ):
        form = merchant_client.get(url("wizard_settings", klarna)).context["form"]

        batches = dict(form.fields["payout__klarna__SE__SEK__batch"].choices)
        assert "CASHRCPT|KLARNA" in batches and "INBET-EU|KLARNA-EU" in batches  # the second template's too
        assert batches["INBET-EU|KLARNA-EU"].startswith("INBET-EU / KLARNA-EU")  # shown with its template
        assert not any(value.startswith("REC-CASH|") or value.startswith("GENERAL|") for value in batches)
        assert "payout__klarna__NO__SEK__batch" in form.fields
        assert form.fields["payout__klarna__SE__SEK__post"].initial is True  # posting on by default

        response = self._post(merchant_client, klarna, **{"payout__klarna__NO__SEK__disputes": "6570"})

        assert response.status_code == 302
        configs = {
            (m.market, m.journal_template, m.journal_batch, m.general_journal_batch, m.disputes_account, m.post_journal)
            for m in klarna.payout_account_mappings.all()
        }
        assert configs == {
            ("SE", "CASHRCPT", "KLARNA", "GENERAL", "", True),
            ("NO", "CASHRCPT", "KLARNA", "GENERAL", "6570", True),
        }
        klarna.refresh_from_db()
        assert settings_missing(integration=klarna) == []

    def test_a_batch_the_api_cannot_write_to_or_balancing_elsewhere_is_refused(self, merchant_client, klarna):
        other_template = self._post(merchant_client, klarna, **{"payout__klarna__SE__SEK__batch": "INBET-EU|KLARNA-EU"})
        mark_paid_elsewhere = self._post(merchant_client, klarna, payment_journal_batch="INBET-EU|KLARNA-EU")
        elsewhere = self._post(merchant_client, klarna, **{"payout__klarna__NO__SEK__clearing": "1580"})

        assert other_template.status_code == 400
        assert "writes customer payments only into the batches of CASHRCPT" in other_template.content.decode()
        assert elsewhere.status_code == 400
        assert "balances against 1582" in elsewhere.content.decode()
        assert mark_paid_elsewhere.status_code == 400
        assert "KLARNA-EU is in the journal template INBET-EU" in mark_paid_elsewhere.content.decode()
        assert not klarna.payout_account_mappings.exists()

    def test_no_journal_batch_is_required_when_payouts_are_off(self, integration, bc_connected):
        integration.payment_method_mappings.create(shop_gateway="shopify_payments", bc_payment_method_code="KORT")
        integration.shipping_method_mappings.create(shop_shipping_code="*", line_number="3010")
        integration.country_mappings.create(country_code="SE", vat_business_group="DOMESTIC")
        Integration.objects.filter(pk=integration.pk).update(customer_strategy="match_email_phone")
        integration.refresh_from_db()

        assert integration.payment_journal_batch == "" and settings_missing(integration=integration) == []


class TestTestAndGoLive:
    @pytest.fixture
    def ready(self, integration, bc_connected, shop, merchant_client):
        shop_install(merchant_client, integration)
        integration.payment_journal_batch = "BANK"
        integration.save()
        integration.payment_method_mappings.create(shop_gateway="shopify_payments", bc_payment_method_code="KORT")
        integration.shipping_method_mappings.create(shop_shipping_code="*", line_number="3010")
        integration.country_mappings.create(
            country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
        )
        integration.test_order_passed_at = timezone.now()  # step 4 done: a real order previewed cleanly
        integration.save()
        return integration

    def test_go_live_waits_for_a_clean_test_order(self, merchant_client, ready):
        ready.test_order_passed_at = None
        ready.save()

        response = merchant_client.post(url("wizard_live", ready), {})

        ready.refresh_from_db()
        assert not ready.live_mode and "Test with a real order" in response.content.decode()

    def test_go_live_on_a_sandbox(self, merchant_client, ready):
        response = merchant_client.post(url("wizard_live", ready), {})

        assert response.status_code == 302
        ready.refresh_from_db()
        assert ready.live_mode and ready.allow_writes and ready.status == Integration.Status.LIVE
        # Shops report order times in whole seconds: an order from the go-live second is after the cut-off.
        assert ready.order_exclusion_date is not None and ready.order_exclusion_date.microsecond == 0
        assert ready.order_exclusion_date <= ready.went_live_at

    def test_go_live_runs_the_preflight_and_a_failure_blocks_it(self, merchant_client, ready, bc_world):
        from syncs.models import PreflightRun

        # Cards are marked paid at sync, so the integration's own batch is needed (payouts are off).
        ready.payment_method_mappings.update(mark_as_paid=True)
        bc_world.company("sandbox", "CRONUS Sverige AB").delete_journal_batch("BANK")

        response = merchant_client.post(url("wizard_live", ready), {})

        ready.refresh_from_db()
        page = response.content.decode()
        assert response.status_code == 200 and not ready.live_mode and not ready.allow_writes
        assert "health check found" in page and "BANK" in page and "BC-501" in page
        run = PreflightRun.objects.get(integration=ready)
        assert run.trigger == PreflightRun.Trigger.WIZARD and run.status == PreflightRun.Status.FAILED

    def test_going_live_schedules_the_flows(self, merchant_client, ready, django_capture_on_commit_callbacks):
        from django_q.models import Schedule

        with django_capture_on_commit_callbacks(execute=True):
            merchant_client.post(url("wizard_live", ready), {})

        assert Schedule.objects.filter(name=f"jbc:integration-{ready.pk}-orders").exists()

    def test_going_live_queues_a_first_run_of_each_enabled_flow(self, merchant_client, ready):
        from syncs.models import SyncRun

        merchant_client.post(url("wizard_live", ready), {})

        runs = SyncRun.objects.filter(integration=ready, trigger=SyncRun.Trigger.GO_LIVE)
        assert sorted(runs.values_list("flow", flat=True)) == ["orders"]  # the only scheduled flow switched on

    def test_saving_settings_while_live_queues_a_run_and_never_doubles_one(self, merchant_client, ready):
        from syncs.models import SyncRun

        merchant_client.post(url("wizard_live", ready), {})
        ready.refresh_from_db()
        integration_settings_save(
            integration=ready,
            customer_strategy=ready.customer_strategy,
            document_type=ready.document_type,
            payment_journal_template="CASHRCPT",
            payment_journal_batch="BANK",
            payment_methods={"shopify_payments": "KORT"},
            shipment_method="",
            freight_account="3010",
            countries={"SE": "INRIKES"},
        )
        # The go-live run is still queued (no worker here), so saving adds no second one.
        assert SyncRun.objects.filter(integration=ready, flow="orders").count() == 1
        SyncRun.objects.filter(integration=ready).update(status=SyncRun.Status.SUCCEEDED)

        integration_settings_save(
            integration=ready,
            customer_strategy=ready.customer_strategy,
            document_type=ready.document_type,
            payment_journal_template="CASHRCPT",
            payment_journal_batch="BANK",
            payment_methods={"shopify_payments": "KORT"},
            shipment_method="",
            freight_account="3010",
            countries={"SE": "INRIKES"},
        )
        assert SyncRun.objects.filter(integration=ready, trigger=SyncRun.Trigger.SETTINGS).count() == 1

    def test_production_without_sandbox_test_asks_for_confirmation(self, merchant_client, ready):
        BusinessCentralConnection.objects.filter(integration=ready).update(environment_type="Production")

        first = merchant_client.post(url("wizard_live", ready), {})
        ready.refresh_from_db()
        assert first.status_code == 200 and not ready.live_mode
        assert "without a successful test in a Sandbox" in first.content.decode()
        assert 'name="confirm_production"' in first.content.decode()

        merchant_client.post(url("wizard_live", ready), {"confirm_production": "on"})
        ready.refresh_from_db()
        assert ready.live_mode

    def test_production_after_a_sandbox_test_needs_no_confirmation(self, ready):
        ready.sandbox_test_passed_at = timezone.now()
        ready.save()
        BusinessCentralConnection.objects.filter(integration=ready).update(environment_type="Production")

        assert integration_go_live(integration=ready).live_mode

    def test_go_live_refuses_an_unfinished_setup(self, merchant_client, integration):
        response = merchant_client.post(url("wizard_live", integration), {})

        integration.refresh_from_db()
        assert "Finish" in response.content.decode() and not integration.live_mode

    def test_test_order_preview_on_sandbox_marks_the_sandbox_test(self, merchant_client, ready, monkeypatch):
        from syncs.services import order_test

        calls = []

        def fake_preview(*, integration, order_name, clients=None):
            calls.append(order_name)
            preview = OrderPreview(order_name=order_name, document_type="invoice", currency="SEK")
            return order_test.OrderTestOutcome(preview=preview)

        monkeypatch.setattr(real_order, "order_test_preview", fake_preview)

        response = merchant_client.post(url("wizard_test", ready), {"order_name": " #1001 ", "action": "preview"})

        assert calls == ["#1001"]
        page = response.content.decode()
        assert "This order can be synced" in page and "Create in Sandbox" in page
        ready.refresh_from_db()
        assert ready.sandbox_test_passed_at is not None and ready.status == Integration.Status.TESTING
        assert ready.test_order_passed_at is not None
        assert wizard_state(integration=ready).steps[3].done

    def test_create_in_sandbox_shows_the_document_with_its_link(self, merchant_client, ready, monkeypatch):
        from syncs.services import order_test

        def fake_run(*, integration, order_name, clients=None):
            preview = OrderPreview(order_name=order_name, document_type="invoice_posted", currency="SEK")
            document = order_test.SandboxDocument(
                number="103001", kind="invoice", status="Open", bc_total="198.00", shop_total="198.00",
                currency="SEK", url="https://businesscentral.dynamics.com/t/sandbox/?page=132",
            )  # fmt: skip
            return order_test.OrderTestOutcome(preview=preview, document=document, created=True)

        monkeypatch.setattr(real_order, "order_test_run", fake_run)

        response = merchant_client.post(url("wizard_test", ready), {"order_name": "#1001", "action": "create"})

        page = response.content.decode()
        assert "Created in your Sandbox company" in page and "103001" in page and "198.00 SEK" in page
        assert 'href="https://businesscentral.dynamics.com/t/sandbox/?page=132"' in page
        ready.refresh_from_db()
        assert ready.sandbox_test_passed_at is not None

    def test_a_sandbox_write_that_fails_is_not_a_passed_test(self, merchant_client, ready, monkeypatch):
        from syncs.services import order_test

        def fake_run(*, integration, order_name, clients=None):
            preview = OrderPreview(order_name=order_name, document_type="invoice_posted", currency="SEK")
            error = {"code": "BC-802", "title": "Orders are syncing right now", "message": "Wait.", "remedy": ""}
            return order_test.OrderTestOutcome(preview=preview, errors=[error])

        monkeypatch.setattr(real_order, "order_test_run", fake_run)
        ready.test_order_passed_at = None
        ready.save()

        response = merchant_client.post(url("wizard_test", ready), {"order_name": "#1001", "action": "create"})

        assert 'href="/help/errors/BC-802/"' in response.content.decode()
        ready.refresh_from_db()
        assert ready.test_order_passed_at is None and ready.sandbox_test_passed_at is None

    def test_a_production_company_offers_the_preview_only(self, merchant_client, ready):
        BusinessCentralConnection.objects.filter(integration=ready).update(
            environment_type=BusinessCentralConnection.EnvironmentType.PRODUCTION
        )

        page = merchant_client.get(url("wizard_test", ready)).content.decode()

        assert "Create in Sandbox" not in page and "preview only" in page

    def test_failed_preview_is_not_a_passed_test(self, merchant_client, ready, monkeypatch):
        from syncs.services import order_test

        monkeypatch.setattr(
            real_order,
            "order_test_preview",
            lambda *, integration, order_name, clients=None: order_test.OrderTestOutcome(
                preview=OrderPreview(order_name, found=False)
            ),
        )

        ready.test_order_passed_at = None
        ready.save()

        response = merchant_client.post(url("wizard_test", ready), {"order_name": "#404"})

        assert "No order with this number" in response.content.decode()
        ready.refresh_from_db()
        assert ready.sandbox_test_passed_at is None and ready.test_order_passed_at is None
        assert not wizard_state(integration=ready).steps[3].done


class PaymentsOutage(requests.Session):
    """Shopify answers the shop query; the Shopify Payments query meets a 503 every time."""

    def post(self, url, **kwargs):
        if "PaymentsAccount" in (kwargs.get("json") or {}).get("query", ""):
            outage = requests.Response()
            outage.status_code, outage._content = 503, b"{}"
            return outage
        return super().post(url, **kwargs)


class TestShopifyPaymentsFailures:
    """An outage while asking for Shopify Payments is not "no Shopify Payments": it is said, with its code."""

    def test_an_unreachable_payments_check_is_surfaced_with_its_code(self, integration, shop):
        session: dict = {}
        authorize = shop_install_start(integration=integration, shop_domain=SHOP_DOMAIN, session=session)
        query = dict(parse_qsl(urlsplit(authorize).query))
        answer = shop.sim.app.install(redirect_uri=query["redirect_uri"], state=query["state"], scopes=tuple(SCOPES))
        client = shopify_client_for(shop, session=PaymentsOutage())

        result = shop_install_complete(
            integration=integration, params=dict(parse_qsl(urlsplit(answer).query)), session=session, client=client
        )

        assert result.payments_error_code == "SHOP-005"
        assert ShopConnection.objects.get(integration=integration).last_error.startswith("SHOP-005")
        assert not PaymentProviderConnection.objects.filter(integration=integration).exists()
