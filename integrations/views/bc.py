"""Business Central: Microsoft sign-in, on-premises server, environment and company, disconnect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.connectors.entra import EntraError
from integrations.connectors.entra.errors import ADMIN_APPROVAL_REQUESTED, ADMIN_CONSENT_CODES
from integrations.connectors.entra.exceptions import SignInExpired
from integrations.forms import BCOnPremisesForm, BCOrganisationForm, CompanySelectForm
from integrations.models import BusinessCentralConnection
from integrations.selectors import (
    bc_connection_for_integration,
    company_usage,
    integration_get_for_user,
    integration_list_for_user,
)
from integrations.services.bc_auth import (
    SESSION_KEY,
    bc_disconnect,
    bc_signin_complete,
    bc_signin_last_integration_id,
    bc_signin_pending_integration_id,
    bc_signin_start,
)
from integrations.services.bc_on_premises import bc_on_premises_connect, bc_online_choose
from integrations.services.onboarding.bc_company import bc_companies_list, bc_company_select, bc_environments_list
from integrations.services.onboarding.errors import CompanyAlreadyConnected, OnboardingError
from integrations.views.common import posted_data


def _redirect_uri() -> str:
    # Fixed and registered in the Entra app: one callback for every integration.
    return settings.SITE_URL.rstrip("/") + reverse("merchant:bc_callback")


def _organisation_initial(request, connection) -> dict:
    """The organisation already named, else the signed-in user's own (their e-mail domain)."""
    email = request.user.email or ""
    return {
        "organisation": (connection.entra_tenant_id if connection else "") or email.rpartition("@")[2],
        "login_hint": (connection.user_principal if connection else "") or email,
    }


@login_required
@require_http_methods(["GET", "POST"])
def bc_signin(request, integration_id: int):
    """Ask which organisation owns Business Central, then send the browser to its Microsoft sign-in."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    connection = bc_connection_for_integration(integration=integration)
    form = BCOrganisationForm(posted_data(request), initial=_organisation_initial(request, connection))
    if request.method == "POST" and form.is_valid():
        return _signin_start(request, integration, form.cleaned_data["organisation"], form.cleaned_data["login_hint"])
    context = {"integration": integration, "form": form, "connection": connection}
    return render(request, "merchant/bc_signin.html", context, status=400 if form.errors else 200)


@login_required
def bc_reconnect(request, integration_id: int):
    """The link in the reconnect e-mail: straight to the organisation already connected."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    connection = bc_connection_for_integration(integration=integration)
    if connection is not None and connection.uses_access_key:
        return redirect("merchant:bc_on_premises", integration_id=integration.pk)  # a new access key, no sign-in
    if connection is None or not connection.entra_tenant_id:
        return redirect("merchant:bc_signin", integration_id=integration.pk)
    return _signin_start(request, integration, connection.entra_tenant_id, connection.user_principal)


def _signin_start(request, integration, organisation: str, login_hint: str):
    try:
        url = bc_signin_start(
            integration=integration,
            redirect_uri=_redirect_uri(),
            session=request.session,
            organisation=organisation,
            login_hint=login_hint,
        )
    except EntraError as error:
        return _error_page(request, integration, error, organisation=organisation, login_hint=login_hint)
    return redirect(url)


@login_required
def bc_callback(request):
    integration_id = bc_signin_pending_integration_id(session=request.session)
    if integration_id is None:
        return _callback_again(request)
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    pending = dict(request.session.get(SESSION_KEY) or {})
    try:
        bc_signin_complete(
            integration=integration,
            request_params=request.GET.dict(),
            session=request.session,
        )
    except SignInExpired:
        messages.warning(request, _("The Microsoft sign-in did not match this browser session, so it was restarted."))
        return redirect("merchant:bc_signin", integration_id=integration.pk)
    except EntraError as error:
        return _error_page(
            request,
            integration,
            error,
            organisation=pending.get("tenant_id", ""),
            login_hint=pending.get("login_hint", ""),
        )
    messages.success(request, _("Signed in with Microsoft. Now choose the environment and company."))
    return redirect("merchant:bc_company", integration_id=integration.pk)


def _callback_again(request):
    """The callback without a sign-in in progress: Back after the sign-in, or the page reloaded.
    The merchant goes back to the wizard step they were at, never to an error page."""
    integration_id = bc_signin_last_integration_id(session=request.session)
    integration = (
        integration_list_for_user(user=request.user).filter(pk=integration_id).first() if integration_id else None
    )
    if integration is None:
        messages.warning(request, _("The Microsoft sign-in session expired. Start the sign-in again."))
        return redirect("merchant:home")
    connection = bc_connection_for_integration(integration=integration)
    if connection is not None and connection.has_credentials:
        messages.info(request, _("You are already signed in with Microsoft. Continue where you left off."))
        if not connection.company_id:
            return redirect("merchant:bc_company", integration_id=integration.pk)
        return redirect("merchant:wizard", integration_id=integration.pk)
    messages.info(request, _("The Microsoft sign-in was not finished. Start it again when you are ready."))
    return redirect("merchant:wizard_connect", integration_id=integration.pk)


