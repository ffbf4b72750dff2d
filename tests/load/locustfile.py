"""The load test's users (`make load`, via tests/load/run.sh): staff reading their screens with verified sessions,
API clients with tokens, and public visitors filing complaints.

Every request states the answer it expects (allow_redirects=False: a 302 to the sign-in page is an error, not a
page); anything else is counted as an error. A 429 is an error too, except where it is the point: the sixth
complaint from one address within the hour (`RepeatSender`).

The server runs as behind the TLS proxy (BEHIND_TLS_PROXY=true): every request carries the headers the proxy
adds, `X-Forwarded-Proto: https` and `X-Forwarded-For` ending with the visitor's address. Each public visitor has
an address of its own, from the documentation ranges (RFC 5737), so the page's limit of 5 complaints an hour
per address is met only where a test means to meet it. Staff share the town hall's one address.

Reads LOAD_DATA, the JSON written by tests/load/prepare.py (sessions, tokens and record ids); at the end writes
the final statistics to LOAD_RESULTS (JSON, for tests/load/report.py: locust's --csv files are rewritten only
every second and may miss the last requests).
"""

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text(encoding="utf-8"))
IDS = DATA["ids"]
SUBMISSION_LIMIT = 5  # complaints.public_views.SUBMISSION_LIMIT: from one address in an hour
TOWN_HALL = "192.0.2.10"
_addresses = (f"{net}.{host}" for net in ("203.0.113", "198.51.100") for host in range(1, 255))
_sessions = {role: itertools.cycle(keys) for role, keys in DATA["sessions"].items()}
_api_roles = itertools.cycle(["clerk", "ia", "chief", "townclerk", "clerk"])
LANGUAGES = ["en", "es", "pt-BR", "ht", "zh-Hans", "vi"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRACKING_CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")
NARRATIVES = [
    "An officer at the station asked my brother where he was born before taking his report.",
    "My neighbour was kept overnight after the court released her; they said immigration wanted her.",
    "At the traffic stop the officer asked for my green card instead of my license.",
    "The school office asked for my daughter's passport to register her.",
]


_environment = None


@events.init.add_listener
def _remember_environment(environment, **_):
    global _environment
    _environment = environment


@events.quit.add_listener
def _write_results(exit_code, **_):
    """The final numbers, once every user has stopped: per endpoint, overall, and each kind of error."""
    path = os.environ.get("LOAD_RESULTS")
    if not path or _environment is None:
        return
    stats = _environment.stats

    def numbers(entry):
        return {
            "name": entry.name,
            "method": entry.method,
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "rps": entry.total_rps,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "max": entry.max_response_time,
        }

    results = {
        "exit_code": exit_code,
        "seconds": (stats.last_request_timestamp or 0) - (stats.start_time or 0),
        "endpoints": [numbers(entry) for entry in stats.entries.values() if entry.num_requests or entry.num_failures],
        "total": numbers(stats.total),
        "errors": [
            {"name": error.name, "method": error.method, "error": str(error.error), "occurrences": error.occurrences}
            for error in stats.errors.values()
        ],
    }
    Path(path).write_text(json.dumps(results, indent=1), encoding="utf-8")


def expect(client, method, path, *, name=None, status=(200,), **kwargs):
    """One request that must answer with one of `status`; otherwise an error naming what came back."""
    with client.request(
        method, path, name=name or f"{method} {path}", catch_response=True, allow_redirects=False, **kwargs
    ) as response:
        if response.status_code in status:
            response.success()
        else:
            location = response.headers.get("Location")
            wanted = "/".join(str(code) for code in status)
            response.failure(f"{response.status_code}, expected {wanted}" + (f" (to {location})" if location else ""))
        return response


class Visitor(HttpUser):
    abstract = True

    def proxy_headers(self, address):
        self.client.headers.update({"X-Forwarded-For": address, "X-Forwarded-Proto": "https"})

    @property
    def origin(self):
        # What a browser sends on an https form post; Django checks it against the https host behind the proxy.
        return "https://" + urlsplit(self.host).netloc

    def get(self, path, name=None, **kwargs):
        return expect(self.client, "GET", path, name=name, **kwargs)


class StaffUser(Visitor):
    """A signed-in browser: a session of its own that passed the one-time code (made by prepare.py)."""

    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self):
        self.proxy_headers(TOWN_HALL)
        self.client.cookies.set(DATA["session_cookie"], next(_sessions[self.role]))


class RecordsClerk(StaffUser):
    role = "clerk"
    weight = 12

    @task(2)
    def dashboard(self):
        self.get("/", name="GET / (dashboard, clerk)")

    @task(3)
    def detainer_list(self):
        self.get("/police/detainers/")

    @task(1)
    def detainer_search(self):
        self.get("/police/detainers/?q=a", name="GET /police/detainers/?q=")

    @task(3)
    def detainer_page(self):
        self.get(f"/police/detainers/{random.choice(IDS['detainers'])}/", name="GET /police/detainers/[id]/")

    @task(2)
    def findings_queue(self):
        self.get("/findings/")

    @task(1)
    def release_board(self):
        self.get("/police/board/")


class InternalAffairs(StaffUser):
    role = "ia"
    weight = 6

    @task(1)
    def dashboard(self):
        self.get("/", name="GET / (dashboard, ia)")

    @task(3)
    def complaints_queue(self):
        self.get("/complaints/")

    @task(3)
    def complaint_page(self):
        self.get(f"/complaints/{random.choice(IDS['complaints_ia'])}/", name="GET /complaints/[id]/")

    @task(1)
    def findings_queue(self):
        self.get("/findings/")


