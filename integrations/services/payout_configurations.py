"""Payout configurations in the wizard: one row per provider, market and currency, its choices read
live from BC (customer payment batches of every Cash Receipts template, with the template), checked
before saving, and saved as PayoutAccountMapping rows.

BC's customer payments API writes only into the batches of the first non-recurring Cash Receipts
template (codeunit Graph Mgt - Journal), so a batch of another template is listed (the merchant sees
where it is) but refused with BC-503's words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from integrations.connectors.businesscentral import PageNotPublished, entities
from integrations.models import Integration, PaymentProviderConnection, PayoutAccountMapping, ShopConnection
from syncs.errors import get_error

CASH_RECEIPTS = "Cash Receipts"
BATCH_SEPARATOR = "|"


@dataclass(frozen=True)
class PayoutRow:
    """What needs a configuration: a provider connection's market and currency."""

    provider: str
    market: str
    currency: str

    @property
    def key(self) -> str:
        return "__".join(part for part in (self.provider, self.market, self.currency) if part)

    @property
    def label(self) -> str:
        name = dict(PaymentProviderConnection.Provider.choices).get(self.provider, self.provider)
        return " ".join(part for part in (str(name), self.market, self.currency) if part)


@dataclass(frozen=True)
class BatchChoice:
    template: str  # "" when the templates page is not published: the API's default template
    code: str
    description: str
    balancing_account: str

    @property
    def value(self) -> str:
        return f"{self.template}{BATCH_SEPARATOR}{self.code}"

    @property
    def label(self) -> str:
        where = f"{self.template} / {self.code}" if self.template else self.code
        balancing = f" → {self.balancing_account}" if self.balancing_account else ""
        return f"{where} – {self.description}{balancing}"


@dataclass
class JournalChoices:
    cash_receipt_batches: list[BatchChoice]
    default_template: str  # "" when unknown (pages not published)
    general_batches: list[tuple[str, str]]


def batch_value_split(value: str) -> tuple[str, str]:
    """``"CASHRCPT|SHOPIFY"`` -> ("CASHRCPT", "SHOPIFY"); a bare code has no template."""
    template, _sep, code = (value or "").rpartition(BATCH_SEPARATOR)
    return template, code


def journal_choices_read(client) -> JournalChoices:
    """Customer payment batches of every Cash Receipts template (pages 101 and 251), else the API's list
    of the default template's batches; general journal batches from the API."""
    api_batches = client.list_records(entities.CUSTOMER_PAYMENT_JOURNALS)
    general = [(j.code, f"{j.code} – {j.display_name}") for j in client.list_records(entities.JOURNALS)]
    try:
        templates = client.journal_templates()
        every = client.journal_batches()
    except (PageNotPublished, ValueError):  # not published, or a client without the company's name
        batches = [BatchChoice("", b.code, b.display_name, b.balancing_account_number) for b in api_batches]
        return JournalChoices(batches, "", general)
    cash = sorted(t.name for t in templates if t.type == CASH_RECEIPTS and not t.recurring)
    batches = [
        BatchChoice(b.template, b.name, b.description, b.balancing_account_number)
        for b in sorted(every, key=lambda b: (b.template, b.name))
        if b.template in cash
    ]
    return JournalChoices(batches, cash[0] if cash else "", general)


def payout_rows(*, integration: Integration) -> list[PayoutRow]:
    """One row per provider connection and currency (Shopify Payments: the shop's currency), plus every
    configuration already saved; none when the payouts flow is off."""
    if not integration.payouts_enabled:
        return []
    rows: list[PayoutRow] = []
    shop = ShopConnection.objects.filter(integration=integration).first()
    if shop and shop.shop_currency:
        rows.append(PayoutRow(PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS.value, "", shop.shop_currency))
    for connection in integration.payment_providers.order_by("provider", "market"):
        if connection.provider == PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS:
            continue
        currencies = connection.currencies or [integration.base_currency]
        rows += [PayoutRow(connection.provider, connection.market.upper(), c.upper()) for c in currencies]
    rows += [
        PayoutRow(m.provider, m.market.upper(), m.currency.upper())
        for m in integration.payout_account_mappings.order_by("provider", "market", "currency")
    ]
    return list(dict.fromkeys(rows))