def bc_admin_consent(request):
    """Where Microsoft sends an administrator after the admin-consent link (any browser, no login)."""
    approved = request.GET.get("admin_consent", "").lower() == "true" and "error" not in request.GET
    integration = None
    state = request.GET.get("state", "")
    if request.user.is_authenticated and state.isdigit():
        integration = integration_list_for_user(user=request.user).filter(pk=int(state)).first()
    context = {"approved": approved, "integration": integration}
    return render(request, "merchant/bc_admin_consent.html", context, status=200 if approved else 400)


def _error_page(request, integration, error: EntraError, *, organisation: str = "", login_hint: str = ""):
    return render(
        request,
        "merchant/bc_signin_error.html",
        {
            "integration": integration,
            "error": error,
            "entry": error.entry,
            "organisation": organisation,
            "login_hint": login_hint,
            "waits_for_admin": error.code in ADMIN_CONSENT_CODES or error.code == ADMIN_APPROVAL_REQUESTED.code,
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def bc_on_premises(request, integration_id: int):
    """Business Central on-premises: the server instance and a web service access key or Microsoft sign-in."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    connection = bc_connection_for_integration(integration=integration)
    on_premises = connection is not None and connection.is_on_premises
    initial = {
        "server_url": connection.on_premises_root if on_premises else "",
        "environment_type": (connection.environment_type if on_premises else "")
        or BusinessCentralConnection.EnvironmentType.PRODUCTION,
        "auth_method": connection.auth_method if on_premises else BusinessCentralConnection.AuthMethod.ACCESS_KEY,
        "username": connection.access_key_username if on_premises else "",
    }
    form = BCOnPremisesForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            connection = bc_on_premises_connect(integration=integration, **form.cleaned_data)
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            if connection.uses_access_key:
                messages.success(request, _("Business Central accepted the access key. Now choose the company."))
                return redirect("merchant:bc_company", integration_id=integration.pk)
            messages.success(request, _("Server saved. Now sign in with Microsoft."))
            return redirect("merchant:bc_signin", integration_id=integration.pk)
    context = {"integration": integration, "form": form, "connection": connection, "on_premises": on_premises}
    return render(request, "merchant/bc_on_premises.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["POST"])
def bc_online_choose_view(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    try:
        bc_online_choose(integration=integration)
    except OnboardingError as error:
        messages.error(request, str(error))
    return redirect("merchant:wizard_connect", integration_id=integration.pk)


@login_required
@require_http_methods(["GET", "POST"])
def bc_company(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    connection = bc_connection_for_integration(integration=integration)
    context = {
        "integration": integration,
        "environments": [],
        "companies": [],
        "form": None,
        "conflict": False,
        "on_premises": connection is not None and connection.is_on_premises,
    }
    try:
        environments = bc_environments_list(integration=integration)
        context["environments"] = environments
        # On a reconnect the environment and company connected before are chosen already.
        connection = bc_connection_for_integration(integration=integration)
        previous = connection.environment_name if connection else ""
        chosen = request.POST.get("environment") or request.GET.get("environment")
        if chosen is None and environments:
            chosen = previous if any(e.name == previous for e in environments) else environments[0].name
        context["environment"] = chosen
        if chosen:
            companies = bc_companies_list(integration=integration, environment_name=chosen)
            context["companies"] = companies
            initial = {"environment": chosen}
            if connection and chosen == previous and any(c.id == connection.company_id for c in companies):
                initial["company_id"] = connection.company_id
            form = CompanySelectForm(posted_data(request), companies=companies, initial=initial)
            context["form"] = form
            usage = company_usage(integration=integration, environment_name=chosen)
            context["shared"] = [
                {"company": company.name, "integrations": ", ".join(usage[company.id])}
                for company in companies
                if company.id in usage
            ]
            if request.method == "POST" and form.is_valid():
                connection = bc_company_select(
                    integration=integration,
                    environment_name=form.cleaned_data["environment"],
                    company_id=form.cleaned_data["company_id"],
                )
                messages.success(request, _("Business Central is connected."))
                others = usage.get(connection.company_id)
                if others:
                    integration.refresh_from_db(fields=["document_number_prefix"])
                    messages.warning(
                        request,
                        _(
                            "This company is also used by %(integrations)s. This shop's documents get the document "
                            "number prefix %(prefix)s so their numbers never collide; you can change it in the "
                            "settings until you go live."
                        )
                        % {"integrations": ", ".join(others), "prefix": integration.document_number_prefix},
                    )
                return redirect("merchant:wizard_connect", integration_id=integration.pk)
    except CompanyAlreadyConnected as error:
        context.update(error=str(error), conflict=True)
    except OnboardingError as error:
        context["error"] = str(error)
    return render(request, "merchant/bc_company.html", context, status=400 if context.get("error") else 200)


@login_required
@require_http_methods(["GET", "POST"])
def bc_disconnect_view(request, integration_id: int):
    """Asks first (what stops, what stays), then disconnects on the confirming POST only."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        connection = bc_connection_for_integration(integration=integration)
        return render(
            request, "merchant/bc_disconnect_confirm.html", {"integration": integration, "connection": connection}
        )
    bc_disconnect(integration=integration)
    messages.success(request, _("Business Central is disconnected and syncs are paused."))
    return redirect("merchant:integration_detail", integration_id=integration.pk)
