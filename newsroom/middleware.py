from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


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
        return response
