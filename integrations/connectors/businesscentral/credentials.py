"""How a request proves who it is: an Entra ID bearer token, or (on-premises only) HTTP Basic with a
user name and the user's web service access key (docs/vendor-contracts.md, "On-premises
authentication"). Each provider returns the Authorization header plus the secrets it contains, so the
transport can keep them out of exceptions; none of them shows a secret in its repr.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

TokenProvider = Callable[[], str]


@dataclass(frozen=True, repr=False)
class Authorization:
    header: str  # the Authorization header's value
    secrets: tuple[str, ...]  # strings that must never appear in an exception or a log line

    @property
    def is_access_key(self) -> bool:
        return self.header.startswith("Basic ")


CredentialsProvider = Callable[[], Authorization]


class BearerToken:
    """Entra ID: ``Authorization: Bearer <token>``; ``token_provider`` refreshes as needed."""

    def __init__(self, token_provider: TokenProvider) -> None:
        self._token_provider = token_provider

    def __call__(self) -> Authorization:
        token = self._token_provider()
        return Authorization(header=f"Bearer {token}", secrets=(token,) if token else ())

    def __repr__(self) -> str:
        return "<BearerToken>"


class WebServiceAccessKey:
    """On-premises: ``Authorization: Basic base64(user name:web service access key)``.

    Basic authentication carries Latin-1 at most and BC refuses non-ASCII user names and keys
    (its documentation says so), so both must be printable ASCII.
    """

    def __init__(self, *, username: str, access_key: str) -> None:
        if not username or not access_key:
            raise ValueError("A user name and a web service access key are both needed.")
        if not _printable_ascii(username) or ":" in username or not _printable_ascii(access_key):
            raise ValueError("The user name and the access key must be plain ASCII (and the user name has no colon).")
        self.username = username
        self._access_key = access_key

    def __call__(self) -> Authorization:
        encoded = base64.b64encode(f"{self.username}:{self._access_key}".encode("ascii")).decode("ascii")
        return Authorization(header=f"Basic {encoded}", secrets=(self._access_key, encoded))

    def __repr__(self) -> str:
        return f"<WebServiceAccessKey user={self.username!r}>"


def _printable_ascii(value: str) -> bool:
    return value.isascii() and value.isprintable()
