"""Stand-ins on 127.0.0.1 for what the reminders talk to: an HTTP server playing the SMS
gateway and the WeCom robot, and a small SMTP sink."""

import json
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dianjiao.reminders.models import ReminderProfile
from tests.clock import clock  # noqa: F401  (the stories' clock)


@dataclass
class Gateway:
    """Records every POST; answers with `status` and `answer`, after `delay` seconds."""

    url: str = ""
    requests: list = field(default_factory=list)
    status: int = 200
    answer: dict = field(default_factory=lambda: {"code": 0})
    wecom_answer: dict = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    delay: float = 0

    def posts(self, path: str, *, accepted: bool = True) -> list[dict]:
        """The POSTs to `path` (only those answered 200 unless accepted=False)."""
        return [
            r
            for r in self.requests
            if r["path"].startswith(path) and (r["status"] == 200 or not accepted)
        ]


@pytest.fixture
def gateway():
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if state.delay:
                time.sleep(state.delay)
            answer = state.wecom_answer if self.path.startswith("/wecom") else state.answer
            state.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "json": json.loads(body),
                    "status": state.status,
                }
            )
            data = json.dumps(answer).encode()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (a timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to accept mail: every message's envelope and text are kept."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.messages: list[dict] = []
        super().__init__(("127.0.0.1", 0), SmtpHandler)


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 sink ready")
        envelope = {"from": "", "to": [], "data": ""}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in {"HELO", "EHLO"}:
                self.reply("250 sink")
            elif verb == "MAIL":
                envelope = {"from": command[10:].strip("<> "), "to": [], "data": ""}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command[8:].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while (data := self.rfile.readline().decode()) not in {".\r\n", ".\n", ""}:
                    lines.append(data)
                envelope["data"] = "".join(lines)
                self.server.messages.append(envelope)
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    yield sink
    sink.shutdown()
    sink.server_close()


@pytest.fixture
def channels(settings, gateway, tmp_path):
    """E-mail kept in memory (the test mailer), SMS through the stand-in gateway, reminders from 08:30, quiet
    from 21:00 to 08:00, links to https://dj.example/."""
    settings.DIANJIAO_SMS_BACKEND = "http"
    settings.DIANJIAO_SMS_URL = gateway.url + "/sms/send"
    settings.DIANJIAO_SMS_KEY = "sms-secret"
    settings.DIANJIAO_SMS_TEMPLATE_ID = "TPL_001"
    settings.DIANJIAO_REMIND_AT = "08:30"
    settings.DIANJIAO_QUIET_HOURS = "21:00-08:00"
    settings.DIANJIAO_REMIND_TIMEOUT = 2
    settings.DIANJIAO_SITE_URL = "https://dj.example"
    return gateway


def choose(user, *, email="", phone="", webhook="", language="zh-hans"):
    """`user` takes reminders by each channel given an address."""
    user.email, user.phone = email, phone
    user.save(update_fields=["email", "phone"])
    return ReminderProfile.objects.create(
        user=user,
        by_email=bool(email),
        by_sms=bool(phone),
        by_wecom=bool(webhook),
        wecom_webhook=webhook,
        language=language,
    )
