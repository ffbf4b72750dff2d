"""The embedded default holds a small office: ten clients at once against gunicorn on a SQLite file, each filing
complaints and looking them up (every request writes: rate counts, sessions, complaints, the audit log), and not
one answer is a server error ("database is locked" was one)."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS, ROUNDS = 10, 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def office(tmp_path):
    """gunicorn (four workers) on a fresh SQLite file with the demo town, as `make run` starts the app."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'office.sqlite3'}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v", "0"], ["createcachetable"], ["seed_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "4", "--error-logfile", log],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield base, log
    server.terminate()
    server.wait(timeout=20)


def client_session(base: str, statuses: list[int], number: int) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def send(path, data=None):
        request = urllib.request.Request(base + path, data=urllib.parse.urlencode(data).encode() if data else None)
        request.add_header("Referer", base + path)
        try:
            with opener.open(request, timeout=60) as answer:
                statuses.append(answer.status)
                return answer.read().decode()
        except urllib.error.HTTPError as refusal:
            statuses.append(refusal.code)
            return refusal.read().decode()

    for round_ in range(ROUNDS):
        form = send("/complaints/new/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        send(
            "/complaints/new/",
            {
                "csrfmiddlewaretoken": token,
                "narrative": f"Client {number}, round {round_}: an officer asked where I was born.",
                "department": "police",
                "about": "officers",
                "anonymous": "on",
            },
        )
        status = send("/complaints/status/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', status).group(1)
        send("/complaints/status/", {"csrfmiddlewaretoken": token, "code": "WC-0000-0000", "pin": "000000"})
        send("/public/figures/")


def test_ten_clients_at_once_on_sqlite_get_no_server_error(office):
    base, log = office
    statuses: list[int] = []
    clients = [threading.Thread(target=client_session, args=(base, statuses, n)) for n in range(CLIENTS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    assert len(statuses) == CLIENTS * ROUNDS * 5
    assert not [status for status in statuses if status >= 500], sorted(statuses)
    assert statuses.count(200) > CLIENTS * ROUNDS * 3  # most were served, not refused
    assert "database is locked" not in log.read_text()
