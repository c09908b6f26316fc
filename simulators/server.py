"""Run a WSGI simulator as a real HTTP(S) server on loopback, in a background thread."""

from __future__ import annotations

import socketserver
import ssl
import threading
from dataclasses import dataclass
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


@dataclass
class RunningServer:
    url: str
    host: str
    port: int
    _server: WSGIServer
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(app, *, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None) -> RunningServer:
    """Start ``app`` on ``host:port`` (0 = a free port) and return once it accepts connections."""
    server = make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    actual_port = server.server_address[1]
    scheme = "https" if tls else "http"
    url_host = "localhost" if tls else host
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"simulator:{actual_port}", daemon=True
    )
    thread.start()
    return RunningServer(
        url=f"{scheme}://{url_host}:{actual_port}", host=host, port=actual_port, _server=server, _thread=thread
    )
