"""Real servers for tests: gunicorn with production settings on the pytest
test database, a PostgreSQL server of the test's own, and a browser that keeps
its cookies."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
import redis
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import override_settings
from redis.backoff import NoBackoff
from redis.retry import Retry

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "server-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# The name readers use, whichever process the load balancer picks.
HOST = "news.cupure.test"
# The shared Redis the servers' caches use: a database of its own, and a key
# prefix per run (run_prefix) so runs never read each other's pages.
TEST_REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_redis(url: str) -> None:
    """Skip the test without Redis; fail instead where CI requires it."""
    try:
        if redis.Redis.from_url(url, socket_timeout=1).ping():
            return
    except redis.RedisError:
        pass
    if os.environ.get("NEWSROOM_REQUIRE_REDIS"):
        pytest.fail(f"Redis is not reachable at {url}")
    pytest.skip(f"Redis is not reachable at {url}")


class RedisServer:
    """A redis-server of the test's own on a free port, to kill, freeze
    (SIGSTOP: connections are accepted, nothing is answered, as a hung Redis)
    and start again on the same port. Never the shared one."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self._stats_client = None
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                if self.client().ping():
                    return
            except redis.RedisError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def client(self) -> redis.Redis:
        # One try per call: the tests count what reaches the server.
        return redis.Redis(
            port=self.port, socket_timeout=1, retry=Retry(NoBackoff(), 0)
        )

    def kill(self) -> None:
        """SIGKILL: every connection is cut, new ones refused."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen one dies too
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stats(self) -> dict:
        """Commands and connections Redis has served (INFO stats)."""
        if self._stats_client is None:
            self._stats_client = self.client()  # one connection, counted once
        info = self._stats_client.info("stats")
        return {
            "commands": info["total_commands_processed"],
            "connections": info["total_connections_received"],
        }


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
            # Plain HTTP on 127.0.0.1: the opt-outs for a proxy that does
            # HTTPS (the redirect and HSTS are on by default).
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
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


def postgres_bin() -> Path:
    """Debian's PostgreSQL programs (initdb, pg_ctl), newest version first."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError("PostgreSQL's programs are not in /usr/lib/postgresql")
    return versions[-1]


class PostgresServer:
    """A PostgreSQL server of the test's own, in a temporary directory on a
    free port, for tests that stop and start the database (never the shared
    server). `destroy()` stops it and removes its files."""

    def __init__(self):
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        # PostgreSQL refuses to run as root; CI runs the tests as root.
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.root, user=self.user)
        self._run(
            "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync"
        )

    def _run(self, program: str, *args) -> None:
        done = subprocess.run(
            [postgres_bin() / program, *map(str, args)],
            user=self.user,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode:
            raise RuntimeError(f"{program} failed:\n{done.stdout}{done.stderr}")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "start", "-D", self.data, "-l", self.log, "-w", "-t", "30",
            "-o", options,
        )  # fmt: skip

    def stop(self) -> None:
        """Stop as an administrator would (`-m fast`): sessions are cut off."""
        self._run("pg_ctl", "stop", "-D", self.data, "-m", "fast", "-w", "-t", "30")

    def create_database(self, name: str) -> None:
        self._run(
            "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name
        )

    def destroy(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class JobWorker:
    """`manage.py db_worker` in a process of its own, as production runs it;
    its output goes to `log`."""

    def __init__(self, env: dict, log: Path, *, worker_id: str):
        self.worker_id = worker_id
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--worker-id", worker_id]
                + ["--interval", "0.2", "--no-startup-delay", "--no-reload"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when the machine or the OOM killer stops it."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.is_alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Gunicorn:
    """One gunicorn instance; its output goes to `log` for the test to read."""

    def __init__(
        self,
        env: dict,
        log: Path,
        *,
        workers: int = 2,
        threads: int = 1,
        ready_path: str = "/robots.txt",
    ):
        self.port = free_port()
        self.ready_path = ready_path
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
                urllib.request.urlopen(self.base + self.ready_path, timeout=2).read()
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


def run_prefix(name: str) -> str:
    """A cache key prefix no other run uses."""
    return f"{name}-{uuid.uuid4().hex[:8]}"


@contextmanager
def production_servers(
    django_db_blocker,
    directory: Path,
    *,
    cache_prefix: str,
    redis_url: str = TEST_REDIS_URL,
    count: int = 1,
    workers: int = 2,
    threads: int = 1,
    database_port: int | None = None,
    **env: str,
) -> Iterator[list[Gunicorn]]:
    """`count` gunicorn instances with production settings on the test
    database (through `database_port` if given, e.g. a proxy) and Redis
    (skipped without it), static files collected into `directory`, extra `env`
    on top. On leaving, the servers stop and their database sessions are
    waited out, so the test database can be dropped."""
    require_redis(redis_url)
    with django_db_blocker.unblock():
        database = connection.settings_dict
    env = server_env(
        database=database_url(database, port=database_port),
        static_root=directory / "static",
        REDIS_URL=redis_url,
        NEWSROOM_CACHE_PREFIX=cache_prefix,
        **env,
    )
    collectstatic(env)
    logs = directory / "logs"
    logs.mkdir(exist_ok=True)
    servers = start_servers(env, logs, count, workers=workers, threads=threads)
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()
        wait_for_disconnections(django_db_blocker)


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
            session[BACKEND_SESSION_KEY] = "accounts.backends.AccountBackend"
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
