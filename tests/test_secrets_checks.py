"""A deployment without its secrets is refused with the variable named (not only by Django's own error)."""

from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured


def _ids(**kwargs):
    return {message.id for message in run_checks(include_deployment_checks=True, **kwargs)}


def test_configured_secrets_pass(settings):
    assert not {"junipeer_bc.E001", "junipeer_bc.E002"} & _ids()


def test_missing_secrets_are_named(settings):
    settings.SECRET_KEY = ""
    settings.FIELD_ENCRYPTION_KEYS = []
    assert {"junipeer_bc.E001", "junipeer_bc.E002"} <= _ids()


def test_django_refuses_to_use_an_empty_key(settings):
    settings.SECRET_KEY = ""
    try:
        settings.SECRET_KEY  # noqa: B018
    except ImproperlyConfigured:
        return
    raise AssertionError("an empty SECRET_KEY was accepted")
