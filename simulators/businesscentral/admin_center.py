"""The admin center API's environment list (``/admin/v2.{minor}/applications/...``)."""

from __future__ import annotations

import re

from .http import ApiResponse
from .store import Environment

_ROUTE = re.compile(r"^/admin/v2\.\d+/applications(?:/(?P<family>[^/]+))?/environments(?:/(?P<name>[^/]+))?/?$")
_JSON = {"Content-Type": "application/json; charset=utf-8"}


def matches(path: str) -> bool:
    return _ROUTE.match(path) is not None


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


def handle(path: str, environments: dict[str, Environment], tenant_id: str, api_host: str) -> ApiResponse:
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
