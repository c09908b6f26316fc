from __future__ import annotations

import pytest
import requests


@pytest.fixture
def bc(bc_server):
    """A requests Session authenticated for the simulator, plus URL helpers."""

    class Client:
        def __init__(self) -> None:
            self.session = requests.Session()
            self.session.headers["Authorization"] = "Bearer test-token"
            self.sim = bc_server.sim
            self.root = bc_server.url
            self.company_url = f"{bc_server.url}/companies({bc_server.sim.company_id()})"
            self.server = bc_server

        def get(self, path: str, **kwargs):
            return self.session.get(self._url(path), timeout=10, **kwargs)

        def post(self, path: str, json=None, **kwargs):
            return self.session.post(self._url(path), json=json, timeout=10, **kwargs)

        def patch(self, path: str, json=None, **kwargs):
            return self.session.patch(self._url(path), json=json, timeout=10, **kwargs)

        def delete(self, path: str, **kwargs):
            return self.session.delete(self._url(path), timeout=10, **kwargs)

        def _url(self, path: str) -> str:
            return path if path.startswith("http") else f"{self.company_url}/{path}"

    return Client()


def error_of(response) -> tuple[str, str]:
    """(code, message without BC's CorrelationId suffix)."""
    error = response.json()["error"]
    message, _, suffix = error["message"].partition("  CorrelationId:  ")
    assert suffix.endswith("."), error["message"]
    return error["code"], message
