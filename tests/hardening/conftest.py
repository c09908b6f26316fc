"""The admin tests' world (one object of every model) and support users, for the probes here."""

from tests.admin.conftest import operator, read_only_user, superuser, world  # noqa: F401
