"""Probes for the load balancer and the orchestrator.

/healthz says the process answers requests (liveness) and touches nothing
else. /readyz says the database and the cache answer too (readiness), each
within CHECK_TIMEOUT seconds, so traffic only goes to an instance that can
serve it. Neither needs a login, and neither is ever cached.
"""

import logging
import secrets
import threading
import time
from collections.abc import Callable

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A probe that waits longer than this is as bad as one that fails.
CHECK_TIMEOUT = 2.0


def database_check() -> None:
    """Open a connection of this thread's own and run a trivial query."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def cache_check(cache: BaseCache) -> None:
    """Ask Redis directly, past the breaker that spares pages a failing Redis
    (core/cache.py); then write a value, read it back and remove it."""
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
    key = f"readyz:{secrets.token_hex(8)}"
    cache.set(key, "ok", timeout=30)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def run_checks(checks: dict[str, Callable[[], None]], timeout: float) -> dict[str, str]:
    """Run the checks side by side; each is "ok", "error" or "timeout".

    Each runs in a daemon thread, so one that hangs (a firewalled database)
    is abandoned after `timeout` instead of holding the probe or the process.
    """
    results = dict.fromkeys(checks, "timeout")

    def run(name: str, check: Callable[[], None]) -> None:
        try:
            check()
        except Exception:
            logger.warning("Readiness check %r failed", name, exc_info=True)
            results[name] = "error"
        else:
            results[name] = "ok"

    threads = [
        threading.Thread(target=run, args=item, name=f"readyz-{item[0]}", daemon=True)
        for item in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    for name, result in results.items():
        if result == "timeout":
            logger.warning("Readiness check %r took over %ss", name, timeout)
    return dict(results)


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    cache = caches["default"]
    checks = run_checks(
        {"database": database_check, "cache": lambda: cache_check(cache)},
        CHECK_TIMEOUT,
    )
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
