"""The deployment as the files ship it: the app reachable only through the proxy in front, trusting the proxy's
forwarded address only when told one is there, and logging no one's address or search."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml
from django.test import RequestFactory

from tests.welcoming.test_sqlite_office import free_port
from welcoming.rate_limits import client_address

ROOT = Path(__file__).resolve().parents[2]


def test_the_compose_file_publishes_the_app_on_loopback_only_for_the_proxy():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    published = {name: service.get("ports", []) for name, service in services.items()}
    assert published["web"] == ["127.0.0.1:8000:8000"]
    assert all(str(port).startswith("127.0.0.1:") for ports in published.values() for port in ports), published
    # Whether a proxy is there is the operator's to say, in .env: no service decides it.
    assert not [name for name, service in services.items() if "BEHIND_TLS_PROXY" in (service.get("environment") or {})]
    assert "BEHIND_TLS_PROXY=false" in (ROOT / ".env.example").read_text().splitlines()


def test_a_forwarded_address_counts_only_when_the_app_is_told_a_proxy_is_there(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.BEHIND_TLS_PROXY = False
    assert client_address(request) == "10.0.0.5"  # anyone can write the header: it is ignored
    settings.BEHIND_TLS_PROXY = True
    assert client_address(request) == "203.0.113.9"  # the entry the proxy appended, not the client's own claims


def test_the_access_log_keeps_neither_the_query_string_nor_the_address(tmp_path):
    """gunicorn as the image runs it (its config file), asked for a name search: the log has the path only."""
    port, log = free_port(), tmp_path / "access.log"
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}"]
        + ["--access-logfile", str(log)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?q=Maria%20Gonzalez", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=20)
    line = log.read_text().strip().splitlines()[-1]
    assert '"GET /healthz HTTP/1.1" 200' in line
    assert "Maria" not in line and "?" not in line and "127.0.0.1" not in line
