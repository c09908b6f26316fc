"""Merchant monitoring pages: records ("Entities"), runs and the health check. Thin views over
syncs.selectors and the dispatch / preflight services; buttons only enqueue work and come back."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from integrations.models import Flow
from integrations.selectors import integration_get_for_user
from syncs.activity_selectors import integration_activity_get
from syncs.models import EntityType, PreflightRun, RecordLink, SyncRun
from syncs.preflight.services import preflight_enqueue
from syncs.selectors import (
    preflight_overview_get,
    record_link_counts,
    record_link_detail_get,
    record_link_get_for_user,
    record_link_page,
    sync_run_page,
)
from syncs.services.dispatch import ENTITY_TYPE_FLOWS, record_links_retry, records_retry_failed
from syncs.services.sync_now import SyncNowRefused, flow_sync_now


class RecordFilterForm(forms.Form):
    entity_type = forms.ChoiceField(
        label=gettext_lazy("Type"), required=False, choices=[("", gettext_lazy("All types")), *EntityType.choices]
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("All states")), *RecordLink.State.choices],
    )
    q = forms.CharField(label=gettext_lazy("Shop reference or BC number"), required=False, max_length=100)


class RunFilterForm(forms.Form):
    flow = forms.ChoiceField(
        label=gettext_lazy("Flow"), required=False, choices=[("", gettext_lazy("All flows")), *Flow.choices]
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *SyncRun.Status.choices],
    )


def _filters(form: forms.Form) -> dict[str, str]:
    """The filter values that are valid; an unknown value filters nothing (the form shows its error)."""
    form.is_valid()
    return {name: form.cleaned_data.get(name) or "" for name in form.fields}


# --- records ---------------------------------------------------------------------------------


@login_required
def records(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = RecordFilterForm(request.GET)
    filters = _filters(form)
    page = record_link_page(
        integration=integration,
        entity_type=filters["entity_type"],
        state=filters["state"],
        search=filters["q"],
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "merchant/records.html",
        {
            "integration": integration,
            "form": form,
            "filters": filters,
            "page": page,
            "counts": record_link_counts(integration=integration, entity_type=filters["entity_type"]),
            "activity": integration_activity_get(integration=integration),
        },
    )


@login_required
@require_POST
def records_retry_failed_view(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    entity_type = _filters(RecordFilterForm(request.POST))["entity_type"]
    runs = records_retry_failed(integration_id=integration.pk, flow=ENTITY_TYPE_FLOWS.get(entity_type))
    if runs:
        messages.success(
            request,
            ngettext(
                "The failed records will be synced again in a moment (%(count)d run queued).",
                "The failed records will be synced again in a moment (%(count)d runs queued).",
                len(runs),
            )
            % {"count": len(runs)},
        )
    else:
        messages.info(request, _("There are no failed records to retry."))
    url = reverse("merchant:records", args=[integration.pk])
    return redirect(f"{url}?{urlencode({'entity_type': entity_type})}" if entity_type else url)


@login_required
def record_detail(request, record_link_id: int):
    detail = record_link_detail_get(user=request.user, record_link_id=record_link_id)
    return render(
        request,
        "merchant/record_detail.html",
        {"integration": detail.link.integration, "link": detail.link, "detail": detail},
    )


@login_required
@require_POST
def record_retry(request, record_link_id: int):
    link = record_link_get_for_user(user=request.user, record_link_id=record_link_id)
    record_links_retry(record_link_ids=[link.pk])
    messages.success(
        request,
        _("%(record)s will be synced again in a moment.") % {"record": link.source_reference or link.source_id},
    )
    return redirect("merchant:record_detail", record_link_id=link.pk)


# --- runs ------------------------------------------------------------------------------------


@login_required
def runs(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = RunFilterForm(request.GET)
    filters = _filters(form)
    page = sync_run_page(
        integration=integration, flow=filters["flow"], status=filters["status"], page_number=request.GET.get("page")
    )
    return render(
        request,
        "merchant/runs.html",
        {
            "integration": integration,
            "form": form,
            "page": page,
            "activity": integration_activity_get(integration=integration),
        },
    )


class SyncNowForm(forms.Form):
    flow = forms.ChoiceField(choices=Flow.choices)
    back = forms.ChoiceField(choices=[("records", "records"), ("runs", "runs")], required=False)


@login_required
@require_POST
def sync_now(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = SyncNowForm(request.POST)
    back = "merchant:runs" if request.POST.get("back") == "runs" else "merchant:records"
    if not form.is_valid():
        messages.error(request, _("Choose a flow to sync."))
        return redirect(back, integration_id=integration.pk)
    flow = form.cleaned_data["flow"]
    try:
        flow_sync_now(integration_id=integration.pk, flow=flow, requested_by=request.user.get_username())
    except SyncNowRefused as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(
            request, _("%(flow)s: a sync has started. This page updates by itself.") % {"flow": Flow(flow).label}
        )
    return redirect(back, integration_id=integration.pk)


# --- health check ----------------------------------------------------------------------------


@login_required
def preflight(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    overview = preflight_overview_get(integration=integration)
    return render(request, "merchant/preflight.html", {"integration": integration, "overview": overview})


@login_required
@require_POST
def preflight_run_now(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    preflight_enqueue(integration_id=integration.pk, trigger=PreflightRun.Trigger.MANUAL)
    messages.success(request, _("The health check has started. Reload this page in a minute to see the result."))
    return redirect("merchant:preflight", integration_id=integration.pk)
