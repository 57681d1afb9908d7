"""`dianjiao serve` (waitress) in a subprocess on the test's database, on a free loopback port;
and what the load and crash tests share: operators with a browser session each."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.test import Client

from dianjiao.accounts.models import Role
from dianjiao.films.models import Film
from tests import factories

from .helpers import REPO, command_env, database_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `dianjiao serve` process; start() waits until it accepts connections."""

    def __init__(self, var: Path, port: int | None = None, threads: int = 8):
        self.var, self.port, self.threads = var, port or free_port(), threads
        self.process: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def _accepting(self, started, timeout) -> float:
        while time.monotonic() - started < timeout:
            if not self.alive():
                raise RuntimeError((self.var / "serve.log").read_text()[-3000:])
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return time.monotonic() - started
            except OSError:
                time.sleep(0.01)
        raise TimeoutError("dianjiao serve did not start")

    def log_tail(self, lines=60) -> str:
        """The server's log without waitress's queue-depth lines: tracebacks name a failure."""
        path = self.var / "serve.log"
        if not path.exists():
            return ""
        kept = [
            ln for ln in path.read_text(errors="replace").splitlines() if "Task queue" not in ln
        ]
        return "\n--- serve.log ---\n" + "\n".join(kept[-lines:])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout=60.0) -> float:
        started = time.monotonic()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dianjiao.cli",
                "serve",
                "--port",
                str(self.port),
                "--threads",
                str(self.threads),
            ],
            cwd=REPO,
            env=command_env(database_url(), self.var),
            stdout=subprocess.DEVNULL,
            stderr=open(self.var / "serve.log", "ab"),  # noqa: SIM115 (the child keeps it)
        )
        return self._accepting(started, timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback by the server; the database must cope."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class WarmServer(Server):
    """The `serve` command in a child forked from a warm parent (tests/ops/forkserve.py): the
    same server code as `dianjiao serve`, started in milliseconds instead of seconds."""

    def __init__(self, var: Path, port: int | None = None, threads: int = 8):
        super().__init__(var, port, threads)
        self.parent = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("forkserve.py"))],
            cwd=REPO,
            env={**command_env(database_url(), var), "PYTHONPATH": str(REPO)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(var / "serve.log", "ab"),  # noqa: SIM115 (the child keeps it)
            text=True,
        )
        self.pid: int | None = None

    def alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return self.parent.poll() is None

    def _say(self, line: str) -> str:
        self.parent.stdin.write(line + "\n")
        self.parent.stdin.flush()
        return self.parent.stdout.readline().strip()

    def start(self, timeout=60.0) -> float:
        started = time.monotonic()
        self.pid = int(self._say(f"serve {self.port} {self.threads}"))
        return self._accepting(started, timeout)

    def kill(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            self._say("reap")  # the parent reaps it: the port is free again
            self.pid = None

    def stop(self) -> None:
        if self.pid is not None:
            self.kill()
        self.parent.stdin.close()
        self.parent.wait(30)


def browser_session(user) -> str:
    """A logged-in session id for `user`, stored in the database the server reads."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def operators(world, n: int) -> list[dict]:
    """`n` villages of 乌伦古乡 with a point, three members and an operator each, logged in."""
    film = Film.objects.create(township=world.township, title="榜样10", duration_minutes=60)
    plan = []
    for i in range(n):
        village = factories.village(f"负载{i:02d}村", sort_order=10 + i)
        point = factories.point(village, "村委会电教室")
        members = [factories.member(village, f"党员{i}-{k}", point) for k in range(3)]
        user = factories.user(f"load{i:02d}", Role.VILLAGE_OPERATOR, village_obj=village)
        plan.append(
            {
                "username": user.username,
                "village": village.pk,
                "session": browser_session(user),
                "members": [m.pk for m in members],
                "film": film.pk,
            }
        )
    return plan


def write_plan(path: Path, **plan) -> Path:
    path.write_text(json.dumps(plan, ensure_ascii=False))
    return path
