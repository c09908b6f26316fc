"""Every payout will post: each payout configuration's batches exist where the API writes, balance
against its clearing account, and every account it books to can be posted to.

Customer payment lines take their balancing account from their batch (the API has no per-line field),
so the batch must balance against the configuration's clearing account; general journal lines name
their own balancing account, so the general batch's may be anything. The customer payments API writes
only into the batches of the first non-recurring Cash Receipts template (BC's Graph Mgt - Journal).
"""

from __future__ import annotations

from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import (
    BankAccount,
    BCSnapshot,
    CheckResult,
    GLAccount,
    IntegrationFacts,
    JournalBatch,
    PayoutConfig,
    Status,
)

CASH_RECEIPTS = "Cash Receipts"
GENERAL_TEMPLATE = "GENERAL"


def default_cash_receipts_template(snap: BCSnapshot) -> str:
    """The template the customer payments API writes into ("" when the templates page is unread)."""
    names = sorted(
        t.name for t in (snap.journal_templates or {}).values() if t.type == CASH_RECEIPTS and not t.recurring
    )
    return names[0] if names else ""


def _payment_batch(code: str, snap: BCSnapshot) -> JournalBatch | None:
    """The customerPaymentJournals batch (template "" in the snapshot: the API's default template)."""
    return next((b for b in snap.journal_batches or [] if not b.template and b.code.upper() == code.upper()), None)


def _general_batch(code: str, snap: BCSnapshot) -> JournalBatch | None:
    return next((b for b in snap.journal_batches or [] if b.template and b.code.upper() == code.upper()), None)


def _configs(facts: IntegrationFacts) -> list[PayoutConfig]:
    return facts.payout_configs if facts.payouts_enabled else []


def _batch_problem(name: str, config: PayoutConfig, snap: BCSnapshot) -> CheckResult | None:
    template = config.journal_template or "-"
    objects = [{"configuration": config.label, "template": template, "batch": config.journal_batch or "-"}]
    if not config.journal_batch:
        return CheckResult.problem(name, Status.FAIL, "BC-501", objects, template=template, batch="-")
    default = default_cash_receipts_template(snap)
    if snap.journal_templates is not None and config.journal_template:
        found = snap.journal_templates.get(config.journal_template)
        in_template = any(
            b.template.upper() == config.journal_template.upper() and b.code.upper() == config.journal_batch.upper()
            for b in snap.all_batches or []
        )
        if found is None or found.type != CASH_RECEIPTS or not in_template:
            return CheckResult.problem(
                name, Status.FAIL, "BC-501", objects, template=config.journal_template, batch=config.journal_batch
            )
        if default and config.journal_template.upper() != default.upper():
            objects[0]["default_template"] = default
            return CheckResult.problem(
                name,
                Status.FAIL,
                "BC-503",
                objects,
                batch=config.journal_batch,
                template=config.journal_template,
                default_template=default,
            )
    if _payment_batch(config.journal_batch, snap) is None:
        return CheckResult.problem(
            name, Status.FAIL, "BC-501", objects, template=default or template, batch=config.journal_batch
        )
    return None


