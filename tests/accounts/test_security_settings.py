"""Login throttling, search isolation and the HTTPS settings read from the environment."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from partnerboard.accounts.models import Kind
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.settings import proxy_ssl_header


def sign_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_failed_logins_throttled_per_address(client, owner):
    statuses = [sign_in(client, "olivia@acme.example", "wrong password").status_code for _ in range(5)]

    throttled = sign_in(client, "olivia@acme.example", "correct horse battery staple")

    assert statuses == [200] * 5
    assert throttled.status_code == 200
    assert "Too many failed login attempts. Try again later." in throttled.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttle_leaves_other_addresses(client, owner, member):
    for _ in range(5):
        sign_in(client, "olivia@acme.example", "wrong password")

    response = sign_in(client, "max@acme.example", "correct horse battery staple")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_search_never_returns_other_teams_names(client_for, owner, team, integrations, outsider, other_team):
    create_partner(outsider, other_team, PartnerData(name="Initrode Secret", kind=Kind.SAAS))
    create_partner(owner, team, PartnerData(name="Initrode Public", kind=Kind.SAAS))
    client = client_for(owner)

    partner_search = client.get(f"/t/{team.slug}/partners/?q=initrode").content.decode()
    add_search = client.get(
        f"/t/{team.slug}/projects/{integrations.public_id}/add/?q=initrode", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "Initrode Public" in partner_search
    assert "Initrode Secret" not in partner_search
    assert "Initrode Public" in add_search
    assert "Initrode Secret" not in add_search


def test_proxy_header_parsed():
    assert proxy_ssl_header("") is None
    assert proxy_ssl_header("HTTP_X_FORWARDED_PROTO, https") == ("HTTP_X_FORWARDED_PROTO", "https")
    with pytest.raises(ImproperlyConfigured) as raised:
        proxy_ssl_header("X-Forwarded-Proto")
    assert "use HEADER,VALUE such as HTTP_X_FORWARDED_PROTO,https" in str(raised.value)


def read_settings(**environment) -> str:
    """Print the HTTPS settings as a fresh process reads them from `environment`."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("SECURE_")}
    env.update(environment, DJANGO_SETTINGS_MODULE="partnerboard.settings")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_https_settings_default_off():
    assert read_settings() == "False False 0 False None"


def test_https_settings_from_environment():
    output = read_settings(
        SECURE_COOKIES="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_SSL_REDIRECT="yes",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )

    assert output == "True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_ssl_redirect_and_hsts_on_responses(client, owner, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get("/accounts/login/")
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=3600"
