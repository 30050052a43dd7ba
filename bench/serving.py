"""Serve the app with gunicorn on loopback, as in production, and talk to it like a browser.

Shared by the load and fault tests (tests/load/) and by benchmarks:

    with serve(database_url) as server:          # 2 gthread workers, a free port
        client = Client(server.url)
        client.log_in("coordinator@example.org", "incubator-demo")
        client.get("/")

The app runs with INCUBATOR_ENV=production (secure cookies, CSRF, rate limits); the
client says it came through a TLS-terminating proxy (`X-Forwarded-Proto: https`,
trusted from loopback by gunicorn), as nginx would.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str, *, migrate: bool = True) -> None:
    """Load the demo programme into `url`, emptied first (migrated to head first unless
    `migrate=False`). A server may be running on it: tables are emptied, not dropped."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from incubator import create_app
    from incubator.demo import seed_demo
    from incubator.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "prepare"})
    with app.app_context():
        if migrate:
            upgrade()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())
        seed_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def port(self) -> int:
        return urlsplit(self.url).port

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill_worker(self) -> int:
        """SIGKILL one worker, as the OOM killer would; the master starts another."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def serve(
    database_url: str,
    *,
    workers: int = 2,
    threads: int = 4,
    env: dict | None = None,
    timeout: float = 60,
    app: str = "wsgi:app",
    ready_path: str = "/login",
) -> Iterator[Server]:
    """gunicorn serving `app` (the Incubator by default; the benchmarks' lean page is
    `bench.lean:app`, ready at "/ping") on `database_url` until the block ends."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="incubator-serve-"))
    log_path = workdir / "gunicorn.log"
    environment = {
        **os.environ,
        "INCUBATOR_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "SCHEDULER_IN_PROCESS": "0",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_PATH": str(workdir / "outbox"),
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--forwarded-allow-ips=127.0.0.1",
        "--timeout=30",
        "--graceful-timeout=5",
        "--no-control-socket",  # several servers (tests, other checkouts) on one machine
        app,
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_serving(server, timeout, ready_path)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _wait_until_serving(server: Server, timeout: float, ready_path: str = "/login") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log()[-3000:]}")
        try:
            if Client(server.url).get(ready_path).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in {timeout}s:\n{server.log()[-3000:]}")


@dataclass
class Response:
    status: int
    headers: dict
    text: str


CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass
class Client:
    """One browser: its own cookies and CSRF token, one request at a time."""

    base_url: str
    headers: dict = field(default_factory=dict)
    request_timeout: float = 30
    cookies: dict = field(default_factory=dict)
    csrf_token: str | None = None

    def request(self, method: str, path: str, data: dict | None = None, **headers) -> Response:
        parts = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=self.request_timeout
        )
        sent = {
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
            "Connection": "close",
            **self.headers,
            **headers,
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            if self.csrf_token:
                sent["X-CSRFToken"] = self.csrf_token
            # Over HTTPS Flask-WTF also wants a same-site Referer, as a browser sends.
            sent.setdefault("Referer", f"https://{parts.netloc}{path}")
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["expires"] and "1970" in morsel["expires"]:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            response = Response(raw.status, dict(raw.headers), text)
        finally:
            connection.close()
        token = CSRF.search(text)
        if token:
            self.csrf_token = token.group(1)
        return response

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, **headers)

    def post(self, path: str, data: dict, **headers) -> Response:
        return self.request("POST", path, data, **headers)

    def log_in(self, email: str, password: str) -> Response:
        self.get("/login")
        response = self.post("/login", {"email": email, "password": password})
        if response.status != 302:
            raise RuntimeError(f"login as {email}: {response.status}")
        self.get("/account")  # a page drawn for the new session carries its CSRF token
        return response