def check_journal_batch(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    """Each configuration's customer payment batch exists in its template, where the API writes; the
    integration's own batch too when payments are marked paid at sync."""
    name = "payment_journal.batch"
    problems: list[CheckResult] = []
    checked: list[str] = []
    for config in _configs(facts):
        problem = _batch_problem(name, config, snap)
        if problem is not None:
            problems.append(problem)
        else:
            checked.append(f"{config.label}: {config.journal_template or '-'}/{config.journal_batch}")
    if facts.mark_paid:
        code = facts.payment_journal_batch
        if not code or _payment_batch(code, snap) is None:
            template = facts.payment_journal_template or "-"
            problems.append(
                CheckResult.problem(
                    name,
                    Status.FAIL,
                    "BC-501",
                    [{"template": template, "batch": code or "-"}],
                    template=template,
                    batch=code or "-",
                )  # fmt: skip
            )
        else:
            checked.append(f"{facts.payment_journal_template or '-'}/{code}")
    if not checked and not problems:
        return [CheckResult.ok(name, "No payment journal needed (payouts are off and nothing is marked paid).")]
    return [combine(name, problems, f"Payment journal batches exist: {listing(checked)}.", checked)]


def check_balancing_account(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    """Each configuration's customer payment batch balances against its clearing account."""
    name = "payment_journal.balancing_account"
    problems, checked = [], []
    for config in _configs(facts):
        batch = _payment_batch(config.journal_batch, snap) if config.journal_batch else None
        if batch is None:
            continue  # the batch check names it
        objects = [
            {
                "configuration": config.label,
                "batch": batch.code,
                "balancing_account": batch.balancing_account,
                "clearing_account": config.clearing_account,
            }
        ]
        if not batch.balancing_account:
            problems.append(CheckResult.problem(name, Status.FAIL, "BC-502", objects, batch=batch.code))
        elif config.clearing_account and batch.balancing_account.upper() != config.clearing_account.upper():
            problems.append(
                CheckResult.problem(
                    name,
                    Status.FAIL,
                    "PAY-006",
                    objects,
                    batch=batch.code,
                    journal_account=batch.balancing_account,
                    provider=config.label,
                    currency=config.currency,
                    clearing_account=config.clearing_account,
                )
            )
        else:
            checked.append(f"{batch.code} -> {batch.balancing_account}")
    if not checked and not problems:
        return [CheckResult.ok(name, "Not applicable: no customer payment batch to check (see the batch check).")]
    return [combine(name, problems, f"Batches balance against their clearing accounts: {listing(checked)}.", checked)]


def check_general_batch(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    """Fees, refunds, disputes and the transfer are general journal lines: their batch must exist."""
    name = "payment_journal.general_batch"
    problems, checked = [], []
    for config in _configs(facts):
        code = config.general_batch
        if not code:
            continue  # no customer payment batch either: the batch check names it
        if _general_batch(code, snap) is None:
            objects = [{"configuration": config.label, "template": GENERAL_TEMPLATE, "batch": code}]
            problems.append(
                CheckResult.problem(name, Status.FAIL, "BC-501", objects, template=GENERAL_TEMPLATE, batch=code)
            )
        else:
            checked.append(code)
    if not checked and not problems:
        return [CheckResult.ok(name, "Payouts are off.")]
    return [combine(name, problems, f"General journal batches exist: {listing(set(checked))}.", sorted(set(checked)))]


def _gl_problem(name: str, config: PayoutConfig, number: str, gl_accounts: dict[str, GLAccount]) -> CheckResult | None:
    objects = [{"configuration": config.label, "account": number}]
    account = gl_accounts.get(number)
    if account is None:
        return CheckResult.problem(name, Status.FAIL, "BC-504", objects, account=number, configuration=config.label)
    if account.account_type != "Posting":
        return CheckResult.problem(name, Status.FAIL, "BC-505", objects, account=number, configuration=config.label)
    if account.blocked:
        return CheckResult.problem(name, Status.FAIL, "BC-506", objects, account=number, configuration=config.label)
    return None


def _bank_problem(
    name: str, config: PayoutConfig, number: str, bank_accounts: dict[str, BankAccount]
) -> CheckResult | None:
    objects = [{"configuration": config.label, "account": number}]
    bank = bank_accounts.get(number)
    if bank is None:
        return CheckResult.problem(name, Status.FAIL, "BC-504", objects, account=number, configuration=config.label)
    if bank.blocked:
        return CheckResult.problem(name, Status.FAIL, "BC-506", objects, account=number, configuration=config.label)
    # A bank account without a currency takes lines in any currency; one with a currency only its own.
    bank_currency = bank.currency
    if bank_currency and config.currency and bank_currency.upper() != config.currency.upper():
        objects[0] |= {"bank_currency": bank_currency, "currency": config.currency}
        return CheckResult.problem(
            name,
            Status.FAIL,
            "BC-507",
            objects,
            account=number,
            configuration=config.label,
            bank_currency=bank_currency,
            currency=config.currency,
        )
    return None


def check_payout_accounts_in_bc(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    """Every account a payout books to exists, is a posting account, is not blocked; a bank account with
    a currency holds the payout's (G/L accounts carry no currency in BC)."""
    name = "payment_journal.accounts"
    configs = _configs(facts)
    if not configs:
        return [CheckResult.ok(name, "Payouts are off.")]
    if snap.gl_accounts is None or snap.bank_accounts is None:
        error = snap.errors.get("accounts") or snap.errors.get("bankAccounts")
        message = error.message if error else "The accounts could not be read."
        return [CheckResult(name, Status.FAIL, message, [], error.entry.code if error else "")]
    gl_accounts, bank_accounts = snap.gl_accounts, snap.bank_accounts
    problems, checked = [], set()
    for config in configs:
        numbers = [config.clearing_account, config.fee_account, config.disputes_account, facts.rounding_account]
        found = [(n, _gl_problem(name, config, n, gl_accounts)) for n in dict.fromkeys(n for n in numbers if n)]
        if config.bank_account:
            found.append((config.bank_account, _bank_problem(name, config, config.bank_account, bank_accounts)))
        for number, problem in found:
            if problem is None:
                checked.add(number)
            else:
                problems.append(problem)
    return [combine(name, problems, f"Payout accounts can be posted to: {listing(checked)}.", sorted(checked))]


def check_payout_accounts(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    """Every provider connection (market, currency) has a configuration naming clearing and fee accounts."""
    name = "payment_journal.payout_accounts"
    if not facts.payouts_enabled:
        return [CheckResult.ok(name, "Payouts are off.")]
    problems = []
    for provider, market, currencies, label in facts.provider_connections:
        for currency in sorted(currencies or {facts.base_currency.upper()}):
            matching = [
                c
                for c in facts.payout_configs
                if c.provider == provider and c.currency == currency and c.market in ("", market)
            ]
            objects = [{"provider": provider, "market": market, "currency": currency}]
            if not matching:
                problems.append(
                    CheckResult.problem(
                        name, Status.FAIL, "PAY-013", objects, provider=label, market=market, currency=currency
                    )
                )
    for config in facts.payout_configs:
        if not config.clearing_account or not config.fee_account:
            problems.append(
                CheckResult.problem(
                    name,
                    Status.FAIL,
                    "PAY-003",
                    [{"configuration": config.label}],
                    provider=config.label,
                    currency=config.currency,
                )
            )
    configured = listing(c.label for c in facts.payout_configs) or "-"
    return [combine(name, problems, f"Payout configurations: {configured}.")]
