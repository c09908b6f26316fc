"""The configured payment journal template/batch exists and balances; payout accounts are mapped."""

from __future__ import annotations

from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, JournalBatch, Status


def _configured_batch(facts: IntegrationFacts, snap: BCSnapshot) -> JournalBatch | None:
    for batch in snap.journal_batches or []:
        template_ok = not facts.payment_journal_template or not batch.template
        template_ok = template_ok or batch.template.upper() == facts.payment_journal_template.upper()
        if batch.code.upper() == facts.payment_journal_batch.upper() and template_ok:
            return batch
    return None


def check_journal_batch(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "payment_journal.batch"
    if not facts.payment_journal_batch:
        if facts.payouts_enabled:
            return [
                CheckResult.problem(
                    name, Status.FAIL, "BC-501", [], template=facts.payment_journal_template or "-", batch="-"
                )
            ]
        return [CheckResult.ok(name, "No payment journal configured (payouts are off).")]
    if _configured_batch(facts, snap) is None:
        objects = [{"template": facts.payment_journal_template, "batch": facts.payment_journal_batch}]
        return [
            CheckResult.problem(
                name,
                Status.FAIL,
                "BC-501",
                objects,
                template=facts.payment_journal_template or "-",
                batch=facts.payment_journal_batch,
            )
        ]
    label = f"{facts.payment_journal_template}/{facts.payment_journal_batch}".strip("/")
    return [CheckResult.ok(name, f"Payment journal {label} exists.", [label])]


def check_balancing_account(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "payment_journal.balancing_account"
    batch = _configured_batch(facts, snap) if facts.payment_journal_batch else None
    if batch is None:
        return [CheckResult.ok(name, "Not applicable: no payment journal batch found (see the batch check).")]
    if not batch.balancing_account:
        return [CheckResult.problem(name, Status.FAIL, "BC-502", [batch.code], batch=batch.code)]
    return [CheckResult.ok(name, f"Batch {batch.code} balances against {batch.balancing_account}.", [batch.code])]


def check_payout_accounts(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    name = "payment_journal.payout_accounts"
    if not facts.payouts_enabled:
        return [CheckResult.ok(name, "Payouts are off.")]
    problems = []
    for provider, currencies in sorted(facts.providers.items()):
        for currency in sorted(currencies or {facts.base_currency}):
            if (provider, currency) not in facts.payout_accounts:
                problems.append(
                    CheckResult.problem(
                        name,
                        Status.FAIL,
                        "PAY-003",
                        [{"provider": provider, "currency": currency}],
                        provider=provider,
                        currency=currency,
                    )
                )
    mapped = listing(f"{p} {c}" for p, c in facts.payout_accounts) or "-"
    return [combine(name, problems, f"Payout accounts mapped: {mapped}.")]
