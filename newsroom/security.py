"""Security headers the stack does not set by itself, and the CSP report
endpoint."""

import json
import logging

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.csp import nonce_used

logger = logging.getLogger("newsroom.csp")

# Nothing on the site needs these browser features.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# What a view or decorator of django-csp may set on a response to change its
# policy; a response with none of them gets the site's policy as it is.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware, with the policy of an answer that used no
    nonce and changed nothing built once per process instead of on every
    answer; anything else goes to django-csp as before."""

    _built_for, _built = None, ""

    def site_policy(self) -> str:
        """The policy from settings, built again only when they change."""
        config = settings.CONTENT_SECURITY_POLICY
        if self._built_for is not config:
            self._built, self._built_for = build_policy(), config
        return self._built

    def process_response(self, request, response):
        plain = (
            not nonce_used(request)
            and HEADER not in response
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            and not any(hasattr(response, name) for name in _PER_RESPONSE)
            and not (settings.DEBUG and response.status_code in {404, 500})
        )
        if not plain:
            return super().process_response(request, response)
        response[HEADER] = self.site_policy()
        # As django-csp does: a nonce asked for from now on is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers post what the Content-Security-Policy blocked; we log it."""
    try:
        report = json.loads(request.body[:10_000] or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    logger.warning("CSP violation: %s", json.dumps(report)[:2000])
    return HttpResponse(status=204)
