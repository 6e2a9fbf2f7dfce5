"""Outbound HTTP for webhooks, safe against server-side request forgery.

An endpoint's address is typed by an editor, but the request leaves from
inside our network: without care, `http://169.254.169.254/` would read the
cloud's metadata (credentials) and `http://10.0.0.5:6379/` would talk to
internal services. So every request, and every redirect it follows:

- is https (http only with NEWSROOM_WEBHOOKS_ALLOW_HTTP, for development);
- has its host resolved here, once; it is refused if ANY address is not a
  public one (`address_refusal`), unless the host:port pair is listed in
  NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS (tests, a local receiver);
- connects to the address that was checked (pinned: no second resolution a
  DNS rebinding could change), while TLS SNI, certificate checks and the
  Host header still use the name;
- ignores proxy variables from the environment, follows at most
  MAX_REDIRECTS redirects itself, and stops at a total deadline and a body
  size cap.
"""

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool

MAX_REDIRECTS = 3
REDIRECT_CODES = {301, 302, 303, 307, 308}
DEFAULT_PORTS = {"http": 80, "https": 443}

# Addresses a webhook may never reach, allow-list or not: cloud metadata.
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
}

# IANA's special-purpose ranges (and multicast), written out: the ipaddress
# module of Python 3.11 calls some of these global (multicast, 192.0.0.0/24).
BLOCKED_NETWORKS = [
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network", 0.0.0.0
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, metadata
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/128",
        "::1/128",
        "::/96",  # IPv4-compatible (checked for the embedded address too)
        "::ffff:0:0/96",  # IPv4-mapped (likewise)
        "64:ff9b::/96",  # NAT64 (likewise)
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments, Teredo
        "2001:db8::/32",
        "2002::/16",  # 6to4 (checked for the embedded address too)
        "fc00::/7",  # unique local, fd00:ec2::254
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local
        "ff00::/8",  # multicast
    )
]
# The IPv6 prefixes that carry an IPv4 address in their last 32 bits.
EMBEDDING_V4 = [
    ipaddress.ip_network(n) for n in ("::/96", "::ffff:0:0/96", "64:ff9b::/96")
]


class Refused(Exception):
    """The request was not made: the address is not one we may reach. The
    message is for editors."""


class DeliveryError(Exception):
    """The request was made but failed (connection, TLS, timeout)."""


@dataclass
class Response:
    status_code: int
    body: bytes  # at most NEWSROOM_WEBHOOKS_MAX_BODY_BYTES
    url: str  # after redirects
    redirects: int


def system_resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to. Tests replace `resolve` (below)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise DeliveryError(
            _("The name %(host)s could not be resolved (%(error)s).")
            % {"host": host, "error": error}
        ) from error
    return list(dict.fromkeys(info[4][0] for info in infos))


# The resolver every check uses; a function tests may swap.
resolve = system_resolve


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in network for network in EMBEDDING_V4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address) -> str | None:
    """Why `address` (an ip_address) may not be reached, or None if it is a
    public address."""
    if address in METADATA_ADDRESSES:
        return _("%(address)s is a cloud metadata address.") % {"address": address}
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_v4(address)
        if embedded is not None:
            reason = address_refusal(embedded)
            if reason:
                return reason
    if any(address in network for network in BLOCKED_NETWORKS) or not (
        address.is_global
    ):
        return _(
            "%(address)s is a private, local or reserved address, not one on "
            "the public internet."
        ) % {"address": address}
    return None


def _host_port(parts) -> tuple[str, int]:
    host = (parts.hostname or "").rstrip(".").lower()
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    return host, port


def host_is_allowed_private(host: str, port: int) -> bool:
    """Whether NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS lists `host:port`
    (IPv6 hosts in brackets: `[::1]:8443`)."""
    shown = f"[{host}]" if ":" in host else host
    allowed = {
        entry.strip().lower()
        for entry in settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS
    }
    return f"{shown}:{port}" in allowed


