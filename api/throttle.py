"""Requests per address to the content API, counted in the shared cache in
fixed windows; past the limit, 429 with Retry-After.

A middleware rather than a check in each endpoint, placed before the page
cache: a cached answer still counts, so nobody can hammer the API through it.
While the cache cannot be reached nothing is counted and nobody is refused:
the API then serves without the cache too, and refusing everyone would be an
outage of its own.
"""

import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from core.cache import is_reachable

PREFIX = "/api/"

try:
    from redis import RedisError
except ImportError:  # pragma: no cover - redis is a dependency
    RedisError = OSError


def rate_check(key: str, *, limit: int, window: int) -> int:
    """0 while `key` is within `limit` hits this window, else the seconds
    until the window ends."""
    now = time.time()
    bucket = f"api:rate:{key}:{int(now // window)}"
    try:
        cache.add(bucket, 0, timeout=window * 2)
        try:
            count = cache.incr(bucket)
        except ValueError:  # evicted between add and incr
            cache.set(bucket, 1, timeout=window * 2)
            count = 1
    except (RedisError, OSError):
        return 0
    if count <= limit or not is_reachable(cache):
        return 0
    return max(1, int(window - now % window + 0.999))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


class ApiRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        window = settings.NEWSROOM_API_RATE_WINDOW_SECONDS
        limit = settings.NEWSROOM_API_RATE_PER_IP
        wait = rate_check(f"ip:{client_address(request)}", limit=limit, window=window)
        if wait:
            return too_many(wait, limit=limit, window=window)
        return self.get_response(request)


def too_many(wait: int, *, limit: int, window: int) -> HttpResponse:
    body = {
        "detail": (
            f"Too many requests: at most {limit} every {window} seconds from one "
            f"address. Try again in {wait} seconds."
        )
    }
    response = HttpResponse(
        json.dumps(body), status=429, content_type="application/json"
    )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "private, no-store"
    return response
