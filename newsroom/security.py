"""Security headers the stack does not set by itself, and the CSP report
endpoint."""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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
