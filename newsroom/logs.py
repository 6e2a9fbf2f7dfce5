"""Structured logs: one JSON object per line, each with the request id of the
request that wrote it, and nothing secret in them.

`RequestIdMiddleware` takes the load balancer's `X-Request-ID` (or makes one),
hands it back in the response and logs one line per request. `JsonFormatter`
and `RequestIdFilter` are wired in settings.LOGGING.
"""

import contextvars
import json
import logging
import re
import time
import uuid

request_id = contextvars.ContextVar("request_id", default="-")
logger = logging.getLogger("newsroom.requests")

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# What may never reach a log: passwords, tokens, session and CSRF cookies,
# password-reset and newsletter links.
_SECRETS = [
    (re.compile(r"(?i)(Bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
    (
        re.compile(
            r"(?i)\b(password\d?|passwd|secret|token|otp_token|sessionid|csrftoken|"
            r"csrfmiddlewaretoken|api[_-]?key|authorization)\b(\"?\s*[:=]\s*\"?)[^\s&\"',;]+"
        ),
        r"\1\2[redacted]",
    ),
    (re.compile(r"(/reset/)[^/\s]+/[^/\s]+/"), r"\1[redacted]/"),
    # Newsletter links: whoever holds one manages that address's newsletters.
    (
        re.compile(r"(/newsletters/(?:confirm|preferences|unsubscribe)/)[^/\s]+/"),
        r"\1[redacted]/",
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id.get()),
            "message": redact(record.getMessage()),
        }
        for field in ("method", "path", "status", "ms", "user"):
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        current = given if _VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(current)
        request.id = current
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            if not logger.isEnabledFor(logging.INFO):
                return response
            # Only a user the request already loaded: loading one here could
            # hit a database that is down.
            user = getattr(request, "_cached_user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            logger.info(
                "%s %s %s",
                request.method,
                redact(request.path),
                response.status_code,
                extra={
                    "request_id": current,
                    "method": request.method,
                    # The path only: query strings can carry anything.
                    "path": redact(request.path),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user_id,
                },
            )
            return response
        finally:
            request_id.reset(token)
