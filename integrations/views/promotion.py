"""Move a live Sandbox integration to a Production company (thin: every decision is in the service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.forms import CompanySelectForm
from integrations.selectors import integration_get_for_user
from integrations.services import promotion as svc
from integrations.services.onboarding.errors import OnboardingError, PreflightBlocked
from integrations.views.common import posted_data


@login_required
@require_http_methods(["GET", "POST"])
def integration_promote_view(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    context: dict = {"integration": integration, "environments": [], "companies": [], "form": None}
    try:
        environments = svc.promotion_environments(integration=integration)
        context["environments"] = environments
        chosen = request.POST.get("environment") or request.GET.get("environment")
        if chosen is None and environments:
            chosen = environments[0].name
        context["environment"] = chosen
        if chosen:
            companies = svc.promotion_companies(integration=integration, environment_name=chosen)
            form = CompanySelectForm(posted_data(request), companies=companies, initial={"environment": chosen})
            context.update(companies=companies, form=form)
            if request.method == "POST" and form.is_valid():
                target = svc.promotion_target_resolve(
                    integration=integration,
                    environment_name=form.cleaned_data["environment"],
                    company_id=form.cleaned_data["company_id"],
                )
                if request.POST.get("action") == "promote":
                    svc.integration_promote(
                        integration=integration, target=target, confirmed=request.POST.get("confirm") == "on"
                    )
                    messages.success(
                        request,
                        _("The integration now syncs to %(company)s in Production.") % {"company": target.company_name},
                    )
                    return redirect("merchant:integration_detail", integration_id=integration.pk)
                context["check"] = svc.promotion_check(integration=integration, target=target)
    except PreflightBlocked as error:
        context.update(error=str(error), preflight_failures=error.failures)
    except svc.PromotionRefused as error:
        context.update(error=str(error.error.message), error_code=error.code)
    except OnboardingError as error:
        context["error"] = str(error)
    status = 400 if context.get("error") and request.method == "POST" else 200
    return render(request, "merchant/promote.html", context, status=status)
