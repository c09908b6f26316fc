"""Every URL of the product, probed with bad values by every kind of user: never a 5xx, never a
traceback in the log, and a GET never changes what is stored.

Two parts: a walk that requests every URL pattern (merchant site, help, payouts, admin, webhooks)
and every admin changelist filter and ordering parameter once per role, and a property-based test
(hypothesis, derandomized and bounded) that combines targets and bad values freely.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import TenantMembership
from tests import factories as f

pytestmark = pytest.mark.django_db

# Values no page expects: NUL, unpaired surrogates, unicode digits, huge and negative numbers,
# long strings, markup, SQL, path tricks, format strings.
NASTY = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "²",
    "٣",
    "１２",
    str(2**63),
    str(2**64),
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "x" * 3000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%s%n{0}{}",
    "2026-13-45",
    "\u202e\u0301",
    "😀",
    "",
    " ",
    "[]",
    "{}",
]
BAD_INTS = [0, 2**63, 2**64, 10**30]
# Catch-all patterns and views whose GET is documented to do something other than show a page.
SKIPPED_ROUTES = {"admin/logout/"}  # POST only (405 on GET), nothing to probe


def encode(value: str) -> str:
    """Percent-encode anything, unpaired surrogates included (as a browser would send their bytes)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


# --- targets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    route: str  # e.g. "integrations/<int:integration_id>/records/"
    params: tuple[str, ...] = ()  # query parameters worth probing

    def url(self, *, ints: dict[str, int], text: str, query: dict[str, str]) -> str:
        def fill(match: re.Match) -> str:
            kind, name = match.group(1) or "str", match.group(2)
            if kind == "int":
                return str(ints.get(name, ints["*"]))
            return encode(text) or "x"

        path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, self.route)
        if not query:
            return path
        return path + "?" + "&".join(f"{encode(k)}={encode(v)}" for k, v in query.items())


def _regex_route(regex: str) -> str:
    route = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<str:\1>", route)
    return route.replace("\\", "")


