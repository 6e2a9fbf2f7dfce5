"""The outbound HTTP client refuses every address that is not on the public
internet, before connecting, on the first request and on every redirect."""

import time

import pytest

from webhooks import outbound

BODY = b'{"event":"test"}'
HEADERS = {"Content-Type": "application/json"}


def post(url):
    return outbound.post(url, body=BODY, headers=HEADERS)


@pytest.fixture(autouse=True)
def http_allowed_nothing_private(settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP = True
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = []


@pytest.fixture
def fake_dns(monkeypatch):
    """Names resolve to what the test says (the resolver hook)."""
    table = {}

    def resolve(host, port):
        if host in table:
            return table[host]
        return outbound.system_resolve(host, port)

    monkeypatch.setattr(outbound, "resolve", resolve)
    return table


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "https://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",  # mapped 169.254.169.254
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://0.0.0.0/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://2130706433/",  # 127.0.0.1 in decimal
        "http://0177.0.0.1/",  # 127.0.0.1 in octal
        "http://0x7f000001/",  # in hex
        "http://127.1/",
        "http://localhost/",
        "http://LOCALHOST./",
    ],
)
def test_private_and_special_addresses_are_refused(url):
    with pytest.raises(outbound.Refused):
        post(url)


def test_refused_before_connecting(receiver_factory):
    # A real server on 127.0.0.1, not on the allow-list: it never hears a thing.
    receiver = receiver_factory(200, allow=False)
    for url in (
        f"http://127.0.0.1:{receiver.port}/",
        f"http://[::ffff:127.0.0.1]:{receiver.port}/",
        f"http://2130706433:{receiver.port}/",
        f"http://localhost:{receiver.port}/",
    ):
        with pytest.raises(outbound.Refused):
            post(url)
    assert receiver.requests == []


def test_a_public_looking_name_that_resolves_to_a_private_address(fake_dns):
    fake_dns["partner.example.com"] = ["10.20.30.40"]
    with pytest.raises(outbound.Refused, match="10.20.30.40"):
        post("https://partner.example.com/hook")


def test_one_private_address_among_public_ones_is_enough_to_refuse(fake_dns):
    fake_dns["partner.example.com"] = ["93.184.215.14", "127.0.0.1"]
    with pytest.raises(outbound.Refused):
        post("https://partner.example.com/hook")


def test_the_checked_address_is_the_one_connected_to(fake_dns, receiver_factory):
    """No second resolution: the name resolves once; the connection goes to
    that address while the Host header keeps the name."""
    receiver = receiver_factory(200, allow=False)
    calls = []
    fake_dns["receiver.test"] = ["127.0.0.1"]
    original = outbound.resolve

    def counting(host, port):
        calls.append(host)
        return original(host, port)

    outbound.resolve = counting
    try:
        from django.conf import settings

        settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = [
            f"receiver.test:{receiver.port}"
        ]
        response = post(f"http://receiver.test:{receiver.port}/hook")
    finally:
        outbound.resolve = original
    assert response.status_code == 200
    assert calls == ["receiver.test"]
    headers, body = receiver.requests[0]
    assert headers["Host"] == f"receiver.test:{receiver.port}"
    assert body == BODY


def test_metadata_address_is_refused_even_when_allowed(settings, fake_dns):
    fake_dns["metadata.test"] = ["169.254.169.254"]
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = ["metadata.test:80"]
    with pytest.raises(outbound.Refused, match="metadata"):
        post("http://metadata.test/")


def test_http_is_refused_unless_allowed(settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(outbound.Refused, match="https"):
        post("http://example.com/hook")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "https://user:secret@example.com/",
        "https://@example.com/",
        "https://exa mple.com/",
        "https://example.com:99999/",
        "https:///path-only",
        "https://\u2603\u2603..example/",
    ],
)
def test_malformed_or_odd_addresses_are_refused(url):
    with pytest.raises(outbound.Refused):
        post(url)


def test_allowed_local_server_is_reached(receiver_factory):
    receiver = receiver_factory(200)
    response = post(receiver.url)
    assert response.status_code == 200
    assert response.body == b'{"ok": true}'
    assert len(receiver.requests) == 1


def test_redirect_to_an_address_not_allowed_is_refused(receiver_factory):
    other = receiver_factory(200, allow=False)
    first = receiver_factory(("redirect", f"http://127.0.0.1:{other.port}/steal"))
    with pytest.raises(outbound.Refused):
        post(first.url)
    assert len(first.requests) == 1
    assert other.requests == []


def test_redirect_to_the_metadata_address_is_refused(receiver_factory):
    first = receiver_factory(("redirect", "http://169.254.169.254/latest/meta-data/"))
    with pytest.raises(outbound.Refused, match="metadata"):
        post(first.url)


def test_redirects_are_followed_with_the_post_kept(receiver_factory):
    target = receiver_factory(200)
    first = receiver_factory(("redirect", target.url))
    response = post(first.url)
    assert response.status_code == 200
    assert response.redirects == 1
    assert target.requests[0][1] == BODY


def test_at_most_three_redirects(receiver_factory):
    loop = receiver_factory(200)
    loop.script = [("redirect", loop.url)]
    with pytest.raises(outbound.DeliveryError, match="redirects"):
        post(loop.url)
    assert len(loop.requests) == 4  # the first request and three redirects


def test_a_server_that_never_answers_fails_quickly(quick, settings, silent_port):
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{silent_port}"]
    started = time.monotonic()
    with pytest.raises(outbound.DeliveryError, match="too long"):
        post(f"http://127.0.0.1:{silent_port}/")
    assert time.monotonic() - started < 2.5


def test_a_server_that_hangs_after_reading_fails_quickly(quick, receiver_factory):
    receiver = receiver_factory("hang")
    started = time.monotonic()
    with pytest.raises(outbound.DeliveryError):
        post(receiver.url)
    assert time.monotonic() - started < 2.5


def test_only_the_first_64_kb_of_an_answer_is_read(receiver_factory):
    receiver = receiver_factory(("huge", 10 * 1024 * 1024))
    started = time.monotonic()
    response = post(receiver.url)
    assert response.status_code == 200
    assert len(response.body) == 65536
    assert time.monotonic() - started < 3


def test_proxy_variables_are_ignored(monkeypatch, receiver_factory):
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("http_proxy", "http://10.9.9.9:3128")
    receiver = receiver_factory(200)
    assert post(receiver.url).status_code == 200


def test_an_international_name_is_checked_in_its_ascii_form(fake_dns):
    fake_dns["xn--bcher-kva.example"] = ["10.0.0.9"]
    with pytest.raises(outbound.Refused, match="10.0.0.9"):
        post("https://b\u00fccher.example/")
