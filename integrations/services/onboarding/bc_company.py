"""Wizard step 2: the Business Central environment and company, and the company shared by integrations."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from integrations.connectors.businesscentral import (
    BCAccessKeyRejected,
    BCAuthError,
    BCError,
    BusinessCentralClient,
)
from integrations.connectors.entra import EntraError
from integrations.models import (
    BusinessCentralConnection,
    Integration,
)
from integrations.selectors import company_sharing_integrations
from integrations.services.base_currency import LocalCurrencyUnknown, integration_base_currency_refresh
from integrations.services.bc_auth import bc_credentials
from integrations.services.onboarding.errors import (
    CompanyAlreadyConnected,
    OnboardingError,
)
from syncs.errors import classify_exception

# Business Central refused a user Entra signed in (not the token): fixed in BC's user setup.
BC_USER_REFUSED = "BC-011"


def bc_client_build(
    connection: BusinessCentralConnection, *, environment: str = "", company_id: str = "", company_name: str = ""
):
    """``company_name`` addresses the ODataV4 pages (journal templates and batches)."""
    if connection.is_on_premises:
        return BusinessCentralClient(
            api_root=connection.on_premises_root,
            on_premises=True,
            company_id=company_id,
            company_name=company_name,
            credentials=bc_credentials(connection=connection),
        )
    return BusinessCentralClient(
        api_root=connection.api_root_override or settings.BC_API_ROOT,
        tenant_id=connection.entra_tenant_id,
        environment=environment,
        company_id=company_id,
        company_name=company_name,
        credentials=bc_credentials(connection=connection),
    )


def signed_in_connection(integration: Integration) -> BusinessCentralConnection:
    connection = BusinessCentralConnection.objects.filter(integration=integration).first()
    if connection is None or not connection.has_credentials:
        if connection is not None and connection.uses_access_key:
            raise OnboardingError(_("Enter the user name and web service access key first."))
        raise OnboardingError(_("Sign in with Microsoft first."))
    return connection


def bc_read(call):
    try:
        return call()
    except EntraError as error:  # the token provider: the sign-in itself failed (already recorded)
        raise OnboardingError(f"{error.code}: {error.entry.title}. {error.entry.remedy}") from None
    except BCAccessKeyRejected as error:
        entry = classify_exception(error).entry
        raise OnboardingError(f"{entry.code}: {entry.title}. {entry.remedy}") from None
    except BCAuthError as error:
        refusal = classify_exception(error)
        if refusal.entry.code == BC_USER_REFUSED:
            # A token Entra just issued, refused by BC itself: licence, company permission, trial.
            entry = refusal.entry
            raise OnboardingError(f"{entry.code}: {entry.title}. {entry.cause} {entry.remedy}") from None
        raise OnboardingError(
            _(
                "Business Central refused this Microsoft account (%(error)s). Sign in with an account that has a "
                "Business Central licence and permissions for customers, items, sales documents and payment "
                "journals."
            )
            % {"error": f"{refusal.entry.code}, {error.code or error.status}"}
        ) from None
    except BCError as error:
        raise OnboardingError(_("Business Central answered with an error: %(error)s") % {"error": error}) from None


def bc_environments_list(*, integration: Integration) -> list:
    connection = signed_in_connection(integration)
    environments = bc_read(lambda: bc_client_build(connection).list_environments())
    # Sandbox first: the guide recommends testing there before Production.
    return sorted(environments, key=lambda env: (env.type != "Sandbox", env.name))


def bc_companies_list(*, integration: Integration, environment_name: str) -> list:
    connection = signed_in_connection(integration)
    return bc_read(lambda: bc_client_build(connection, environment=environment_name).list_companies())


def bc_company_select(*, integration: Integration, environment_name: str, company_id: str) -> BusinessCentralConnection:
    connection = signed_in_connection(integration)
    environment = next((e for e in bc_environments_list(integration=integration) if e.name == environment_name), None)
    if environment is None:
        raise OnboardingError(_("The environment %(name)s was not found. Choose another.") % {"name": environment_name})
    companies = bc_companies_list(integration=integration, environment_name=environment_name)
    company = next((c for c in companies if c.id == company_id), None)
    if company is None:
        raise OnboardingError(_("The company was not found in %(name)s. Choose another.") % {"name": environment_name})
    if connection.company_id and connection.company_id != company_id and integration.went_live_at:
        raise OnboardingError(_("This integration is live; connect another company as a new integration."))
    company_free_check(connection=connection, environment_name=environment_name, company_id=company_id)
    connection.environment_name = environment.name
    if connection.is_on_premises:
        # No environment types on-premises: the merchant said what the server holds when connecting.
        production = BusinessCentralConnection.EnvironmentType.PRODUCTION
        connection.environment_type = connection.environment_type or production
    else:
        connection.environment_type = (
            BusinessCentralConnection.EnvironmentType.PRODUCTION
            if environment.type == "Production"
            else BusinessCentralConnection.EnvironmentType.SANDBOX
        )
    connection.company_id = company.id
    connection.company_name = company.name
    with transaction.atomic():
        connection.save()
        others = company_sharing_integrations(connection=connection)
        if others:
            # Shared company: this integration's documents carry a prefix of their own, so its
            # external document numbers (the exactly-once lookup) never meet another shop's.
            prefix = document_prefix_free(integration=integration, others=others)
            if prefix != integration.document_number_prefix:
                integration.document_number_prefix = prefix
                integration.save(update_fields=["document_number_prefix", "updated_at"])
    base_currency_refresh(integration=integration, connection=connection)
    return connection


def base_currency_refresh(*, integration: Integration, connection: BusinessCentralConnection) -> str:
    """The base currency is BC's own LCY (General Ledger Setup), read, never typed."""
    client = bc_client_build(connection, environment=connection.environment_name, company_id=connection.company_id)
    try:
        return bc_read(lambda: integration_base_currency_refresh(integration=integration, client=client))
    except LocalCurrencyUnknown:
        raise OnboardingError(
            _("Business Central has no local currency: fill in LCY Code in General Ledger Setup, then try again.")
        ) from None


def document_prefix_free(*, integration: Integration, others: list[Integration]) -> str:
    """A document-number prefix no other integration of the company uses ("S2-", "S3-", ...)."""
    taken = {other.document_number_prefix.upper() for other in others}
    if integration.document_number_prefix and integration.document_number_prefix.upper() not in taken:
        return integration.document_number_prefix
    number = len(others) + 1
    while f"S{number}-" in taken:
        number += 1
    return f"S{number}-"


def company_free_check(*, connection: BusinessCentralConnection, environment_name: str, company_id: str) -> None:
    """Another merchant's company is refused; the tenant's own integrations may share one company."""
    other = (
        BusinessCentralConnection.objects.filter(
            entra_tenant_id=connection.entra_tenant_id, environment_name=environment_name, company_id=company_id
        )
        .exclude(pk=connection.pk)
        .exclude(integration__tenant_id=connection.integration.tenant_id)
        .first()
    )
    if other is None:
        return
    raise CompanyAlreadyConnected(
        _(
            "This company is already connected in another Junipeer account. Choose another company, or ask the "
            "owner of that account to add your shop as an integration there."
        )
    )
