"""Environment lists: the admin center API (``/admin/v2.{minor}/applications/...``, administrators
only) and the connect-app list (``/environments/v1.2``, any user, the environments they can reach)."""

from __future__ import annotations

import re

from .http import ApiResponse
from .store import Environment

_ROUTE = re.compile(r"^/admin/v2\.\d+/applications(?:/(?P<family>[^/]+))?/environments(?:/(?P<name>[^/]+))?/?$")
_CONNECT_ROUTE = re.compile(r"^/environments/v1\.[12]/?$")
_JSON = {"Content-Type": "application/json; charset=utf-8"}
# Assumption: the admin center's answer to a user without an admin role (the documented requirement
# is a Global/D365/BC administrator or a delegated admin; the exact body is not documented).
NOT_ADMIN = {
    "code": "Unauthorized",
    "message": "The user does not have the rights to access the Business Central administration center.",
}


def matches(path: str) -> bool:
    return _ROUTE.match(path) is not None


def connect_matches(path: str) -> bool:
    return _CONNECT_ROUTE.match(path) is not None


def connect_record(environment: Environment, tenant_id: str, api_host: str) -> dict:
    """One row of ``GET /environments/v1.2`` (v1.1 has the same fields without ``ringName``)."""
    full = environment_record(environment, tenant_id, api_host)
    return {key: full[key] for key in CONNECT_FIELDS}


CONNECT_FIELDS = (
    "aadTenantId",
    "applicationFamily",
    "type",
    "name",
    "countryCode",
    "webServiceUrl",
    "webClientLoginUrl",
    "ringName",
)


def connect_handle(path: str, environments: dict[str, Environment], tenant_id: str, api_host: str) -> ApiResponse:
    fields = CONNECT_FIELDS if path.rstrip("/").endswith("v1.2") else CONNECT_FIELDS[:-1]
    records = [
        {key: value for key, value in connect_record(e, tenant_id, api_host).items() if key in fields}
        for e in environments.values()
    ]
    return ApiResponse(200, {"value": records}, dict(_JSON))


def environment_record(environment: Environment, tenant_id: str, api_host: str) -> dict:
    return {
        "friendlyName": environment.name.capitalize(),
        "type": environment.type,
        "name": environment.name,
        "countryCode": environment.country_code,
        "applicationFamily": "BusinessCentral",
        "aadTenantId": tenant_id,
        "status": "Active",
        "webClientLoginUrl": f"https://businesscentral.dynamics.com/{tenant_id}/{environment.name}",
        "webServiceUrl": f"{api_host}/v2.0/{tenant_id}/{environment.name}",
        "locationName": "Sweden",
        "geoName": "Europe",
        "ringName": "PROD" if environment.type == "Production" else "PREVIEW",
        "appInsightsKey": "",
        "softDeletedOn": None,
        "hardDeletedPendingOn": None,
        "deleteReason": None,
        "appSourceAppsUpdateCadence": "Default",
        "versionDetails": {
            "version": "26.0.30643.32481",
            "gracePeriodStartDate": None,
            "enforcedUpdatePeriodStartDate": None,
        },
    }


def handle(
    path: str, environments: dict[str, Environment], tenant_id: str, api_host: str, *, is_admin: bool = True
) -> ApiResponse:
    if not is_admin:
        return ApiResponse(403, dict(NOT_ADMIN), dict(_JSON))
    match = _ROUTE.match(path)
    family, name = match.group("family"), match.group("name")
    if family is not None and family != "BusinessCentral":
        body = {"code": "applicationTypeDoesNotExist", "message": f"Application type '{family}' does not exist."}
        return ApiResponse(404, body, dict(_JSON))
    if name is not None:
        environment = environments.get(name)
        if environment is None:
            body = {"code": "EnvironmentNotFound", "message": f"Environment '{name}' could not be found."}
            return ApiResponse(404, body, dict(_JSON))
        return ApiResponse(200, environment_record(environment, tenant_id, api_host), dict(_JSON))
    records = [environment_record(e, tenant_id, api_host) for e in environments.values()]
    return ApiResponse(200, {"value": records}, dict(_JSON))
