"""Deployment checks for the secrets the product cannot run without (`manage.py check --deploy`)."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def secrets_configured(app_configs, **kwargs) -> list[Error]:  # noqa: ARG001 - Django's signature
    errors = []
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty key on access
        secret_key = ""
    if not secret_key:
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is not set.",
                hint="Set it to a long random string (.env.example has a one-line generator).",
                id="junipeer_bc.E001",
            )
        )
    if not settings.FIELD_ENCRYPTION_KEYS:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEYS is not set: stored tokens and keys cannot be encrypted or read.",
                hint="Generate a key with cryptography's Fernet.generate_key() (see .env.example).",
                id="junipeer_bc.E002",
            )
        )
    for position, key in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
        try:
            Fernet(key.strip())
        except (ValueError, TypeError):  # never echo the value: it is a secret
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS: key number {position} is not a Fernet key.",
                    hint="Each key is 32 url-safe base64-encoded bytes (44 characters), comma-separated, newest "
                    "first. Generate one with cryptography's Fernet.generate_key().",
                    id="junipeer_bc.E003",
                )
            )
    return errors
