"""Behind an HTTPS proxy: HSTS, secure cookies, and a clean deploy check."""

import pytest
from django.test import override_settings

from tests.live_server import communique

# README.md, "Accounts": the production variables the deploy check is run with.
PRODUCTION = {
    "COMMUNIQUE_BEHIND_HTTPS_PROXY": "true",
    "COMMUNIQUE_ALLOWED_HOSTS": "statements.example.org",
    "COMMUNIQUE_SITE_URL": "https://statements.example.org",
}


@pytest.mark.server
def test_deploy_check_is_clean_for_the_documented_production_settings(tmp_path):
    result = communique("check", "--deploy", data_dir=tmp_path / "var", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.server
def test_deploy_check_still_warns_without_https(tmp_path):
    result = communique("check", "--deploy", data_dir=tmp_path / "var")
    assert "security.W016" in result.stdout + result.stderr


@pytest.mark.server
def test_settings_behind_https_proxy(tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT)"
    )
    result = communique(
        "shell", "-v", "0", "-c", script, data_dir=tmp_path / "var", env=PRODUCTION
    )
    assert result.stdout.split() == [
        "31536000",
        "False",
        "False",
        "True",
        "True",
        "True",
    ]
    chosen = {
        **PRODUCTION,
        "COMMUNIQUE_HSTS_SECONDS": "600",
        "COMMUNIQUE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "COMMUNIQUE_HSTS_PRELOAD": "yes",
    }
    result = communique(
        "shell", "-v", "0", "-c", script, data_dir=tmp_path / "var", env=chosen
    )
    assert result.stdout.split()[:3] == ["600", "True", "True"]


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_HSTS_SECONDS=31536000,
    SECURE_SSL_REDIRECT=True,
)
def test_pages_over_https_carry_hsts_and_plain_http_is_redirected(client, db):
    secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    plain = client.get("/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