def _walk(patterns, prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        raw = str(entry.pattern)
        part = _regex_route(raw) if raw.startswith("^") or raw.endswith("$") else raw
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part


COMMON_QUERY = ("q", "page", "p", "o", "e", "status", "flow", "state", "search", "code", "customer_search", "next")


def _filter_parameters(model_admin) -> list[str]:
    names: list[str] = []
    for spec in model_admin.list_filter:
        if isinstance(spec, (str, tuple)):
            field = spec if isinstance(spec, str) else spec[0]
            names += [f"{field}__exact", f"{field}__id__exact", f"{field}__gte"]
        else:
            names.append(spec.parameter_name)
    return [*names, "o", "q", "p", "e", "all"]


def project_targets() -> list[Target]:
    routes = sorted(set(_walk(get_resolver().url_patterns)) - SKIPPED_ROUTES)
    # Query parameters on the merchant side; the admin's generic views take none worth probing.
    targets = [
        Target(route, () if route.startswith("admin/") else COMMON_QUERY)
        for route in routes
        if not route.startswith("static/")
    ]
    for model, model_admin in admin.site._registry.items():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        targets.append(Target(changelist.lstrip("/"), tuple(_filter_parameters(model_admin))))
    return targets


TARGETS = project_targets()


def test_the_walk_finds_every_part_of_the_product():
    routes = {t.route for t in TARGETS}
    assert "hooks/shopify/<int:integration_id>/" in routes
    assert "integrations/<int:integration_id>/setup/test/" in routes
    assert "admin/syncs/recordlink/" in routes and "payouts/<int:integration_id>/" in routes
    assert any("error_code" in t.params for t in TARGETS) and any("integration" in t.params for t in TARGETS)


# --- observation ---------------------------------------------------------------------------------


class Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Django logs a 403 or 400 as a django.request warning with its exception: an answer, not a crash.
        expected_answer = record.name == "django.request" and record.levelno < logging.ERROR
        if record.levelno >= logging.ERROR or (record.exc_info and not expected_answer):
            self.records.append(record)


@pytest.fixture
def tracebacks():
    handler = Tracebacks()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


STATE_APPS = ("integrations", "syncs", "auth", "django_q")
# A page that reads from BC refreshes the sign-in's tokens and records how that went: bookkeeping
# of the connection, not a change a GET makes to the merchant's data.
TOKEN_BOOKKEEPING = {
    "integrations.BusinessCentralConnection": {
        "token_cache",
        "token_refreshed_at",
        "token_expires_at",
        "last_auth_error_code",
        "last_auth_error",
        "updated_at",
    }
}


def stored_state() -> dict[str, tuple]:
    """Rows, newest id and newest change of every project model: what a GET must not move."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in STATE_APPS or model._meta.proxy:
            continue
        fields = {f.attname for f in model._meta.concrete_fields}
        if model._meta.label in TOKEN_BOOKKEEPING:
            kept = sorted(fields - TOKEN_BOOKKEEPING[model._meta.label])
            state[model._meta.label] = tuple(model.objects.order_by("pk").values_list(*kept))
            continue
        aggregates = {"top": Max("pk")}
        for name in ("updated_at", "last_login", "state", "status"):
            if name in fields:
                aggregates[name] = Max(name)
        row = model.objects.aggregate(**aggregates)
        state[model._meta.label] = (model.objects.count(), *[row[k] for k in sorted(row)])
    return state


CLOSED = "http://127.0.0.1:9"  # nothing listens: a page that calls out fails fast, never leaves the machine


@pytest.fixture
def clients(world, superuser, read_only_user, operator, settings):
    settings.BC_API_ROOT = settings.SHOPIFY_API_ROOT = settings.STRIPE_API_BASE = CLOSED
    settings.ENTRA_AUTHORITY_HOST = CLOSED.replace("http:", "https:")
    settings.BC_RETRY_MAX_ATTEMPTS = 1
    owner = TenantMembership.objects.filter(tenant=world.tenant).first().user
    outsider = f.TenantMembershipFactory(role=TenantMembership.Role.OWNER).user
    roles = {"anonymous": None, "owner": owner, "other merchant": outsider}
    roles |= {"read-only support": read_only_user, "operator": operator, "superuser": superuser}
    result = {}
    for role, user in roles.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        result[role] = client
    return result


def probe(client: Client, url: str, tracebacks: Tracebacks, *, method: str = "get", data=None) -> int:
    response = getattr(client, method)(url, data=data) if data is not None else getattr(client, method)(url)
    assert response.status_code < 500, f"{method.upper()} {url!r} answered {response.status_code}"
    assert not tracebacks.records, f"{method.upper()} {url!r} logged: {tracebacks.records[0].getMessage()[:300]}"
    return response.status_code


def _ids(world) -> dict[str, int]:
    return {"*": world.pk, "integration_id": world.pk}


# --- the walk: every pattern and every changelist parameter, once per role ----------------------

# Who gets past the login to where the parameters are read (everyone else gets each path only).
PARAMETER_ROLES = {"admin": {"superuser"}, "site": {"owner", "anonymous"}}


@pytest.mark.parametrize("role", ["anonymous", "owner", "other merchant", "read-only support", "operator", "superuser"])
def test_every_url_with_bad_values_as_each_role(role, clients, world, tracebacks):
    client = clients[role]
    before = stored_state()
    n = 0
    for target in TARGETS:
        n += 1
        value = NASTY[n % len(NASTY)]
        ints = {**_ids(world), "*": BAD_INTS[n % len(BAD_INTS)] if "<int:" in target.route and n % 2 else world.pk}
        probe(client, target.url(ints=ints, text=value, query={}), tracebacks)
        if target.route.startswith("admin/") and role not in PARAMETER_ROLES["admin"]:
            continue  # sent to the login page (or refused) before any parameter is read
        if not target.route.startswith("admin/") and role not in PARAMETER_ROLES["site"]:
            continue
        for k, param in enumerate(target.params):
            value = NASTY[(n + k) % len(NASTY)]
            probe(client, target.url(ints=_ids(world), text="x", query={param: value}), tracebacks)
    assert stored_state() == before, "a GET changed what is stored"


def test_every_merchant_form_post_with_bad_values_answers_without_a_5xx(clients, world, tracebacks):
    client = clients["owner"]
    merchant = [t for t in TARGETS if not t.route.startswith(("admin/", "hooks/", "static/"))]
    for n, target in enumerate(merchant):
        data = {name: NASTY[(n + k) % len(NASTY)] for k, name in enumerate(target.params)}
        data |= {"order_name": NASTY[n % len(NASTY)], "shop_domain": "x\x01", "access_token": "ä€", "api_key": "\t"}
        data = {k: v for k, v in data.items() if "\ud800" not in v and "\udfff" not in v}
        probe(client, target.url(ints=_ids(world), text="x", query={}), tracebacks, method="post", data=data)


# --- the admin: every changelist, every filter choice and parameter, every ordering ---------------

SUPPORT_ROLES = ["read-only support", "operator", "superuser"]


def changelist_probes(client: Client, changelist: str) -> list[str]:
    """Every query the changelist itself offers (each filter's choices, each column's ordering both
    ways, with and without a filter) plus each filter parameter with a bad value."""
    response = client.get(changelist)
    if response.status_code != 200 or not response.context or "cl" not in response.context:
        return []  # this role may not see it: the path alone was probed
    cl = response.context["cl"]
    queries: list[str] = []
    parameters: list[str] = []
    for spec in cl.filter_specs:
        parameters += spec.expected_parameters()
        queries += [choice["query_string"] for choice in spec.choices(cl)]
    if cl.date_hierarchy:
        parameters += [f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    columns = range(len(cl.list_display))
    queries += [f"?o={sign}{index}" for index in columns for sign in ("", "-")]
    queries.append("?o=" + ".".join(f"-{index}" for index in columns))  # every column at once
    for k, name in enumerate(parameters):
        queries += [f"?{encode(name)}={encode(NASTY[k % len(NASTY)])}", f"?{encode(name)}={2**64}&o=-{k}"]
    return [changelist + query for query in queries]


@pytest.mark.parametrize("role", SUPPORT_ROLES)
def test_every_changelist_filter_and_ordering_as_each_support_role(role, clients, world, tracebacks):
    client = clients[role]
    before = stored_state()
    probed = 0
    for model in admin.site._registry:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for url in changelist_probes(client, changelist):
            probe(client, url, tracebacks)
            probed += 1
    assert probed > 100 if role == "superuser" else probed > 0
    assert stored_state() == before, "a GET changed what is stored"


# --- webhooks ------------------------------------------------------------------------------------


WEBHOOK_BODIES = [b"", b"\x00", b"[]", b"42", b"null", b'{"id": "\\u0000"}', b"\xff\xfe", b"{" * 1000, b"x" * 5000]
WEBHOOK_HEADERS = [
    {},
    {"HTTP_X_SHOPIFY_HMAC_SHA256": "\x00"},
    {"HTTP_X_SHOPIFY_HMAC_SHA256": "²" * 44, "HTTP_X_SHOPIFY_TOPIC": "orders/create"},
    {"CONTENT_LENGTH": "²"},
    {"CONTENT_LENGTH": "-1"},
    {"CONTENT_LENGTH": str(2**64)},
    {"HTTP_X_SHOPIFY_SHOP_DOMAIN": "\u202e.myshopify.com", "HTTP_X_SHOPIFY_WEBHOOK_ID": "x" * 500},
]


def test_the_webhook_endpoint_with_bad_bodies_and_headers(clients, world, tracebacks):
    client = clients["anonymous"]
    for integration_id in (world.pk, 0, 2**63, 2**64):
        for n, body in enumerate(WEBHOOK_BODIES):
            headers = WEBHOOK_HEADERS[n % len(WEBHOOK_HEADERS)]
            url = f"/hooks/shopify/{integration_id}/"
            response = client.post(url, data=body, content_type="application/json", **headers)
            assert response.status_code in (400, 401, 404, 413), (url, body[:20], headers, response.status_code)
            assert not tracebacks.records, tracebacks.records[0].getMessage()[:300]


# --- property-based: any target, any bad values, any role ----------------------------------------

texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Cs", "Cc", "Zs"]), max_size=8),
)


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_target_with_any_bad_values(clients, world, tracebacks, data):
    role = data.draw(st.sampled_from(sorted(clients)), label="role")
    target = data.draw(st.sampled_from(TARGETS), label="target")
    ints = {"*": data.draw(st.sampled_from([world.pk, *BAD_INTS]) | st.integers(0, 2**64), label="id")}
    query = {}
    if target.params:
        names = data.draw(st.lists(st.sampled_from(target.params), max_size=3, unique=True), label="params")
        query = {name: data.draw(texts, label=name) for name in names}
    url = target.url(ints=ints, text=data.draw(texts, label="path text"), query=query)
    before = stored_state()

    probe(clients[role], url, tracebacks)

    assert stored_state() == before, f"GET {url!r} changed what is stored"
