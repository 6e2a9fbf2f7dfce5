"""Telling the CDN in front that pages changed.

Every invalidation (pagecache/store.py) ends here with the surrogate keys
that changed and the addresses known to show them. The backend is a setting:

- `http`: one `PURGE <path>` request per address, for Varnish-style caches
  (NEWSROOM_PURGE_URL is the cache's base address);
- `surrogate`: one `POST` of the keys as JSON (`{"surrogate_keys": [...]}`)
  to NEWSROOM_PURGE_URL, for CDNs that tag pages by the `Surrogate-Key`
  header (NEWSROOM_PURGE_TOKEN goes in an `Authorization: Bearer` header);
- a dotted path to a class of your own with a `purge(keys, paths)` method;
- empty (the default): no CDN, nothing to do.

Purges run as a background job (pagecache/tasks.py), retried when the CDN
does not answer.
"""

import json
import urllib.request
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

TIMEOUT_SECONDS = 5
BACKENDS = {
    "http": "pagecache.purge.HttpPurge",
    "surrogate": "pagecache.purge.SurrogateKeyPurge",
}


class PurgeFailed(Exception):
    """The CDN refused or did not answer; the job is retried."""


def _send(request: urllib.request.Request) -> None:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except OSError as error:  # URLError and HTTPError are OSErrors
        failed = f"{request.get_method()} {request.full_url}: {error}"
        raise PurgeFailed(failed) from error


class HttpPurge:
    """`PURGE /path` for every address, as Varnish and Squid understand it."""

    def __init__(self, base_url: str, token: str = ""):
        self.base_url = base_url.rstrip("/")

    def purge(self, keys: list[str], paths: list[str]) -> None:
        for path in paths:
            _send(urllib.request.Request(self.base_url + path, method="PURGE"))


class SurrogateKeyPurge:
    """One request naming every key; the CDN drops each page tagged with one."""

    def __init__(self, base_url: str, token: str = ""):
        self.url, self.token = base_url, token

    def purge(self, keys: list[str], paths: list[str]) -> None:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = json.dumps({"surrogate_keys": keys}).encode()
        _send(urllib.request.Request(self.url, data=body, headers=headers))


@cache
def _backend_for(name: str, url: str, token: str):
    return import_string(BACKENDS.get(name, name))(url, token)


def backend():
    name = settings.NEWSROOM_PURGE_BACKEND
    if not name:
        return None
    url, token = settings.NEWSROOM_PURGE_URL, settings.NEWSROOM_PURGE_TOKEN
    return _backend_for(name, url, token)


def purge(*, keys: list[str], paths: list[str]) -> None:
    """Purge now (the background job calls this)."""
    cdn = backend()
    if cdn is not None:
        cdn.purge(keys, paths)
