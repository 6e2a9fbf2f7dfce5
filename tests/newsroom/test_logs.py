"""Logs (newsroom/logs.py) are JSON, carry a request id and keep no secrets."""

import json
import logging
import re

import pytest
from django.core import mail

from newsroom.logs import JsonFormatter, RequestIdFilter, redact
from tests.comments.factories import ReaderFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/robots.txt")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    given = client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-1234")
    assert given["X-Request-ID"] == "lb-1234"
    hostile = client.get("/robots.txt", HTTP_X_REQUEST_ID="<script>\n")
    assert hostile["X-Request-ID"] != "<script>\n"


def test_logs_are_json_with_the_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-5678")
    record = next(r for r in caplog.records if r.name == "newsroom.requests")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/robots.txt" and line["status"] == 200
    assert line["request_id"] == "lb-5678"


def test_no_password_token_or_session_reaches_the_logs(client, caplog, settings):
    reader = ReaderFactory(email="known@example.com", username="known@example.com")
    with caplog.at_level(logging.DEBUG):
        client.post(
            "/accounts/login/",
            {"username": reader.username, "password": "hunter2-secret"},
        )
        client.post("/accounts/password-reset/", {"email": "known@example.com"})
        link = re.search(r"/accounts/reset/\S+/\S+/", mail.outbox[0].body).group(0)
        client.get(link)
        client.post(
            "/accounts/login/", {"username": reader.username, "password": PASSWORD}
        )
    session_id = client.cookies["sessionid"].value
    formatter = JsonFormatter()
    output = "\n".join(formatter.format(record) for record in caplog.records)
    token = link.rstrip("/").split("/")[-1]
    for secret in ["hunter2-secret", PASSWORD, session_id, token]:
        assert secret not in output


def test_redaction():
    assert redact("password=hunter2&next=/") == "password=[redacted]&next=/"
    assert redact('{"token": "abc123"}') == '{"token": "[redacted]"}'
    assert redact("/accounts/reset/MQ/c1x-abc/") == "/accounts/reset/[redacted]/"
    assert "abc.def" not in redact("Authorization: Bearer abc.def")
