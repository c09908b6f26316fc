"""Every exception type the product knows has its own code: SYS-001 is left for real bugs."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

import integrations
import syncs
from integrations.connectors.shopify.exceptions import ShopifyThrottled, ShopifyUnavailable, ShopifyUnreachable
from syncs.errors import classify_exception
from syncs.errors.known import KNOWN_EXCEPTION_CODES
from syncs.mapping.types import MappingError, Problem
from syncs.models import SyncRun
from tests import factories as f

MESSAGE = "something went wrong"

# Raised to the merchant's or support's page, never inside a flow; or always converted on the spot.
NOT_RAISED_IN_FLOWS = {
    "integrations.services.onboarding.errors.OnboardingError",
    "integrations.services.onboarding.errors.CompanyAlreadyConnected",
    "integrations.services.onboarding.errors.ConfirmationRequired",
    "integrations.services.onboarding.errors.PreflightBlocked",
    "integrations.services.promotion.PromotionRefused",  # the Move to Production page, coded (BC-803, BC-804)
    "integrations.services.lifecycle.IntegrationActionError",
    "integrations.services.base_currency.LocalCurrencyUnknown",  # converted to OnboardingError on the spot
    "syncs.services.sync_now.SyncNowRefused",  # the merchant's "Sync now" button, answered on the page
    "syncs.services.locks.FlowLocked",  # the run is skipped, not failed (syncs/services/runs.py)
    "syncs.mapping.products.MissingSku",  # converted to ProductError in syncs/services/products.py
    "syncs.errors.registry.UnknownErrorCode",  # a wrong code in our source: a bug, SYS-001 is right
    "integrations.connectors.businesscentral.writes.UndeclaredField",  # writing an undeclared field: a bug
    "syncs.demo.processes.DemoChildDied",
    "syncs.services.shopify_webhooks.WebhookRefused",  # the intake view's HTTP answer (syncs/webhooks.py)
    "syncs.errors.product_error.ProductError",  # carries its own catalogue code (tests/errors/test_classify.py)
    # The commerce model's bases: only a shop connector's subclasses of them are raised (each classified).
    "integrations.commerce.errors.ShopError",
    "integrations.commerce.errors.ShopAuthError",
    "integrations.commerce.errors.ShopRefused",
    "integrations.commerce.errors.ShopStockConflict",
}


def _project_exception_types() -> list[type[BaseException]]:
    for package in (integrations, syncs):
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if ".migrations" in module.name or ".demo" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)
    found, todo = [], [BaseException]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(("integrations.", "syncs.")) and not sub.__module__.endswith(".models"):
                found.append(sub)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _bare(cls: type[BaseException]) -> BaseException:
    """An instance with only a message; a constructor that wants more gets empty details."""
    if issubclass(cls, MappingError):
        return cls([Problem(code="MAP-001", params={"sku": "X-1"})])
    for args, kwargs in (((MESSAGE,), {}), ((MESSAGE,), {"user_errors": []}), (([],), {})):
        try:
            return cls(*args, **kwargs)
        except TypeError:
            continue
    exc = cls.__new__(cls)
    exc.args = (MESSAGE,)
    return exc


@pytest.mark.parametrize(("exc_type", "code"), KNOWN_EXCEPTION_CODES, ids=lambda v: getattr(v, "__name__", v))
def test_each_known_type_gets_its_code(exc_type, code):
    assert classify_exception(_bare(exc_type)).code == code


@pytest.mark.parametrize("exc_type", _project_exception_types(), ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_no_project_exception_type_reaches_sys_001(exc_type):
    name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    if name in NOT_RAISED_IN_FLOWS:
        pytest.skip("not raised inside a flow")
    assert classify_exception(_bare(exc_type)).code != "SYS-001", f"{name} would be filed as a bug (SYS-001)"


def test_the_discovery_finds_the_connectors_exceptions():
    names = {cls.__name__ for cls in _project_exception_types()}
    assert {"ShopifyError", "BCError", "StripeError", "FlowLeaseLost", "SecretDecryptionError"} <= names


def test_shopify_unreachable_and_throttled_have_their_codes():
    assert classify_exception(ShopifyUnreachable("Shopify could not be reached (ConnectionError).")).code == "SHOP-011"
    assert classify_exception(ShopifyThrottled("Shopify kept throttling the request.")).code == "SHOP-003"
    assert classify_exception(ShopifyUnavailable("Shopify answered HTTP 503.", status=503)).code == "SHOP-005"


@pytest.mark.django_db
@pytest.mark.parametrize(("flow", "code"), [("orders", "BC-010"), ("products", "BC-010"), ("stock", "BC-010")])
def test_a_live_integration_without_bc_fails_with_bc_010_and_no_traceback(flow, code, caplog):
    integration = f.IntegrationFactory(live_mode=True, allow_writes=True, status="live")

    with caplog.at_level(logging.INFO), pytest.raises(CommandError):
        call_command("sync", str(integration.pk), "--flow", flow, stdout=StringIO())

    run = SyncRun.objects.get()
    assert (run.status, run.error_code) == (SyncRun.Status.FAILED, code)
    assert not [r for r in caplog.records if r.exc_info], "an expected condition logged a traceback"
