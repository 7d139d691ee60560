"""A local receiver for webhook tests: a tiny ``http.server`` on 127.0.0.1 in a thread that
answers each POST with the next status of ``responses`` (then 200), optionally after a delay,
and keeps what it received (headers and the exact body bytes)."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str


@dataclass
class Receiver:
    url: str = ""
    responses: list[int] = field(default_factory=list)
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_status(self) -> int:
        with self.lock:
            return self.responses.pop(0) if self.responses else 200


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            state.received.append(Received(dict(self.headers.items()), body, self.path))
            if state.delay:
                time.sleep(state.delay)
            status = state.next_status()
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", state.url + "elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(b"ok")

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook/"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.LIANXIN_WEBHOOK_MAX_ATTEMPTS = 5
    settings.LIANXIN_WEBHOOK_BACKOFF_SECONDS = 30
    settings.LIANXIN_WEBHOOK_BACKOFF_MAX_SECONDS = 3600
    settings.LIANXIN_WEBHOOK_TIMEOUT_SECONDS = 2
    settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
