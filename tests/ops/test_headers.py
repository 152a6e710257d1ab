"""Security headers and cookie flags, as a browser receives them, in development and in production mode."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import ArticleFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_"))}
    env.update(
        BYLINE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        BYLINE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="byline.settings",
    )
    env.pop("DATABASE_URL", None)
    env.pop("DEBUG", None)
    # The browser tests set this for Playwright in the test process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory) -> dict:
    """The security settings Byline really has with BYLINE_ENV=production (read in a fresh process)."""
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "DEBUG",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    env = production_env(tmp_path_factory.mktemp("prod"))
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def csp(response) -> dict[str, str]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, _, value = directive.strip().partition(" ")
        policy[name] = value
    return policy


@pytest.mark.django_db
@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from-cache"])
def test_reader_pages_carry_a_strict_policy_and_the_privacy_headers(cached):
    article = ArticleFactory()
    reader = Client()
    urls = ["/", article.get_absolute_url(), article.section.get_absolute_url(), "/search/?q=x", "/support/"]
    for url in urls:
        response = reader.get(url)
        if cached:
            response = reader.get(url)
        assert response.status_code == 200, url
        policy = csp(response)
        assert policy["script-src"] == "'self'", url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert policy["style-src"] == "'self'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["object-src"] == "'none'", url
        assert policy["base-uri"] == "'self'", url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_admin_pages_allow_no_inline_script_either():
    response = Client().get("/admin/login/")
    assert csp(response)["script-src"] == "'self'"


def test_production_mode_turns_on_https_only_settings(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production_settings["CSRF_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.django_db
def test_in_production_https_pages_send_hsts_and_cookies_are_secure_httponly_samesite(
    production_settings, settings
):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    secure = {"secure": True, "headers": {"X-Forwarded-Proto": "https"}}

    page = browser.get("/accounts/login/", **secure)
    assert page.status_code == 200
    hsts = page["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    csrf_cookie = page.cookies["csrftoken"]
    assert csrf_cookie["secure"] and csrf_cookie["samesite"] == "Lax"

    signed_in = browser.post(
        "/accounts/login/",
        {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": page.context["csrf_token"]},
        secure=True,
        headers={"X-Forwarded-Proto": "https", "Referer": "https://testserver/accounts/login/"},
    )
    assert signed_in.status_code == 302
    session_cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_in_production_plain_http_is_redirected_to_https(production_settings, settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    response = Client().get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.slow
def test_django_deploy_checks_are_clean_in_production_mode(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
