"""Every shop currency exists in BC, exchange rates are current, LCY matches."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status


def foreign_currencies(facts: IntegrationFacts, snap: BCSnapshot) -> set[str]:
    lcy = snap.local_currency or facts.base_currency
    # BC has no currency row for its own LCY: the empty currency code means LCY.
    return {c for c in facts.shop_currencies | facts.order_currencies if c and c != lcy}


def check_currencies_exist(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "currencies.exist"
    wanted = foreign_currencies(facts, snap)
    known = snap.currencies or set()
    problems = [
        CheckResult.problem(name, Status.FAIL, "BC-302", [code], currency=code) for code in sorted(wanted - known)
    ]
    return [combine(name, problems, f"Currencies set up in Business Central: {listing(wanted) or '-'}.")]


def check_exchange_rates(
    facts: IntegrationFacts, snap: BCSnapshot, *, today: dt.date | None = None
) -> list[CheckResult]:
    name = "currencies.exchange_rates"
    today = today or timezone.localdate()
    max_age = getattr(settings, "PREFLIGHT_EXCHANGE_RATE_MAX_AGE_DAYS", 14)
    problems = []
    for code in sorted(foreign_currencies(facts, snap) & (snap.currencies or set())):
        latest = snap.latest_rates.get(code)
        if latest is None or latest > today:
            problems.append(CheckResult.problem(name, Status.FAIL, "BC-301", [code], currency=code, date=today))
        elif (today - latest).days > max_age:
            age = (today - latest).days
            problems.append(
                CheckResult.problem(
                    name,
                    Status.WARN,
                    "BC-303",
                    [{"currency": code, "starting_date": latest.isoformat(), "age_days": age}],
                    currency=code,
                    starting_date=latest.isoformat(),
                    age_days=age,
                )
            )
    return [combine(name, problems, f"Exchange rates are at most {max_age} days old.")]


def check_local_currency(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "currencies.local_currency"
    if snap.local_currency != facts.base_currency:
        return [
            CheckResult.problem(
                name,
                Status.FAIL,
                "BC-304",
                [{"bc": snap.local_currency, "integration": facts.base_currency}],
                bc_currency=snap.local_currency or "-",
                expected=facts.base_currency,
            )
        ]
    return [CheckResult.ok(name, f"Local currency {snap.local_currency} matches.", [snap.local_currency])]
