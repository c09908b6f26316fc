"""Mapping rows proposed from what the shop really used (integrations.services.shop_usage) and the
choices read from the Business Central company: a payment method per gateway, a VAT business
posting group per country. The merchant confirms or changes each; nothing here is saved.

Proposals are matched on BC's own codes and names: a gateway whose name a payment method's code or
name contains ("klarna" -> KLARNA), a country whose code a posting group carries ("DE" -> OSS-DE),
the home country's domestic group, the EU group for other EU countries, the export group otherwise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from integrations.connectors.shopify import ShopifyError
from integrations.connectors.woocommerce import WooError
from integrations.services.shop_clients import shop_client_build
from integrations.services.shop_usage import COUNTRY, GATEWAY, ShopUsage, shop_usage_read

logger = logging.getLogger(__name__)

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
DOMESTIC_WORDS = ("DOM", "INRIKES", "NATIONAL", "LOCAL", "INLAND")
EU_WORDS = ("EU",)
EXPORT_WORDS = ("EXPORT", "UTRIKES", "FOREIGN", "WORLD", "NON-EU")
# Gateways Shopify names differently from what a BC payment method is called.
GATEWAY_ALIASES = {"shopify_payments": ("shopify", "card", "kort"), "paypal": ("paypal",), "manual": ("bank", "manual")}


@dataclass(frozen=True)
class MappingProposals:
    usage: ShopUsage | None
    gateways: list[str] = field(default_factory=list)  # seen (most used first), then the usual ones
    payment_methods: dict[str, str] = field(default_factory=dict)  # gateway -> BC payment method code
    countries: list[str] = field(default_factory=list)  # seen, most used first
    vat_groups: dict[str, str] = field(default_factory=dict)  # country -> VAT business posting group


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", text.lower()) if t}


def propose_payment_method(gateway: str, payment_methods: Iterable[tuple[str, str]]) -> str:
    own = [t for t in re.split(r"[^a-z0-9]+", gateway.lower()) if t and t not in ("payments", "payment", "gateway")]
    methods = [(code, _tokens(code) | _tokens(label)) for code, label in payment_methods]
    for word in dict.fromkeys([*own, *GATEWAY_ALIASES.get(gateway, ())]):  # its own name before an alias
        for code, words in methods:
            if word in words:
                return code
    return ""


def _group_with(groups: list[str], words: Iterable[str]) -> str:
    for word in words:
        for code in groups:
            if word in re.split(r"[^A-Z0-9]+", code.upper()) or code.upper().startswith(word):
                return code
    return ""


def propose_vat_group(country: str, *, home_country: str, groups: Iterable[str]) -> str:
    codes = list(groups)
    country = country.upper()
    own = _group_with(codes, [country])
    if own:
        return own
    if country == home_country.upper():
        return _group_with(codes, DOMESTIC_WORDS)
    if country in EU:
        return _group_with(codes, EU_WORDS)
    return _group_with(codes, EXPORT_WORDS)


def mapping_proposals_build(
    *,
    usage: ShopUsage | None,
    usual_gateways: Iterable[str],
    payment_methods: Iterable[tuple[str, str]],
    vat_groups: Iterable[tuple[str, str]],
    home_country: str,
    mapped_gateways: Mapping[str, str] | None = None,
) -> MappingProposals:
    """Every gateway seen or usual (or already mapped) gets a row; seen ones get a proposal."""
    payment_methods = list(payment_methods)
    groups = [code for code, _label in vat_groups]
    seen_gateways = usage.values(GATEWAY) if usage else []
    gateways = list(dict.fromkeys([*seen_gateways, *usual_gateways, *(mapped_gateways or {})]))
    countries = usage.values(COUNTRY) if usage else []
    return MappingProposals(
        usage=usage,
        gateways=gateways,
        payment_methods={g: propose_payment_method(g, payment_methods) for g in seen_gateways},
        countries=countries,
        vat_groups={c: propose_vat_group(c, home_country=home_country, groups=groups) for c in countries},
    )


def settings_proposals_get(
    *, integration, choices, now, usual_gateways: Iterable[str], shop_client=None
) -> MappingProposals:
    """The proposals for the settings step: the shop's recent orders read now (``shop_client``
    replaces the one built from the stored connection); none when the shop cannot be read."""
    usage = None
    shop = getattr(integration, "shop_connection", None)
    if shop_client is None and shop is not None and shop.verified_at:
        shop_client = shop_client_build(connection=shop)
    if shop_client is not None:
        try:
            usage = shop_usage_read(client=shop_client, now=now)
        except (ShopifyError, WooError):
            logger.info("Integration %s: the shop's recent orders could not be read for proposals", integration.pk)
    return mapping_proposals_build(
        usage=usage,
        usual_gateways=usual_gateways,
        payment_methods=choices.payment_methods,
        vat_groups=choices.tax_areas,
        home_country=choices.home_country,
        mapped_gateways={m.shop_gateway: m.bc_payment_method_code for m in integration.payment_method_mappings.all()},
    )


@dataclass(frozen=True)
class UnmappedUse:
    """A country or gateway recent orders used that no mapping row covers: those orders would fail."""

    code: str  # the catalogue code the sync would fail with
    kind: str  # COUNTRY or GATEWAY
    value: str
    orders: int
    examples: list[str]


def recent_orders_unmapped(*, integration, usage: ShopUsage) -> list[UnmappedUse]:
    mapped = {
        COUNTRY: {m.country_code.upper() for m in integration.country_mappings.all()},
        GATEWAY: {m.shop_gateway for m in integration.payment_method_mappings.all()},
    }
    codes = {COUNTRY: "MAP-002", GATEWAY: "MAP-013"}
    return [
        UnmappedUse(codes[kind], kind, value, usage.counts[kind][value], usage.orders_using(kind, value))
        for kind in (COUNTRY, GATEWAY)
        for value in usage.values(kind)
        if value not in mapped[kind]
    ]


def go_live_warnings_get(*, integration, now, shop_client=None) -> tuple[ShopUsage | None, list[UnmappedUse]]:
    """The shop's recent orders and those a mapping would fail, named, before going live."""
    shop = getattr(integration, "shop_connection", None)
    if shop_client is None and shop is not None and shop.verified_at:
        shop_client = shop_client_build(connection=shop)
    if shop_client is None:
        return None, []
    try:
        usage = shop_usage_read(client=shop_client, now=now)
    except (ShopifyError, WooError):
        logger.info("Integration %s: the shop's recent orders could not be read before go-live", integration.pk)
        return None, []
    return usage, recent_orders_unmapped(integration=integration, usage=usage)
