"""The Webhook-Signature header: `t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" keyed with the endpoint's secret>`. README.md shows receivers
how to check it; `signature_verify` is the same check, for our tests and
tools."""

import hashlib
import hmac
import json
import time


def payload_body(payload: dict) -> bytes:
    """The exact bytes sent (and signed): compact, keys sorted, ASCII."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signature(*, secret: str, body: bytes, timestamp: int) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return (
        f"t={timestamp},v1={signature(secret=secret, body=body, timestamp=timestamp)}"
    )


def signature_verify(
    *,
    secret: str,
    body: bytes,
    header: str,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """Whether `header` signs `body` with `secret`, made within `tolerance`
    seconds of `now` (an old signature replayed is refused)."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
        given = fields["v1"]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret=secret, body=body, timestamp=timestamp)
    return hmac.compare_digest(expected, given)
