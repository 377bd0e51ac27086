"""Local far sides for the delivery tests: a real SMTP server (aiosmtpd) and a robot webhook server
that checks DingTalk's 加签 as DingTalk does, both on 127.0.0.1 at a free port."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from huey.contrib.djhuey import HUEY


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server; Django's SMTP backend pointed at it. Yields its inbox."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Posted:
    path: str
    query: dict
    payload: dict


@dataclass
class RobotServer:
    """Answers as DingTalk and WeCom robots do. With `secret`, a request must carry a `timestamp`
    within an hour and the `sign` computed from it and the secret, else errcode 310000."""

    secret: str | None = None
    posted: list[Posted] = field(default_factory=list)
    refused: list[Posted] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str, body: bytes) -> dict:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        got = Posted(parts.path, query, json.loads(body))
        if self.secret is not None:
            timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
            expected = base64.b64encode(hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(),
                                                 hashlib.sha256).digest()).decode()
            fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
            if not (fresh and hmac.compare_digest(sign, expected)):
                self.refused.append(got)
                return {"errcode": 310000, "errmsg": "sign not match"}
        self.posted.append(got)
        return {"errcode": 0, "errmsg": "ok"}


@pytest.fixture
def robot_server(settings):
    """A local robot webhook server in a thread; robots may point at 127.0.0.1."""
    server_state = RobotServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            answer = json.dumps(server_state.answer(self.path, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.NOTIFICATION_ROBOT_HOSTS = ["127.0.0.1"]
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def huey_immediate():
    """huey runs a task as it is queued (in memory), as the consumer would: the real path, in the test."""
    before = HUEY.immediate
    HUEY.immediate = True
    try:
        yield HUEY
    finally:
        HUEY.immediate = before