def payout_rows_missing(*, integration: Integration) -> list[PayoutRow]:
    """Rows without a configuration naming a batch, a clearing account and a fee account."""
    complete = {
        PayoutRow(m.provider, m.market.upper(), m.currency.upper())
        for m in integration.payout_account_mappings.exclude(clearing_account="").exclude(fee_account="")
        if m.batch_code
    }
    return [
        row
        for row in payout_rows(integration=integration)
        if row not in complete and PayoutRow(row.provider, "", row.currency) not in complete
    ]


def batch_choice_problem(
    *, row: PayoutRow, choice: BatchChoice | None, default_template: str, clearing_account: str
) -> str:
    """Why a chosen customer payment batch cannot book the row's payouts ("" when it can)."""
    if choice is None:
        return ""
    if default_template and choice.template and choice.template != default_template:
        return get_error("BC-503").render(
            batch=choice.code, template=choice.template, default_template=default_template
        )
    if clearing_account and choice.balancing_account != clearing_account:
        return get_error("PAY-006").render(
            batch=choice.code,
            journal_account=choice.balancing_account or "-",
            provider=row.label,
            currency=row.currency,
            clearing_account=clearing_account,
        )
    return ""


@dataclass(frozen=True)
class PayoutConfiguration:
    provider: str
    currency: str
    clearing_account: str
    fee_account: str
    bank_account: str = ""
    market: str = ""
    journal_template: str = ""
    journal_batch: str = ""  # "" = the integration's payment journal batch
    general_journal_batch: str = ""
    disputes_account: str = ""
    post_journal: bool = True


def payout_configurations_save(
    *, integration: Integration, configurations: Iterable[PayoutConfiguration]
) -> list[PayoutAccountMapping]:
    saved = []
    for config in configurations:
        mapping, _created = PayoutAccountMapping.objects.update_or_create(
            integration=integration,
            provider=config.provider,
            market=config.market.upper(),
            currency=config.currency.upper(),
            defaults={
                "journal_template": config.journal_template or integration.payment_journal_template,
                "journal_batch": config.journal_batch or integration.payment_journal_batch,
                "general_journal_batch": config.general_journal_batch,
                "clearing_account": config.clearing_account,
                "fee_account": config.fee_account,
                "bank_account": config.bank_account,
                "disputes_account": config.disputes_account,
                "post_journal": config.post_journal,
            },
        )
        saved.append(mapping)
    return saved


def batch_initial(choices, template: str, code: str) -> str:
    """The choice value of a stored template and batch (a bare code matches the API's default list)."""
    journals = getattr(choices, "journals", None)
    if not code or journals is None:
        return ""
    for batch in journals.cash_receipt_batches:
        if batch.code == code and (not template or not batch.template or batch.template == template):
            return batch.value
    return ""


def payout_initial(choices, mappings: Iterable[PayoutAccountMapping]) -> dict:
    """The wizard's initial values of the saved configurations."""
    initial: dict = {}
    for mapping in mappings:
        key = PayoutRow(mapping.provider, mapping.market.upper(), mapping.currency.upper()).key
        initial |= {
            f"payout__{key}__batch": batch_initial(choices, mapping.batch_template, mapping.batch_code),
            f"payout__{key}__general": mapping.general_journal_batch,
            f"payout__{key}__clearing": mapping.clearing_account,
            f"payout__{key}__fee": mapping.fee_account,
            f"payout__{key}__disputes": mapping.disputes_account,
            f"payout__{key}__bank": mapping.bank_account,
            f"payout__{key}__post": mapping.post_journal,
        }
    return initial
