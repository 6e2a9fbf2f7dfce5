"""Real HTTP receivers in threads of the test process, and endpoints allowed
to reach them (only them: the allow-list names each server's address:port)."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import UserFactory
from tests.jobs.conftest import database_tasks, enqueued, run_worker  # noqa: F401
from webhooks.models import Event, WebhookEndpoint


class Receiver:
    """A webhook receiver. `script` holds what to answer, one entry per
    request (the last repeats): a status code, ("redirect", url),
    ("huge", bytes) or "hang"."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []  # (headers, body) in order of arrival
        self.lock = threading.Lock()
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append((dict(self.headers), body))
                    step = receiver.script[
                        min(len(receiver.requests), len(receiver.script)) - 1
                    ]
                if step == "hang":
                    receiver.released.wait(30)
                    return
                if isinstance(step, tuple) and step[0] == "redirect":
                    self.send_response(307)
                    self.send_header("Location", step[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if isinstance(step, tuple) and step[0] == "huge":
                    self.send_response(200)
                    self.send_header("Content-Length", str(step[1]))
                    self.end_headers()
                    chunk = b"x" * 65536
                    sent = 0
                    try:
                        while sent < step[1]:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except OSError:
                        pass  # the client stopped reading, as it should
                    receiver.bytes_sent = sent
                    return
                answer = b'{"ok": true}' if step < 300 else b"server error " * 200
                self.send_response(step)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.host_port = f"127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory(settings):
    """Start receivers; each is allowed by its own address:port only."""
    started = []
    settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP = True
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = []

    def start(*script, allow=True):
        receiver = Receiver(script or [200])
        started.append(receiver)
        if allow:
            settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = [
                *settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS,
                receiver.host_port,
            ]
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture
def quick(settings):
    """Short timeouts and backoff, so tests run in seconds."""
    settings.NEWSROOM_WEBHOOKS_TIMEOUT_SECONDS = 1.0
    settings.NEWSROOM_WEBHOOKS_CONNECT_TIMEOUT_SECONDS = 0.5
    settings.NEWSROOM_WEBHOOKS_RETRY_SECONDS = [60, 300, 1800, 7200, 43200]
    return settings


def make_endpoint(url, *events, **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url=url, events=list(events) or [Event.STORY_PUBLISHED], **fields
    )


@pytest.fixture
def webhook_editor(db, roles):
    """An editor with exactly the Editors role."""
    from django.contrib.auth.models import Group

    user = UserFactory(username="hooks-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def webhook_journalist(db, roles):
    from django.contrib.auth.models import Group

    user = UserFactory(username="hooks-journalist", is_staff=True)
    user.groups.add(Group.objects.get(name="Journalists"))
    return user


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
