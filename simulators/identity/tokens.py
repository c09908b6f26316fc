"""JWT minting and checking with a key the simulator generates at start-up (RS256, like Entra)."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class Principal:
    """Who an access token speaks for (what the BC simulator needs to authorise a call)."""

    tenant_id: str
    oid: str
    username: str | None  # None for an app-only (client credentials) token
    app_id: str
    scopes: tuple[str, ...]
    roles: tuple[str, ...]


class SigningKey:
    def __init__(self) -> None:
        self.kid = uuid.uuid4().hex
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public = self._private.public_key()

    def sign(self, claims: dict) -> str:
        return jwt.encode(claims, self._private, algorithm="RS256", headers={"kid": self.kid})

    def decode(self, token: str, *, audience: str) -> dict | None:
        """Signature and audience checked; expiry is left to the caller's (simulated) clock."""
        try:
            return jwt.decode(
                token,
                self.public,
                algorithms=["RS256"],
                audience=audience,
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError:
            return None

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.public))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}


def client_info(*, uid: str, utid: str) -> str:
    raw = json.dumps({"uid": uid, "utid": utid}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
