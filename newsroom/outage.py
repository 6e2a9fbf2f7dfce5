"""While the database cannot be reached, every page says so in plain words.

PostgreSQL stopped, restarting or cut off by the network shows up in Django as
OperationalError or InterfaceError, raised by whichever query comes first: the
session and user, or the view. DatabaseOutageMiddleware answers those with a
503 page that needs no database (the site's own pages read the masthead's
sections from it), tells browsers and the CDN to come back soon and keep
nothing, and drops the broken connections: the next request connects afresh,
so the same web processes recover by themselves once the database is back.
Writes run in transactions, so a request cut short leaves nothing half-done.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
# Every request fails the same way during an outage: one log line, then a
# count of the others at most this often.
LOG_EVERY_SECONDS = 30


class DatabaseOutageMiddleware:
    """Comes right after AuthenticationMiddleware.

    Django turns an error raised inside a middleware into a 500 page before
    the middleware around it sees anything, so the session and user, which
    later middleware read, are loaded here, where an outage can still be
    answered. Errors from views and templates arrive in process_exception.
    With DEBUG on, errors pass through to the technical page (on SQLite,
    a missing table is an OperationalError too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            _load_user(request)
        except DATABASE_DOWN as error:
            if settings.DEBUG:
                raise
            return database_unavailable(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN) and not settings.DEBUG:
            return database_unavailable(request, exception)
        return None


def _load_user(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def database_unavailable(request, error: Exception) -> HttpResponse:
    """The 503 page, rendered without the database or context processors."""
    _log(request, error)
    _close_broken_connections()
    response = HttpResponse(
        render_to_string(
            "503.html",
            {
                "site_name": settings.NEWSROOM_SITE_NAME,
                "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
                "retry_url": request.get_full_path() if request.method == "GET" else "",
            },
        ),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Django's request log would add a line for every 503 ("Service
    # Unavailable: /path"); _log has said it already.
    response._has_been_logged = True
    return response


def _close_broken_connections() -> None:
    """Close the connections that failed; a transaction still open (a test's)
    is left for its owner to roll back."""
    for connection in connections.all(initialized_only=True):
        if connection.errors_occurred and not connection.in_atomic_block:
            connection.close()


class _LogThrottle:
    def __init__(self):
        self._lock = threading.Lock()
        self._logged_at = None
        self._unlogged = 0

    def due(self) -> int | None:
        """How many failures went unlogged, if it is time for a line."""
        with self._lock:
            now = time.monotonic()
            if (
                self._logged_at is not None
                and now - self._logged_at < LOG_EVERY_SECONDS
            ):
                self._unlogged += 1
                return None
            self._logged_at, unlogged, self._unlogged = now, self._unlogged, 0
            return unlogged


_throttle = _LogThrottle()


def _log(request, error: Exception) -> None:
    unlogged = _throttle.due()
    if unlogged is None:
        return
    lines = str(error).strip().splitlines()
    logger.error(
        "Database unavailable, answering 503 (%s: %s) to %s %s%s",
        type(error).__name__,
        lines[0] if lines else "",
        request.method,
        request.path,
        f" and {unlogged} more requests since the last report." if unlogged else ".",
    )
