"""E-mails to merchants: the daily digest of new errors.

Immediate e-mails (needs re-authorisation, a new preflight failure) are sent by the services that
detect those events; this module holds the digest, which groups the day's errors per tenant so a
busy shop gets one e-mail, not hundreds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from integrations.models import Tenant, TenantMembership
from syncs.models import SyncLogEntry

MAX_CODES_LISTED = 20


def tenant_notification_recipients(*, tenant: Tenant) -> list[str]:
    """Owners' e-mail addresses, else the tenant's contact address."""
    emails = list(
        TenantMembership.objects.filter(tenant=tenant, role=TenantMembership.Role.OWNER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not emails and tenant.contact_email:
        emails = [tenant.contact_email]
    return emails


def error_digest_send(*, since: dt.datetime | None = None, until: dt.datetime | None = None) -> int:
    """E-mail each tenant a summary of the errors logged in [since, until). Returns e-mails sent."""
    until = until or timezone.now()
    since = since or until - dt.timedelta(days=1)
    errors = (
        SyncLogEntry.objects.filter(level=SyncLogEntry.Level.ERROR, created_at__gte=since, created_at__lt=until)
        .values_list("integration__tenant_id", "integration__name", "error_code")
        .order_by()
    )
    by_tenant: dict[int, Counter] = defaultdict(Counter)
    for tenant_id, integration_name, code in errors.iterator(chunk_size=2000):
        by_tenant[tenant_id][(integration_name, code or "-")] += 1

    sent = 0
    for tenant in Tenant.objects.filter(pk__in=by_tenant):
        recipients = tenant_notification_recipients(tenant=tenant)
        if not recipients:
            continue
        counts = by_tenant[tenant.pk]
        lines = [
            f"  {integration}: {code} x {count}" for (integration, code), count in counts.most_common(MAX_CODES_LISTED)
        ]
        total = sum(counts.values())
        body = (
            f"{total} error(s) were logged for {tenant.name} between {since:%Y-%m-%d %H:%M} and "
            f"{until:%Y-%m-%d %H:%M} UTC:\n\n" + "\n".join(lines) + "\n\n"
            f"Each code's cause and remedy: {settings.SITE_URL}/help/errors/\n"
            f"Failed records can be retried from your integration's page once the cause is fixed.\n"
        )
        send_mail(
            subject=f"[Junipeer BC] {total} sync error(s) in the last day",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        sent += 1
    return sent
