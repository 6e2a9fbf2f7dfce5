"""Real web servers for tests: gunicorn with production settings on the pytest
test database, and a browser that keeps its cookies."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "server-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# The name readers use, whichever process the load balancer picks.
HOST = "news.cupure.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_redis(url: str) -> None:
    """Skip the test without Redis; fail instead where CI requires it."""
    import redis

    try:
        if redis.Redis.from_url(url, socket_timeout=1).ping():
            return
    except redis.RedisError:
        pass
    if os.environ.get("NEWSROOM_REQUIRE_REDIS"):
        pytest.fail(f"Redis is not reachable at {url}")
    pytest.skip(f"Redis is not reachable at {url}")


def database_url(settings_dict: dict, *, port: int | None = None) -> str:
    """The test database's address, optionally through another local port."""
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
        f"{port or settings_dict['PORT']}/{settings_dict['NAME']}"
    )


def server_env(*, database: str, static_root: Path, **extra: str) -> dict:
    """Production settings (debug off) for a server on `database`."""
    return (
        os.environ
        | {
            "DATABASE_URL": database,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        | extra
    )


def collectstatic(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Gunicorn:
    """One gunicorn instance; its output goes to `log` for the test to read."""

    def __init__(self, env: dict, log: Path, *, workers: int = 2, threads: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [Path(sys.executable).parent / "gunicorn", "newsroom.wsgi"]
                + ["--workers", str(workers), "--threads", str(threads)]
                + ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_until_ready(self) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=2).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError(f"{self.base} did not start:\n{self.output()}")

    def worker_pids(self) -> set[int]:
        """The worker processes under this server's master, from /proc."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == self.process.pid:
                pids.add(int(stat.parent.name))
        return pids

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wait_for_disconnections(django_db_blocker, *, seconds: float = 10) -> None:
    """Wait until only this process uses the test database: a stopped server's
    sessions end a moment after it, and the database is dropped at the end."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


def start_servers(env: dict, logs: Path, count: int, **options) -> list[Gunicorn]:
    servers = [
        Gunicorn(env, logs / f"gunicorn-{n}.log", **options) for n in range(count)
    ]
    try:
        for server in servers:
            server.wait_until_ready()
    except Exception:
        for server in servers:
            server.stop()
        raise
    return servers


@dataclass
class Page:
    status: int
    url: str
    headers: Message
    text: str
    seconds: float


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept across servers, as a browser behind a load balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.following = urllib.request.build_opener(cookies)
        self.staying = urllib.request.build_opener(cookies, _KeepRedirects())

    def open(self, url: str, data: bytes | None = None, *, follow=True) -> Page:
        """Any answer, errors included, with the time it took."""
        request = urllib.request.Request(url, data=data, headers={"Host": HOST})
        opener = self.following if follow else self.staying
        started = time.monotonic()
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            text = response.read().decode()
        return Page(
            status=response.status,
            url=response.url,
            headers=response.headers,
            text=text,
            seconds=time.monotonic() - started,
        )

    def get(self, url: str, **kwargs) -> Page:
        return self.open(url, **kwargs)

    def csrf_token(self, form_url: str) -> str:
        page = self.get(form_url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]

    def post(self, url: str, data: dict, *, token: str, **kwargs) -> Page:
        body = urllib.parse.urlencode(
            {**data, "csrfmiddlewaretoken": token}, doseq=True
        ).encode()
        return self.open(url, data=body, **kwargs)

    def log_in(self, user) -> None:
        """Start a session for `user`, as the login form would (without hashing
        the password with the production hasher every time). From the test's
        own thread: the settings override is seen by every thread."""
        with override_settings(SECRET_KEY=SECRET_KEY):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
        self.use_session(session.session_key)

    def use_session(self, session_key: str) -> None:
        """Send this session cookie from now on (a session made elsewhere)."""
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                version=0,
                name="sessionid",
                value=session_key,
                port=None,
                port_specified=False,
                domain="127.0.0.1",
                domain_specified=False,
                domain_initial_dot=False,
                path="/",
                path_specified=True,
                secure=False,
                expires=None,
                discard=True,
                comment=None,
                comment_url=None,
                rest={},
            )
        )
