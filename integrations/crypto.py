"""Secrets at rest: Fernet encryption with key rotation (MultiFernet).

A decrypted value is wrapped in :class:`Secret`, whose ``str``/``repr`` never show the value, so
a secret cannot leak through a template, a log line, an exception message or the admin by
accident. Code that really needs the value calls ``reveal()``.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

MASK = "********"


class Secret:
    """A string that refuses to be printed."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)


def reveal(value: Secret | str | None) -> str:
    """The plaintext of an encrypted field's value.

    A value loaded from the database is a Secret; one assigned in this process (a new instance)
    is still the plain string it was given.
    """
    if value is None:
        return ""
    return value.reveal() if isinstance(value, Secret) else str(value)


class SecretDecryptionError(Exception):
    """Stored ciphertext cannot be decrypted with any configured key."""


@lru_cache(maxsize=1)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty. Generate a key with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key.") from exc


def get_fernet() -> MultiFernet:
    return _multi_fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return get_fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return get_fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        # Deliberately no ciphertext or key material in the message.
        raise SecretDecryptionError("A stored secret cannot be decrypted with the configured keys.") from exc


def rotate_ciphertext(ciphertext: str) -> str:
    """Re-encrypt under the first (newest) key."""
    return get_fernet().rotate(ciphertext.encode()).decode()


class EncryptedTextField(models.TextField):
    """TextField stored as Fernet ciphertext and loaded as :class:`Secret`.

    Empty values are stored as the empty string (nothing to protect, and queryable).
    """

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):  # noqa: ARG002 - Django signature
        if value in (None, ""):
            return Secret("") if value == "" else None
        return Secret(decrypt(value))

    def to_python(self, value):
        if value is None or isinstance(value, Secret):
            return value
        return Secret(str(value))

    def get_prep_value(self, value):
        if value is None:
            return None
        plaintext = value.reveal() if isinstance(value, Secret) else str(value)
        if plaintext == "":
            return ""
        return encrypt(plaintext)

    def value_to_string(self, obj):
        # Serialization (dumpdata) never writes the plaintext.
        return MASK

    def formfield(self, **kwargs):
        kwargs.setdefault("widget", forms.PasswordInput(render_value=False))
        return super().formfield(**kwargs)
