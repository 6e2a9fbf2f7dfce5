"""https endpoints: the connection goes to the checked address while TLS
(SNI, the certificate check) and the Host header use the name."""

import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webhooks import outbound


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for receiver.test."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=receiver.test",
            "-addext", "subjectAltName=DNS:receiver.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_receiver(certificate, settings, monkeypatch):
    cert, key = certificate
    seen = {"sni": [], "hosts": []}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen["hosts"].append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]

    names = {"receiver.test": ["127.0.0.1"], "impostor.test": ["127.0.0.1"]}
    monkeypatch.setattr(outbound, "resolve", lambda host, port: names[host])
    settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP = False
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = [
        f"receiver.test:{port}",
        f"impostor.test:{port}",
    ]
    settings.NEWSROOM_WEBHOOKS_TIMEOUT_SECONDS = 3
    yield port, seen
    server.shutdown()
    server.server_close()


def post(url):
    return outbound.post(url, body=b"{}", headers={"Content-Type": "application/json"})


def test_https_to_the_pinned_address_with_the_name_for_tls(
    tls_receiver, certificate, settings
):
    port, seen = tls_receiver
    settings.NEWSROOM_WEBHOOKS_CA_BUNDLE = str(certificate[0])
    response = post(f"https://receiver.test:{port}/hook")
    assert response.status_code == 204
    assert seen["sni"] == ["receiver.test"]
    assert seen["hosts"] == [f"receiver.test:{port}"]


def test_an_untrusted_certificate_fails(tls_receiver):
    port, seen = tls_receiver
    with pytest.raises(outbound.DeliveryError):
        post(f"https://receiver.test:{port}/hook")
    assert seen["hosts"] == []


def test_a_certificate_for_another_name_fails(tls_receiver, certificate, settings):
    port, seen = tls_receiver
    settings.NEWSROOM_WEBHOOKS_CA_BUNDLE = str(certificate[0])
    with pytest.raises(outbound.DeliveryError):
        post(f"https://impostor.test:{port}/hook")
    assert seen["hosts"] == []
