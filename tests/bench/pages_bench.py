"""`make bench`: every screen's server time and queries at three sizes of town, beside Django's admin changelist
of the same records and the framework's floor. Prints one table and writes it as JSON; asserts nothing (the query
counts are pinned in the tests; the budgets are read off the table).

    DEBUG=true .venv/bin/python tests/bench/pages_bench.py [LARGE_FACTOR]

It builds a throwaway database (SQLite in a temporary folder, or BENCH_DATABASE_URL, e.g. a PostgreSQL database
it may empty), seeds the demo town, then grows it with `seed_bulk` to ten times its detainers and to LARGE_FACTOR
units of records spread over ten years (a unit is about the demo's size; the default large size holds over 100,000
detainers with their bookings and persons, and about 25,000 complaints). At each size it requests every page
through Django's full stack in this process (middleware, session, templates; no network), as the role that uses
it: a warm-up, then REPEAT timed requests; server time is the median and the 95th percentile, queries those of
one request.
"""

import io
import itertools
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
OUT = Path(os.environ.get("BENCH_JSON", ROOT / "bench-pages.json"))


def setup_django() -> None:
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()  # the signed PDFs: never a real media folder
    os.environ.update(DEBUG="true", SECURE_COOKIES="false", SECURE_SSL_REDIRECT="false")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per signed-in client is noise here


class Page:
    """One screen: who opens it and how; `admin` names the changelist of the same records, if any, and
    `admin_query` the same filter in the changelist's own terms (else its search box gets the page's `q`)."""

    def __init__(
        self, name, user, url, *, method="get", data=None, admin=None, admin_query="", repeat=None, public=False
    ):
        self.name, self.user, self.url, self.method, self.data = name, user, url, method, data
        self.admin, self.repeat, self.public = admin, repeat or REPEAT, public
        self.admin_query = admin_query or (f"q={self.url.partition('q=')[2]}" if "q=" in self.url else "")


