"""The two middlewares of the page cache: whole anonymous pages kept in the
shared cache, and the Cache-Control a CDN in front reads.

PageCacheMiddleware sits early (just inside the HTTPS redirect and
ConditionalGet): it decides from the request alone whether a page may come
from the cache, so a hit loads no session and no user and skips every
middleware that only matters for a page being built. What it keeps are the
headers as the inner middlewares left them (CSP, Permissions-Policy, Vary,
Cache-Control, X-Frame-Options, Content-Language) and the page's ETag, so a
hit answers with exactly those, and ConditionalGet compares the ETag without
hashing the page again. A page that used a CSP nonce is never kept: a nonce
is for one answer only."""

import hashlib
import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import (
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from core.csp import nonce_used
from pagecache.keys import SITE_KEYS
from pagecache.store import (
    CACHE_ERRORS,
    _lookup,
    _register_paths,
    _store,
    seconds_to_keep,
)

logger = logging.getLogger(__name__)

# Never looked up: /healthz must answer with Redis hung (newsroom/health.py).
PROBES = ("/healthz", "/readyz")
# Never cached, so never looked up.
PERSONAL_PATHS = ("/admin/", "/accounts/")
# A page built without surrogate keys can never be kept: its address is not
# looked up again in this process for a while (at most this many addresses).
UNKEPT_SECONDS = 60
UNKEPT_MAX = 1000


class PageCacheMiddleware:
    """Serve anonymous GET pages from the shared cache; build and keep them on a
    miss. Logged-in people, staff, forms and anything personal pass through
    without a lookup: anyone with a session cookie is treated as one of them."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Files: served by whitenoise (below) or the web server, never kept.
        self.files = tuple(
            prefix
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
            if prefix and prefix.startswith("/")
        )
        # Cache key: until when a page without keys is not looked up.
        self.unkept: dict[str, float] = {}

    def __call__(self, request):
        if not self._may_use(request) or request.path.startswith(self.files):
            return self.get_response(request)
        cache_key = self._key(request)
        if self.unkept.get(cache_key, 0.0) > time.monotonic():
            return self.get_response(request)
        try:
            entry, generation = _lookup(cache_key)
        except CACHE_ERRORS:
            logger.warning("Cache unreachable; %s served without it", request.path)
            return self.get_response(request)
        if entry is not None:
            return self._answer(entry, hit=True)
        response = self.get_response(request)
        keys = getattr(request, "surrogate_keys", None)
        if not keys and response.status_code == 200:
            self._note_unkept(cache_key)
        if keys and self._may_keep(request, response):
            set_response_etag(response)
            keys = keys | set(SITE_KEYS)
            timeout = seconds_to_keep(getattr(request, "cache_expires", None))
            entry = {
                "status": response.status_code,
                "headers": dict(response.items()),
                "content": response.content,
                "keys": sorted(keys),
            }
            try:
                if _store(cache_key, entry, keys, generation, timeout):
                    _register_paths(keys, request.get_full_path())
            except CACHE_ERRORS:
                logger.warning("Cache unreachable; %s not kept", request.path)
            response["Surrogate-Key"] = " ".join(sorted(keys))
        response["X-Cache"] = "MISS"
        return response

    def _note_unkept(self, cache_key: str) -> None:
        if len(self.unkept) >= UNKEPT_MAX:
            self.unkept.clear()
        self.unkept[cache_key] = time.monotonic() + UNKEPT_SECONDS

    @staticmethod
    def _may_use(request) -> bool:
        if not settings.NEWSROOM_PAGE_CACHE or request.method not in {"GET", "HEAD"}:
            return False
        if request.path.startswith(PERSONAL_PATHS):
            return False
        # Probes answer without the cache, whatever state it is in.
        if request.path in PROBES:
            return False
        # Someone presenting credentials (the staff API's bearer token) gets
        # an answer for them, never a shared one.
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        # A pending message is shown on the next page this reader builds.
        if "messages" in request.COOKIES:
            return False
        # Logged in, or may be: decided without loading the session.
        return settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def _may_keep(request, response) -> bool:
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # Public by PublicCacheHeadersMiddleware, not by the view itself.
            and getattr(response, "public_page", False)
            and not (user is not None and user.is_authenticated)
            and not nonce_used(request)
        )

    @staticmethod
    def _key(request) -> str:
        # HEAD is answered from the GET entry; the language is part of the page
        # (LocaleMiddleware, inside, picks it the same way).
        language = translation.get_language_from_request(request)
        address = f"{language}:{request.get_host()}{request.get_full_path()}"
        return "pc:page:" + hashlib.sha256(address.encode()).hexdigest()

    @staticmethod
    def _answer(entry: dict, *, hit: bool) -> HttpResponse:
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"].items():
            response[header] = value
        response["Surrogate-Key"] = " ".join(entry["keys"])
        response["X-Cache"] = "HIT" if hit else "MISS"
        return response


class PublicCacheHeadersMiddleware:
    """Cache-Control for a CDN in front: anonymous pages are public, kept by
    shared caches for a short while and served stale while they refresh; anything for a
    logged-in person, the admin, or a response setting cookies is private and
    never stored. Views that set Cache-Control themselves keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        personal = (
            (user is not None and user.is_authenticated)
            or request.path.startswith(("/admin/", "/accounts/"))
            or response.cookies
            or request.method not in {"GET", "HEAD"}
            # Errors and "not found" may change any minute (a scheduled story).
            or response.status_code not in {200, 301}
        )
        if personal:
            patch_cache_control(response, private=True, no_store=True)
        else:
            # The CDN keeps the page briefly; browsers ask again every time,
            # cheaply, with the ETag (a correction shows on the next visit).
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.NEWSROOM_CACHE_MAX_AGE,
                stale_while_revalidate=settings.NEWSROOM_CACHE_STALE_SECONDS,
            )
            patch_vary_headers(response, ["Cookie"])
            response.public_page = True
        return response