def url_refusal(url: str) -> str | None:
    """What is wrong with `url` before any name is resolved (scheme,
    credentials, host, port), or None. Used by the admin form too."""
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        return _("The address may not contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        return _("This is not a valid web address.")
    if parts.scheme not in DEFAULT_PORTS:
        return _("The address must start with https://.")
    if parts.scheme == "http" and not settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP:
        return _(
            "Use https://: webhooks are signed, not encrypted, and go out only "
            "over https."
        )
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return _(
            "Do not put a user name or password in the address; receivers "
            "check the signature instead."
        )
    if not parts.hostname:
        return _("The address has no host name.")
    return None


def check_url(url: str) -> tuple[str, int, str]:
    """The host, port and the one address a request to `url` must connect
    to; raises Refused (or DeliveryError if the name does not resolve)."""
    reason = url_refusal(url)
    if reason:
        raise Refused(reason)
    parts = urlsplit(url)
    host, port = _host_port(parts)
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise Refused(
            _("%(host)s is not a valid host name.") % {"host": host}
        ) from error
    addresses = resolve(host, port)
    if not addresses:
        raise DeliveryError(_("The name %(host)s has no address.") % {"host": host})
    allowed = host_is_allowed_private(host, port)
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if address in METADATA_ADDRESSES or not allowed:
            reason = address_refusal(address)
            if reason:
                raise Refused(
                    _("%(host)s is refused: %(reason)s")
                    % {"host": host, "reason": reason}
                )
    return host, port, addresses[0]


class PinnedAdapter(HTTPAdapter):
    """Connects to one checked address whatever the URL's host is; the host
    stays the name for SNI, certificate checks and the Host header."""

    def __init__(self, *, address: str, host: str):
        self.address = address
        self.host = host
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        parts = urlsplit(request.url)
        port = parts.port or DEFAULT_PORTS[parts.scheme]
        if parts.scheme == "https":
            return HTTPSConnectionPool(
                self.address,
                port,
                server_hostname=self.host,
                assert_hostname=self.host,
                maxsize=1,
            )
        return HTTPConnectionPool(self.address, port, maxsize=1)


def _read_capped(response: requests.Response, *, deadline: float) -> bytes:
    """At most the cap of the body, before the deadline; the rest is left
    unread (the connection is closed)."""
    cap = settings.NEWSROOM_WEBHOOKS_MAX_BODY_BYTES
    chunks, size = [], 0
    raw = response.raw
    while size < cap:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeliveryError(_("The receiver took too long to answer."))
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(remaining)
        try:
            chunk = raw.read(min(8192, cap - size), decode_content=False)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as error:
            raise DeliveryError(_("The receiver took too long to answer.")) from error
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as error:
            raise DeliveryError(
                _("Reading the answer failed: %(error)s") % {"error": error}
            ) from error
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Response:
    """POST `body` to `url`, following at most MAX_REDIRECTS redirects (each
    checked like the first; the POST and its body are kept). Raises Refused
    or DeliveryError; any answer, even a 500, is a Response."""
    timeout = settings.NEWSROOM_WEBHOOKS_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    connect_timeout = min(settings.NEWSROOM_WEBHOOKS_CONNECT_TIMEOUT_SECONDS, timeout)
    for redirects in range(MAX_REDIRECTS + 1):
        host, port, address = check_url(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeliveryError(_("The receiver took too long to answer."))
        session = requests.Session()
        session.trust_env = (
            False  # no proxies, .netrc or CA bundle from the environment
        )
        adapter = PinnedAdapter(address=address, host=host)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        request = requests.Request("POST", url, data=body, headers=headers).prepare()
        default_port = DEFAULT_PORTS[urlsplit(url).scheme]
        shown = f"[{host}]" if ":" in host else host
        request.headers["Host"] = shown if port == default_port else f"{shown}:{port}"
        try:
            answer = session.send(
                request,
                stream=True,
                allow_redirects=False,
                timeout=(min(connect_timeout, remaining), remaining),
                verify=settings.NEWSROOM_WEBHOOKS_CA_BUNDLE or True,
            )
        except requests.Timeout as error:
            session.close()
            raise DeliveryError(_("The receiver took too long to answer.")) from error
        except requests.RequestException as error:
            session.close()
            raise DeliveryError(
                _("Could not connect: %(error)s") % {"error": type(error).__name__}
            ) from error
        try:
            if answer.status_code in REDIRECT_CODES and answer.headers.get("Location"):
                if redirects == MAX_REDIRECTS:
                    raise DeliveryError(
                        _("More than %(count)d redirects.") % {"count": MAX_REDIRECTS}
                    )
                url = urljoin(url, answer.headers["Location"])
                continue
            content = _read_capped(answer, deadline=deadline)
            return Response(
                status_code=answer.status_code,
                body=content,
                url=url,
                redirects=redirects,
            )
        finally:
            answer.close()
            session.close()
    raise AssertionError("unreachable")  # pragma: no cover


# The forms of IPv4 address resolvers still accept: 2130706433, 0177.0.0.1,
# 0x7f.1. Only the usual dotted form is taken.
_NUMERIC_HOST = re.compile(
    r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", re.IGNORECASE
)
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(\.{_OCTET}){{3}}")


def endpoint_url_problem(url: str) -> str | None:
    """What an editor should fix in an endpoint's address, or None. The
    real check is made on every send (webhooks/py); this one
    catches mistakes and obvious attempts before they are saved."""
    reason = url_refusal(url)
    if reason:
        return reason
    parts = urlsplit(url)
    host = parts.hostname.rstrip(".")
    if _NUMERIC_HOST.fullmatch(host) and not _DOTTED_QUAD.fullmatch(host):
        return _(
            "Write an IP address as four decimal numbers (like 203.0.113.7), "
            "or better, use a host name."
        )
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if address is not None and not host_is_allowed_private(host, port):
        reason = address_refusal(address)
        if reason:
            return reason
    if address is not None and address in METADATA_ADDRESSES:
        return address_refusal(address)
    local = host in {"localhost", "localhost.localdomain"} or host.endswith(
        ".localhost"
    )
    if local and not host_is_allowed_private(host, port):
        return _("localhost is this server, not a receiver on the internet.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("This is not a valid web address.")
    return None
