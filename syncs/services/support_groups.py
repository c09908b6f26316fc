"""The support team's groups, defined in code and applied idempotently (``manage.py setup_groups``)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

READ_ONLY_GROUP = "Support (read-only)"
OPERATOR_GROUP = "Support (operator)"
PROJECT_APPS = ("integrations", "syncs")
DEFAULT_ACTIONS = ("add", "change", "delete", "view")


def _project_permissions():
    # Default permissions come from a post_migrate handler; make sure they exist first.
    for label in PROJECT_APPS:
        create_permissions(apps.get_app_config(label), verbosity=0)
    return Permission.objects.filter(content_type__app_label__in=PROJECT_APPS)


def _is_custom(codename: str) -> bool:
    return codename.split("_", 1)[0] not in DEFAULT_ACTIONS


@transaction.atomic
def support_groups_setup() -> dict[str, int]:
    """Create or reset both groups; returns the number of permissions each holds.

    Read-only: view on every project model (proxies included). Operator: the same plus every custom
    permission declared on project models (run syncs, preflight, pause, reconnect links). Neither
    may add, change or delete.
    """
    permissions = list(_project_permissions())
    view = [p for p in permissions if p.codename.startswith("view_")]
    custom = [p for p in permissions if _is_custom(p.codename)]
    result = {}
    for name, granted in ((READ_ONLY_GROUP, view), (OPERATOR_GROUP, view + custom)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(granted)
        result[name] = len(granted)
    return result
