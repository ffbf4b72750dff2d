"""Production mode, the health check and the security headers, as an operator or a browser sees them."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "ENV_FILE": os.devnull,  # ignore a developer's .env
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-grade-random-secret-0123456789abcdef",
    "AUDIT_CHAIN_KEY": "a" * 20 + "-production-grade-audit-chain-key-0123456789abcdef",
    "ALLOWED_HOSTS": "compliance.example-town.gov",
    "PUBLIC_BASE_URL": "https://compliance.example-town.gov",
    "DATABASE_URL": f"sqlite:///{ROOT / 'db.sqlite3'}",
}


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **PRODUCTION, **env}
    environment = {key: value for key, value in environment.items() if value is not None}
    prelude = f"import django; django.setup(); HOST = {PRODUCTION['ALLOWED_HOSTS']!r}; "
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", prelude + code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("print('started')", SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_production_refuses_a_weak_secret_key():
    result = run_django("print('started')", SECRET_KEY="django-insecure-abc")
    assert result.returncode != 0 and "SECRET_KEY is too weak" in result.stderr


def test_production_refuses_to_start_without_a_key_for_the_audit_chain():
    result = run_django("print('started')", AUDIT_CHAIN_KEY=None)
    assert result.returncode != 0 and "AUDIT_CHAIN_KEY is not set" in result.stderr
    result = run_django("print('started')", AUDIT_CHAIN_KEY="short")
    assert result.returncode != 0 and "AUDIT_CHAIN_KEY is too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django("print('started')", ALLOWED_HOSTS=None)
    assert result.returncode != 0 and "ALLOWED_HOSTS is not set" in result.stderr


def test_production_refuses_to_start_without_the_public_address_and_keeps_it_whole():
    result = run_django("print('started')", PUBLIC_BASE_URL=None)
    assert result.returncode != 0 and "PUBLIC_BASE_URL is not set" in result.stderr
    result = run_django(
        "from django.conf import settings; print(settings.PUBLIC_BASE_URL)", PUBLIC_BASE_URL="https://town.gov/app/"
    )
    assert result.stdout.strip() == "https://town.gov/app"  # one slash between it and every path


def test_check_deploy_is_clean_in_production_mode():
    result = run_django(
        "from django.core.management import call_command; call_command('check', deploy=True, fail_level='WARNING')"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_production_cookies_are_secure_and_http_only():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT)"
    )
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr


def test_healthz_is_200_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    result = run_django(
        "from django.test import Client; r = Client(HTTP_HOST=HOST).get('/healthz', secure=True); "
        "print(r.status_code, r.content.decode())",
        DATABASE_URL=unreachable,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("503") and "unreachable" in result.stdout


@pytest.mark.parametrize("url", ["/accounts/sign-in/", "/healthz", "/no-such-page/", "/api/v1/me/"])
def test_every_answer_carries_the_security_headers(client, db, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_sends_hsts_and_redirects_to_https():
    result = run_django(
        "from django.test import Client; c = Client(HTTP_HOST=HOST); r = c.get('/accounts/sign-in/'); "
        "print(r.status_code, r['Location']); r = c.get('/healthz', secure=True); print(r['Strict-Transport-Security'])"
    )
    assert result.returncode == 0, result.stderr
    redirect, hsts = result.stdout.splitlines()[-2:]
    assert redirect.startswith("301 https://")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_needs_inline_script_or_style():
    # The CSP forbids them; a template that used one would break silently in the browser.
    offences = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        offences += [f"{template.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not offences, offences


def test_the_openapi_schema_is_valid_and_complete(db):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for collection in [
        "persons",
        "custody-records",
        "detainers",
        "information-requests",
        "access-requests",
        "assistance-requests",
        "reimbursements",
        "findings",
    ]:
        assert f"/api/v1/{collection}/" in schema, collection


@pytest.mark.parametrize(
    "setting", ["DEFAULT_PAGINATION_CLASS", "DEFAULT_THROTTLE_CLASSES", "DEFAULT_PARSER_CLASSES", "EXCEPTION_HANDLER"]
)
def test_each_api_class_setting_loads_first_in_a_fresh_process(setting):
    """DRF imports the classes its settings name when first asked, and rest_framework.views asks for the throttles
    as it loads: a class in a module that imports views was loaded halfway (CI's `check --deploy`, which asks for
    the pagination class first, failed)."""
    result = run_django(f"from rest_framework.settings import api_settings; print(api_settings.{setting})")
    assert result.returncode == 0, result.stderr
