"""The optional read replica (DATABASE_REPLICA_URL): which requests read from it.

Anonymous GET and HEAD requests for public pages read from the replica; the
admin, previews, account pages, logged-in readers and staff read from the
primary. So do the rest of a request once it has written anything, and a
browser's requests for NEWSROOM_REPLICA_STICKY_SECONDS after it sent a form
(read-your-writes while the replica catches up). newsroom.db_routers asks
`reads_from_replica()` for every query; writes always go to the primary.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
STICKY_COOKIE = "newsroom_primary"
_STICKY_SALT = "newsroom.replica.sticky"
# Pages whose readers expect what they, or an editor, have just changed.
PRIMARY_PATHS = ("/admin/", "/accounts/", "/preview/")


@dataclass
class _Reads:
    replica: bool


_reads: ContextVar[_Reads | None] = ContextVar("newsroom_reads", default=None)


def reads_from_replica() -> bool:
    """Whether the current query may read from the replica."""
    reads = _reads.get()
    return bool(
        reads is not None
        and reads.replica
        and settings.NEWSROOM_READ_REPLICA
        # Inside a transaction, reads must see what it has written.
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def note_write() -> None:
    """The request is writing: it reads from the primary from now on."""
    reads = _reads.get()
    if reads is not None:
        reads.replica = False


class ReplicaMiddleware:
    """Decides, once per request, whether its reads may use the replica.

    Comes after AuthenticationMiddleware; does nothing unless a replica is
    configured (NEWSROOM_READ_REPLICA).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.NEWSROOM_READ_REPLICA:
            return self.get_response(request)
        # Decided before the view runs, so the session and user are read from
        # the primary.
        token = _reads.set(_Reads(replica=self._may_read_replica(request)))
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            response.set_signed_cookie(
                STICKY_COOKIE,
                "1",
                salt=_STICKY_SALT,
                max_age=settings.NEWSROOM_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _may_read_replica(self, request) -> bool:
        if request.method not in {"GET", "HEAD"}:
            return False
        if request.path_info.startswith(PRIMARY_PATHS):
            return False
        just_wrote = request.get_signed_cookie(
            STICKY_COOKIE,
            default=None,
            salt=_STICKY_SALT,
            max_age=settings.NEWSROOM_REPLICA_STICKY_SECONDS,
        )
        return just_wrote is None and not request.user.is_authenticated