def pages() -> list[Page]:
    """Every list, detail page, dashboard, the figures, the PDFs and the public pages, with records picked from
    the data as it is at this size (the newest of each kind: what a clerk opens most)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from certifications.models import UVisaRequest
    from complaints.selectors import complaints_for
    from detainers.models import Custody, Detainer, InformationRequest, Person
    from reports.models import Report
    from traffic.models import UnlicensedDriverStop
    from welcoming.models import Finding

    detainer = Detainer.objects.order_by("-lodged_at", "-pk").first()
    custody = Custody.objects.order_by("-booked_at", "-pk").first()
    person = Person.objects.order_by("-pk").first()
    ia = get_user_model().objects.get(username="ia")
    complaint = complaints_for(user=ia).order_by("-received_at", "-pk").first()
    finding = Finding.objects.order_by("-opened_at", "-pk").first()
    request = UVisaRequest.objects.order_by("-received_on", "-pk").first()
    stop = UnlicensedDriverStop.objects.order_by("-stopped_at", "-pk").first()
    information = InformationRequest.objects.order_by("-received_at", "-pk").first()
    report = Report.objects.order_by("-period_start", "-pk").first()
    surname = person.full_name.split()[-1]
    # A complainant's surname internal affairs can find at every size (a search with no hit is not the same page).
    complainant = complaint.complainant_name or next(
        name for name in complaints_for(user=ia).exclude(complainant_name="").values_list("complainant_name", flat=True)
    )
    complainant = complainant.split()[-1]
    window = f"start={report.period_start}&end={report.period_end}"
    # Six months of the newest detainer's reason, up to the day it was lodged: never an empty page.
    reason, lodged = detainer.reasons.first().code, timezone.localdate(detainer.lodged_at)
    return [
        Page("floor: a bare view, a trivial template", "clerk", "/bench-floor/"),
        Page("shell: the app's empty page, signed in", "clerk", "/bench-shell/"),
        Page("dashboard, records clerk", "clerk", "/"),
        Page("dashboard, internal affairs", "ia", "/"),
        Page("dashboard, chief", "chief", "/"),
        Page("dashboard, coordinator", "coordinator", "/"),
        Page("dashboard, municipal clerk", "townclerk", "/"),
        Page("release board", "clerk", "/police/board/"),
        Page("list: detainers", "clerk", "/police/detainers/", admin="detainers/detainer"),
        Page("list: detainers, name search", "clerk", f"/police/detainers/?q={surname}", admin="detainers/detainer"),
        Page(
            "list: detainers, a reason and a period",
            "clerk",
            f"/police/detainers/?reason={reason}&lodged_from={lodged - timedelta(days=182)}&lodged_to={lodged}",
            admin="detainers/detainer",
            admin_query=f"reasons__code={reason}&lodged_at__date__gte={lodged - timedelta(days=182)}"
            f"&lodged_at__date__lte={lodged}",
        ),
        Page("list: custody records", "clerk", "/police/custody/", admin="detainers/custody"),
        Page("list: custody records, name search", "clerk", f"/police/custody/?q={surname}", admin="detainers/custody"),
        Page(
            "list: custody records, in custody now",
            "clerk",
            "/police/custody/?held=1",
            admin="detainers/custody",
            admin_query="released_at__isnull=True&transferred_to_ice_at__isnull=True",
        ),
        Page("search: a surname, as the clerk", "clerk", f"/police/search/?q={surname}"),
        Page("search: a surname, as internal affairs (with complaints)", "ia", f"/police/search/?q={surname}"),
        Page("list: people", "clerk", "/police/people/", admin="detainers/person"),
        Page("list: people, name search", "clerk", f"/police/people/?q={surname}", admin="detainers/person"),
        Page(
            "list: information requests",
            "clerk",
            "/police/information-requests/",
            admin="detainers/informationrequest",
        ),
        Page("list: reimbursements", "clerk", "/police/reimbursements/", admin="detainers/reimbursement"),
        Page("list: findings", "ia", "/findings/", admin="welcoming/finding"),
        Page(
            "list: findings, violations of 2(d), any status",
            "ia",
            "/findings/?status=&severity=violation&section=2(d)",
            admin="welcoming/finding",
            admin_query="severity__exact=violation&section__exact=2(d)",
        ),
        Page(
            "list: complaints, open (the queue)",
            "ia",
            "/complaints/",
            admin="complaints/complaint",
            admin_query="closed_at__isnull=True",  # open: not closed
        ),
        Page("list: complaints, all", "ia", "/complaints/?queue=all", admin="complaints/complaint"),
        Page("list: complaints, search", "ia", f"/complaints/?queue=all&q={complainant}", admin="complaints/complaint"),
        Page(
            "list: complaints, overdue",
            "ia",
            "/complaints/?queue=overdue",
            admin="complaints/complaint",
            admin_query=f"closed_at__isnull=True&investigation_due_on__lt={timezone.localdate()}",  # its nearest
        ),
        Page("list: U visa requests", "chief", "/u-visa/", admin="certifications/uvisarequest"),
        Page("list: traffic stops", "clerk", "/traffic/", admin="traffic/unlicenseddriverstop"),
        Page(
            "list: traffic stops, with open findings",
            "clerk",
            "/traffic/?with_findings=on",
            admin="traffic/unlicenseddriverstop",
        ),
        Page("list: docket", "townclerk", "/reports/docket/"),
        Page("list: meetings", "townclerk", "/reports/meetings/"),
        Page("list: notifications", "chief", "/notifications/"),
        Page("detail: detainer", "clerk", detainer.get_absolute_url()),
        Page("detail: custody record", "clerk", custody.get_absolute_url()),
        Page("detail: person", "clerk", person.get_absolute_url()),
        Page("detail: complaint", "ia", complaint.get_absolute_url()),
        Page("detail: finding", "ia", reverse("welcoming:finding-detail", args=[finding.pk])),
        Page("detail: U visa request", "chief", request.get_absolute_url()),
        Page("detail: traffic stop", "clerk", stop.get_absolute_url()),
        Page("figures page, the chief's", "chief", f"/reports/figures/?{window}"),
        Page("figures endpoint (API, section 8 JSON)", "chief", f"/api/v1/reports/figures/?{window}"),
        Page("PDF: information request letter", "clerk", f"{information.get_absolute_url()}letter.pdf", repeat=5),
        Page("public: docket", None, "/public/docket/", public=True),
        Page("public: figures", None, "/public/figures/", public=True),
        Page("public: complaint form", None, "/complaints/new/", public=True),
        Page(
            "public: complaint submission",
            None,
            "/complaints/new/",
            method="post",
            public=True,
            data={
                "narrative": "At a traffic stop the officer asked if I had papers.",
                "what_happened": ["2(b)"],
                "department": "police",
                "about": "officers",
            },
        ),
    ]


def clients():
    """A signed-in client for each demo role (password and one-time code passed), and the admin changelist's user."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.conftest import sign_in_verified

    admin = get_user_model().objects.get(username="admin")
    if not admin.is_superuser:
        admin.is_superuser = True  # the benchmark's own admin site: every model, as Django's admin shows it
        admin.save(update_fields=["is_superuser"])
    users = get_user_model().objects.filter(username__in=["clerk", "ia", "chief", "coordinator", "townclerk", "admin"])
    return {user.username: sign_in_verified(Client(), user) for user in users}