class Chief(StaffUser):
    role = "chief"
    weight = 6

    @task(1)
    def dashboard(self):
        self.get("/", name="GET / (dashboard, chief)")

    @task(3)
    def figures_page(self):
        self.get("/reports/figures/")

    @task(2)
    def figures_api(self):
        # The same document as JSON, through the browser's verified session.
        self.get("/api/v1/reports/figures/", name="GET /api/v1/reports/figures/ (session)")

    @task(1)
    def periods(self):
        self.get("/reports/")


API_READS = {
    "clerk": [
        ("/api/v1/detainers/", None),
        ("/api/v1/detainers/{detainers}/", "/api/v1/detainers/[id]/"),
        ("/api/v1/persons/", None),
        ("/api/v1/custody-records/", None),
        ("/api/v1/findings/", None),
    ],
    "ia": [
        ("/api/v1/complaints/", None),
        ("/api/v1/complaints/{complaints_ia}/", "/api/v1/complaints/[id]/"),
        ("/api/v1/findings/", None),
    ],
    "chief": [("/api/v1/reports/figures/", "/api/v1/reports/figures/ (token)"), ("/api/v1/reports/", None)],
    "townclerk": [("/api/v1/docket/", None), ("/api/v1/meetings/", None), ("/api/v1/reports/", None)],
}


class ApiClient(Visitor):
    """A program with a bearer token (the roles take turns, so no one account nears DRF's 600 a minute)."""

    weight = 10
    wait_time = between(0.5, 2)

    def on_start(self):
        self.proxy_headers(TOWN_HALL)
        self.role = next(_api_roles)
        self.client.headers["Authorization"] = "Bearer " + random.choice(DATA["tokens"][self.role])

    @task(8)
    def read(self):
        template, name = random.choice(API_READS[self.role])
        path = template.format(**{key: random.choice(ids) for key, ids in IDS.items()})
        self.get(path, name=f"GET {name or path}")

    @task(1)
    def me(self):
        self.get("/api/v1/me/")


class PublicVisitor(Visitor):
    """A resident on the public pages, in one of the app's languages, from an address of her own."""

    weight = 16
    wait_time = between(1, 4)

    def on_start(self):
        self.proxy_headers(next(_addresses))
        self.client.headers["Accept-Language"] = random.choice(LANGUAGES)
        self.sent = 0

    def complaint_form(self):
        """GET the form: the CSRF cookie, and the token from its hidden input."""
        response = self.get("/complaints/new/")
        match = CSRF_INPUT.search(response.text or "")
        return match.group(1) if match else None

    @task(4)
    def form(self):
        self.complaint_form()

    @task(3)
    def docket(self):
        self.get("/public/docket/")

    @task(3)
    def figures(self):
        self.get("/public/figures/")

    @task(1)
    def status_page(self):
        self.get("/complaints/status/")

    @task(1)
    def file_on_the_page(self):
        if self.sent >= SUBMISSION_LIMIT:
            return
        token = self.complaint_form()
        if token is None:
            return
        body = {
            "csrfmiddlewaretoken": token,
            "narrative": random.choice(NARRATIVES),
            "what_happened": random.sample(["2(a)", "2(b)", "2(d)", "2(e)"], k=2),
            "department": "police",
            "about": "officers",
            "incident_place": "Main Street",
            "entry_reference": "",  # the honeypot, left empty as a person leaves it
        }
        headers = {"Origin": self.origin, "Referer": self.origin + "/complaints/new/"}
        response = expect(self.client, "POST", "/complaints/new/", status=(302,), data=body, headers=headers)
        if response.status_code != 302:
            return
        self.sent += 1
        with self.client.get(
            "/complaints/new/done/", name="GET /complaints/new/done/", catch_response=True, allow_redirects=False
        ) as done:
            if done.status_code != 200 or not TRACKING_CODE.search(done.text):
                done.failure(f"{done.status_code}: no tracking code on the confirmation")

    @task(1)
    def file_through_the_api(self):
        if self.sent >= SUBMISSION_LIMIT:
            return
        body = {
            "narrative": random.choice(NARRATIVES),
            "department": "schools",
            "department_name": "Harborview High School",
            "what_happened": ["2(l)"],
        }
        response = expect(self.client, "POST", "/api/v1/public-complaints/", status=(201,), json=body)
        if response.status_code == 201:
            self.sent += 1


class RepeatSender(Visitor):
    """One address sending complaint after complaint through the API: five are taken, the sixth within the hour
    is refused with 429 (expected, so not an error). Then it moves to a new address and starts again."""

    fixed_count = 1
    wait_time = between(5, 10)

    @task
    def round_of_six(self):
        self.proxy_headers(next(_addresses))
        body = {"narrative": "Filed again and again from one connection.", "department": "police", "about": "chief"}
        for _ in range(SUBMISSION_LIMIT):
            expect(
                self.client,
                "POST",
                "/api/v1/public-complaints/",
                name="POST /api/v1/public-complaints/ (1-5 of a round)",
                status=(201,),
                json=body,
            )
        expect(
            self.client,
            "POST",
            "/api/v1/public-complaints/",
            name="POST /api/v1/public-complaints/ (6th in the hour: 429 expected)",
            status=(429,),
            json=body,
        )
