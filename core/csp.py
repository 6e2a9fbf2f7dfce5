"""What the pages need to know of the Content-Security-Policy (django-csp)."""


def nonce_used(request) -> bool:
    """Whether the answer to `request` carries a CSP nonce (django-csp keeps
    the one it made on the request): such an answer is for this request only."""
    return isinstance(getattr(request, "_csp_nonce", None), str)
