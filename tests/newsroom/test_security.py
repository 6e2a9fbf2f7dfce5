"""Production settings, security headers, login protection, two-factor sign-in
for staff."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.comments.factories import ReaderFactory
from tests.factories import ArticleFactory, UserFactory
from tests.servers import ROOT

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            env[name] = value
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["NEWSROOM_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_the_security_headers(client):
    story = ArticleFactory(published=True)
    for url in ["/", story.get_absolute_url(), "/admin/login/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_cached_pages_get_a_fresh_policy_and_need_no_nonce(client):
    story = ArticleFactory(published=True)
    client.get(story.get_absolute_url())
    response = client.get(story.get_absolute_url())
    assert response["X-Cache"] == "HIT"
    assert "Content-Security-Policy" in response
    assert "nonce" not in response.content.decode()


def test_the_policy_built_once_is_django_csps_own(client, settings):
    """Pages without a nonce get the policy built once per process: the very
    string django-csp builds; a page that uses a nonce still gets its own,
    and a change of the setting is picked up."""
    from csp.utils import build_policy

    story = ArticleFactory(published=True)
    settings.NEWSROOM_PAGE_CACHE = False
    plain = client.get(story.get_absolute_url())["Content-Security-Policy"]
    assert plain == build_policy()
    assert "nonce-" not in plain
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin = client.get("/admin/articles/article/add/")
    assert "nonce-" in admin["Content-Security-Policy"]
    nonces = {
        client.get("/admin/articles/article/add/")["Content-Security-Policy"]
        for _ in range(2)
    }
    assert len(nonces) == 2  # each answer its own nonce
    client.logout()
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}
    directives["img-src"] = ["'self'", "https://images.example"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    changed = client.get(story.get_absolute_url())["Content-Security-Policy"]
    assert "https://images.example" in changed


def test_csp_reports_are_logged(client, caplog):
    report = '{"csp-report": {"blocked-uri": "inline", "violated-directive": "x"}}'
    response = client.post(
        "/csp-report/", report, content_type="application/csp-report"
    )
    assert response.status_code == 204
    assert "CSP violation" in caplog.text
    assert client.post("/csp-report/", "{not json", content_type="x").status_code == 400


# --- Login protection -----------------------------------------------------------


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def log_in(client, username, password, ip="203.0.113.5"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_an_account_is_locked_after_repeated_failures(client, throttled):
    reader = ReaderFactory(password=PASSWORD)
    for n in range(2):
        response = log_in(client, reader.username, "wrong", ip=f"198.51.100.{n}")
        assert response.status_code == 200
    assert log_in(client, reader.username, "wrong").status_code == 429
    # Now even the right password is refused, from anywhere, with a reason.
    response = log_in(client, reader.username, PASSWORD, ip="192.0.2.99")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_failures_on_many_accounts(client, throttled):
    reader = ReaderFactory(password=PASSWORD)
    for n in range(3):
        log_in(client, f"guess{n}@example.com", "wrong")
    assert log_in(client, reader.username, PASSWORD).status_code == 429
    # The same reader from another address is fine.
    assert log_in(client, reader.username, PASSWORD, ip="192.0.2.7").status_code == 302


def test_staff_logins_are_throttled_too(client, throttled):
    UserFactory(username="desk", is_staff=True, password=PASSWORD)
    for _ in range(3):
        client.post(
            "/admin/login/",
            {"username": "desk", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        )
    response = client.post("/admin/login/", {"username": "desk", "password": PASSWORD})
    assert response.status_code == 429


def test_a_successful_login_rotates_the_session(client):
    reader = ReaderFactory(password=PASSWORD)
    client.get("/accounts/login/")
    session = client.session
    session["before"] = True
    session.save()
    before = session.session_key
    assert log_in(client, reader.username, PASSWORD).status_code == 302
    assert client.session.session_key != before


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    ReaderFactory(email="known@example.com", username="known@example.com")
    answers = []
    for email in ["known@example.com", "unknown@example.com"]:
        response = client.post("/accounts/password-reset/", {"email": email})
        answers.append((response.status_code, response["Location"]))
    assert answers[0] == answers[1]
    assert len(mail.outbox) == 1  # only the real account gets an email


# --- Two-factor sign-in for staff ---------------------------------------------


@pytest.fixture
def staff_with_device(db):
    user = UserFactory(
        username="chief", is_staff=True, is_superuser=True, password=PASSWORD
    )
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_with_two_factor_on_staff_need_a_code(client, settings, staff_with_device):
    settings.NEWSROOM_STAFF_2FA = True
    user, device = staff_with_device
    form = {
        "username": "chief",
        "password": PASSWORD,
        "otp_device": device.persistent_id,
    }
    response = client.post("/admin/login/", {**form, "otp_token": "000000"})
    assert response.status_code == 200  # refused, form shown again
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # the device's own pause after a wrong code

    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post("/admin/login/", {**form, "otp_token": f"{token:06d}"})
    assert response.status_code == 302, response.context["form"].errors
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_is_not_enough_with_two_factor_on(
    client, settings, staff_with_device
):
    settings.NEWSROOM_STAFF_2FA = True
    client.force_login(staff_with_device[0])  # a session never verified
    assert client.get("/admin/").status_code == 302


def test_without_two_factor_the_password_suffices(client, staff_with_device):
    response = client.post("/admin/login/", {"username": "chief", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