SIGNING = "PDF: the semiannual report, signed"
SCHEDULER = "scheduler: one findings pass"
DRIFT = "scheduler: every signed report's drift"
ADDRESSES = itertools.count(1)


def fresh_address(_n) -> str:
    n = next(ADDRESSES)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def time_requests(client, page: Page, *, address_of=None) -> dict:
    """Median and 95th percentile of the server time, and the queries of one request; every answer must be the
    page (200), or for the complaint, the redirect to its receipt page: a sign-in page timed instead would lie."""
    expected = (302, "/complaints/new/done/") if page.method == "post" else (200, None)

    def send(n):
        extra = {"REMOTE_ADDR": address_of(n)} if address_of else {}
        answer = client.post(page.url, page.data, **extra) if page.method == "post" else client.get(page.url, **extra)
        if (answer.status_code, answer.get("Location")) != expected:
            raise SystemExit(f"{page.name}: {page.url} answered {answer.status_code} {answer.get('Location', '')}")
        return answer

    send(0)  # warm-up: compiled templates, cached profile
    return timed(send, page.repeat)


def timed(call, repeat: int) -> dict:
    """`call(n)` for n = 1…repeat: the median and 95th percentile of its time (of 3 to 5 runs, the slowest), then
    the queries of one more call, counted apart (counting slows each query a little)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for n in range(1, repeat + 1):
        started = time.perf_counter()
        call(n)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        call(repeat + 1)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18] if len(timings) > 1 else timings[0]
    return {"median_ms": round(statistics.median(timings), 1), "p95_ms": round(p95, 1), "queries": len(queries)}


def sign_the_report() -> dict:
    """The chief's signature of the latest whole period, as a correction each time: the figures, the record ids,
    the PDF rendered and stored (the step the signing page runs once the one-time code is checked)."""
    from django.contrib.auth import get_user_model

    from reports.models import Report
    from reports.services import report_freeze

    chief = get_user_model().objects.get(username="chief")
    latest = Report.objects.order_by("-period_number").values_list("period_number", flat=True).first()
    return timed(lambda n: report_freeze(period_number=latest, by=chief, correction_reason=f"Benchmark {n}"), 3)


def scheduler_pass() -> dict:
    """The scheduler's findings pass over the records time-based rules may fire on and those with unresolved
    findings; after the first pass nothing changes, so what is timed is the reading and the rules."""
    from django.utils import timezone

    from welcoming.acting import system_actor
    from welcoming.findings import findings_evaluate_all
    from welcoming.roles import SystemActor

    scheduler = system_actor(SystemActor.SCHEDULER)
    return timed(lambda n: findings_evaluate_all(by=scheduler, now=timezone.now()), 2)


def drift_pass() -> dict:
    """The scheduler's check of every standing report against its records: the live ids and sums per report,
    compared with the frozen ones, and the history of whatever differs."""
    from reports.services import reports_drift_check
    from welcoming.acting import system_actor
    from welcoming.roles import SystemActor

    scheduler = system_actor(SystemActor.SCHEDULER)
    return timed(lambda n: reports_drift_check(by=scheduler), 2)


def measure(size_label: str) -> dict:
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False  # measured as served: no query log (the templates are built without debug: settings.py)
    signed_in, public = clients(), Client()
    rows, admin_cache = {}, {}
    for page in pages():
        if page.public:
            # Each submission from an address of its own: the per-address limit is not what is measured.
            result = time_requests(public, page, address_of=fresh_address if page.method == "post" else None)
        else:
            result = time_requests(signed_in[page.user], page)
        if page.admin:  # the same search or filter, if any, in the changelist's own terms
            admin_url = f"/bench-admin/{page.admin}/" + (f"?{page.admin_query}" if page.admin_query else "")
            if admin_url not in admin_cache:
                admin_cache[admin_url] = time_requests(
                    signed_in["admin"], Page(f"admin {admin_url}", "admin", admin_url)
                )
            result["admin"] = admin_cache[admin_url]
        rows[page.name] = result
        report(size_label, page.name, result)
    rows[SIGNING] = sign_the_report()
    report(size_label, SIGNING, rows[SIGNING])
    rows[SCHEDULER] = scheduler_pass()
    report(size_label, SCHEDULER, rows[SCHEDULER])
    rows[DRIFT] = drift_pass()
    report(size_label, DRIFT, rows[DRIFT])
    settings.DEBUG = True
    return rows


def report(size_label: str, name: str, result: dict) -> None:
    print(
        f"  {size_label:>7}  {name:<44} {result['median_ms']:8.1f} ms  p95 {result['p95_ms']:8.1f}  "
        f"{result['queries']:3d} queries",
        flush=True,
    )


def table(results: dict) -> str:
    """page × size: median ms, queries, ratio to the admin changelist of the same records, ratio to the floor."""
    sizes = list(results)
    floor_name = next(iter(results[sizes[0]]))
    head = f"{'page':<44}" + "".join(f" | {size:>34}" for size in sizes)
    sub = f"{'':<44}" + "".join(f" | {'ms':>8} {'p95':>7} {'q':>3} {'×admin':>6} {'×floor':>6}" for _ in sizes)
    lines = [head, sub, "-" * len(sub)]
    for name in results[sizes[0]]:
        cells = []
        for size in sizes:
            row, floor = results[size][name], results[size][floor_name]["median_ms"]
            admin = f"{row['median_ms'] / row['admin']['median_ms']:6.2f}" if "admin" in row else f"{'':>6}"
            cells.append(
                f" | {row['median_ms']:8.1f} {row['p95_ms']:7.1f} {row['queries']:3d} {admin} "
                f"{row['median_ms'] / floor:6.1f}"
            )
        lines.append(f"{name:<44}" + "".join(cells))
    return "\n".join(lines)


def main(large: int) -> None:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from complaints.models import Complaint
    from detainers.models import Detainer, Person
    from tests.bench.seed_bulk import seed_bulk

    if large <= 25:
        raise SystemExit("The large size must be more than 25 units (the second size takes up to 25).")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if Person.objects.exists():
        raise SystemExit("The benchmark's database must be empty (BENCH_DATABASE_URL): it seeds its own town.")
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}", flush=True)
    began = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    call_command("evaluate_findings", stdout=io.StringIO())  # the bulk seeder runs the rules on what it inserts
    results, grown = {}, 0
    demo_detainers = Detainer.objects.count()
    # The demo town alone; then ten units, and a few more until it holds ten times the demo's detainers (a unit
    # draws about as many as the demo holds; each size of batch draws its own, so none is a copy); then the large
    # town.
    for label, factor in [("demo", 0), ("10×", None), ("large", large)]:
        started = time.perf_counter()
        for extra in (10, 1, 2, 3, 4, 5) if factor is None else ():
            if Detainer.objects.count() >= 10 * demo_detainers:
                break
            seed_bulk(factor=extra, years=10)
            grown += extra
        if factor and factor > grown:
            seed_bulk(factor=factor - grown, years=10)
            grown = factor
        with connection.cursor() as cursor:
            # Statistics for the planner (and on PostgreSQL the visibility map that index-only scans read), as a
            # database that lived would have them from its autovacuum.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(
            f"{label}: {Detainer.objects.count():,} detainers, {Complaint.objects.count():,} complaints "
            f"(seeded in {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        results[label] = measure(label)
    print()
    print(table(results))
    OUT.write_text(
        json.dumps({"database": settings.DATABASES["default"]["ENGINE"], "repeat": REPEAT, "sizes": results}, indent=1)
    )
    print(f"\nWritten to {OUT} in {time.perf_counter() - began:.0f} s.")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 6200)
