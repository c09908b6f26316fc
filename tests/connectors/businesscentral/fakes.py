"""A scripted Business Central stand-in: a tiny WSGI app mounted in-process on a requests Session."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import requests

from simulators.inprocess import WSGIAdapter

ROOT = "http://bc.test"
TENANT = "11111111-2222-3333-4444-555555555555"
COMPANY_ID = "aaaaaaaa-0000-0000-0000-000000000001"
TOKEN = "secret-token-value"
API = f"/v2.0/{TENANT}/sandbox/api/v2.0"
COMPANY = f"{API}/companies({COMPANY_ID})"


def envelope(code: str, message: str, correlation: str = "1822e662-966b-4153-bd3c-f9bb8bfea1bf") -> dict:
    return {"error": {"code": code, "message": f"{message}  CorrelationId:  {correlation}."}}


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    body: object


@dataclass
class Reply:
    status: int = 200
    body: object = None
    headers: dict = field(default_factory=dict)


class ScriptedBC:
    """Routes (method, path regex) to a list of replies used in order; the last one repeats.

    A reply may be an exception instance (raised as the transport failure) or a callable
    taking the Seen request.
    """

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, list]] = []
        self.seen: list[Seen] = []

    def on(self, method: str, path: str, *replies) -> None:
        self.routes.append((method, re.compile(path + r"$"), list(replies)))

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if "CONTENT_TYPE" in environ:
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        seen = Seen(
            method=environ["REQUEST_METHOD"],
            path=environ["PATH_INFO"],
            query=dict(parse_qsl(environ["QUERY_STRING"], keep_blank_values=True)),
            headers=headers,
            body=json.loads(raw) if raw else None,
        )
        self.seen.append(seen)
        for method, pattern, replies in self.routes:
            if method == seen.method and pattern.match(seen.path):
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                break
        else:
            reply = Reply(404, envelope("BadRequest_NotFound", f"No HTTP resource was found for '{seen.path}'"))
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            reply = reply(seen)
        body = b"" if reply.body is None else json.dumps(reply.body).encode()
        status = f"{reply.status} X"
        start_response(status, [("Content-Type", "application/json"), *reply.headers.items()])
        return [body]


def mounted_session(app) -> requests.Session:
    session = requests.Session()
    session.mount(ROOT, WSGIAdapter(app))
    return session


class FakeClock:
    """Time that only moves when the client sleeps: retry tests never wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
