"""Where Business Central's endpoints are: the one place that knows the URL shapes.

Online (docs/vendor-contracts.md, "API root shapes"):
    {root}/v2.0/{Entra tenant}/{environment}/api/v2.0/companies({id})/...
    {root}/v2.0/{Entra tenant}/{environment}/ODataV4/Company('{name}')/{service}
    {root}/environments/v1.2                      (the environments the signed-in user can reach)

On-premises (one server instance; no tenant in the path, no environments, no admin center):
    https://{server}:{port}/{instance}/api/v2.0/companies({id})/...
    https://{server}:{port}/{instance}/ODataV4/Company('{name}')/{service}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

# On-premises has no environments: the product records this name for the server's one "environment".
ON_PREMISES_ENVIRONMENT = "default"
API_PATH = "api/v2.0"
ODATA_PATH = "ODataV4"
ENVIRONMENTS_API_VERSION = "v1.2"  # v1.2 adds ringName to v1.1

# What people paste instead of the server instance root: cut back to https://server:port/instance.
_ON_PREMISES_URL = re.compile(r"^(?P<instance>/.+?)/(?:api|odatav4|ws)(?:/.*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoint:
    """The base URLs of one Business Central environment (online) or server instance (on-premises)."""

    root: str  # the API root: BC online's host, or the on-premises server instance
    tenant_id: str = ""
    environment: str = ""
    on_premises: bool = False

    @property
    def base_url(self) -> str:
        """Everything before ``api/v2.0`` and ``ODataV4``."""
        if self.on_premises:
            return self.root
        tenant = f"/{quote(self.tenant_id, safe='')}" if self.tenant_id else ""
        return f"{self.root}/v2.0{tenant}/{quote(self.environment, safe='')}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/{API_PATH}"

    @property
    def odata_url(self) -> str:
        return f"{self.base_url}/{ODATA_PATH}"

    @property
    def environments_url(self) -> str | None:
        """The environments list; None on-premises (a server instance has no environments)."""
        if self.on_premises:
            return None
        return f"{self.root}/environments/{ENVIRONMENTS_API_VERSION}"

    @property
    def origin(self) -> tuple[str, str]:
        return tuple(urlsplit(self.root)[:2])  # type: ignore[return-value]


def online_endpoint(*, root: str, tenant_id: str, environment: str) -> Endpoint:
    return Endpoint(root=root.rstrip("/"), tenant_id=tenant_id, environment=environment)


def on_premises_endpoint(*, root: str) -> Endpoint:
    return Endpoint(root=on_premises_root_normalise(root), environment=ON_PREMISES_ENVIRONMENT, on_premises=True)


def on_premises_root_normalise(value: str) -> str:
    """``https://server:port/instance`` from what a merchant pastes (an API or ODataV4 URL, a slash).

    The query string and fragment are dropped; the instance path is kept as typed (BC matches it
    case-insensitively, assumption).
    """
    parts = urlsplit(value.strip())
    path = parts.path.rstrip("/")
    match = _ON_PREMISES_URL.match(path)
    if match:
        path = match.group("instance").rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


# --- the web client (a link a person opens, not an API) ---------------------------------------------

# https://businesscentral.dynamics.com/{Entra tenant}/{environment}/?company={name}&page={id}&filter=...
# (learn.microsoft.com "Web client URL"); page ids of the base application (microsoft/BCApps).
WEB_CLIENT_ROOT = "https://businesscentral.dynamics.com"
WEB_CLIENT_PAGES = {
    ("invoice", False): 43,  # Sales Invoice
    ("invoice", True): 132,  # Posted Sales Invoice
    ("order", False): 42,  # Sales Order
    ("credit_memo", False): 44,  # Sales Credit Memo
    ("credit_memo", True): 134,  # Posted Sales Credit Memo
}


def web_client_document_url(
    *, tenant_id: str, environment: str, company_name: str, kind: str, posted: bool, number: str
) -> str:
    """The BC online page that shows one sales document ("" when BC has no such page)."""
    page = WEB_CLIENT_PAGES.get((kind, posted if kind != "order" else False))
    if page is None or not (tenant_id and environment and company_name and number):
        return ""
    record_filter = quote(f"'No.' IS '{number}'")
    query = f"company={quote(company_name)}&page={page}&filter={record_filter}"
    return f"{WEB_CLIENT_ROOT}/{quote(tenant_id)}/{quote(environment)}/?{query}"
