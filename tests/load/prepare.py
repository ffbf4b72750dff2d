"""Signed-in sessions, API tokens and record ids for the load test (`make load`), written to a JSON file.

Run with the app's venv, against the load database, with the same SECRET_KEY as the server (session data and
the session's auth hash are signed with it):

    .venv/bin/python tests/load/prepare.py OUT.json [--sessions N]

Each session is made the way a real sign-in ends, without the sign-in form and without spending a code:
`django.contrib.auth.login` (the auth keys: _auth_user_id, _auth_user_backend, _auth_user_hash), then
`welcoming.signin.session_verified`, the app's own second step (django_otp.login: the device's persistent id
under `otp_device_id`, then a new session key). Every simulated browser gets its own session, as in real life.

CSRF: staff users only read (GET), so they need no token. A public visitor gets its CSRF cookie and the form's
`csrfmiddlewaretoken` from GET /complaints/new/ and posts back with a same-origin `Origin` header (the requests
look like https behind the proxy, where Django checks the origin).
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model, login  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from complaints import selectors as complaint_selectors  # noqa: E402
from detainers import selectors as detainer_selectors  # noqa: E402
from welcoming import selectors  # noqa: E402
from welcoming.accounts import api_token_issue  # noqa: E402
from welcoming.signin import session_verified  # noqa: E402

ROLES = ["clerk", "ia", "chief", "coordinator", "townclerk"]
BACKEND = "welcoming.backends.AccountBackend"


def verified_session(user) -> str:
    """A new session that has passed password and one-time code; returns its key (the `sessionid` cookie)."""
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    request.session = SessionStore()
    request.user = AnonymousUser()
    login(request, user, backend=BACKEND)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session_verified(request=request, device=device)
    request.session.save()
    return request.session.session_key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sessions", type=int, default=50, help="sessions per role (one per simulated browser)")
    parser.add_argument("--tokens", type=int, default=1, help="API tokens per role")
    options = parser.parse_args()

    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    missing = set(ROLES) - set(users)
    if missing:
        sys.exit(f"prepare: demo users missing (run seed_demo first): {', '.join(sorted(missing))}")

    clerk, ia = users["clerk"], users["ia"]
    data = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "sessions": {name: [verified_session(user) for _ in range(options.sessions)] for name, user in users.items()},
        "tokens": {
            name: [
                api_token_issue(user=user, name=f"load test {n}", lifetime=settings.API_TOKEN_LIFETIME)[1]
                for n in range(options.tokens)
            ]
            for name, user in users.items()
        },
        # Ids each role may open (so a page answers 200, not 404): what the app's own selectors let them see.
        "ids": {
            "detainers": list(detainer_selectors.detainers_for(user=clerk).order_by("id").values_list("id", flat=True)),
            "persons": list(detainer_selectors.persons_for(user=clerk).order_by("id").values_list("id", flat=True)),
            "custody": list(
                detainer_selectors.custody_records_for(user=clerk).order_by("id").values_list("id", flat=True)
            ),
            "findings": list(selectors.findings_for(user=clerk).order_by("id").values_list("id", flat=True)),
            "complaints_ia": list(
                complaint_selectors.complaints_for(user=ia).order_by("id").values_list("id", flat=True)
            ),
        },
        "made_at": timezone.now().isoformat(),
    }
    empty = [name for name, ids in data["ids"].items() if not ids]
    if empty:
        sys.exit(f"prepare: the demo data has no records for: {', '.join(empty)}")
    options.out.write_text(json.dumps(data, indent=1))
    counts = ", ".join(f"{name} {len(ids)}" for name, ids in data["ids"].items())
    print(f"prepare: {len(users)} roles x {options.sessions} verified sessions, API tokens, ids ({counts})")


if __name__ == "__main__":
    main()
