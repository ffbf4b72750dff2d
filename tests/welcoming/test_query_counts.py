"""Every screen `make bench` times takes the same number of queries in a small town as in one three times its
size: nothing is fetched row by row. The counts are pinned, so a new per-row query fails here before it shows in
the benchmark.

The pages are the benchmark's own list (tests/bench/pages_bench.py), opened as the role that uses each; the
benchmark-only yardsticks (the admin changelists, the floor) are left out.
"""

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bench import pages_bench
from tests.bench.seed_bulk import seed_bulk
from tests.conftest import scheduler_actor
from welcoming.findings import findings_evaluate_all

# Queries per request, at every size. Each page is opened twice and the second counted: a reload, so a page that
# shows people checks the audit log for the same look (1) and writes nothing. (The benchmark counts two more
# wherever a view writes the audit log: the BEGIN and COMMIT of its transaction, which here runs inside the
# test's own; measured on SQLite.)
PINNED = {
    "dashboard, records clerk": 15,
    "dashboard, internal affairs": 32,
    "dashboard, chief": 40,
    "dashboard, coordinator": 15,
    "dashboard, municipal clerk": 17,
    "release board": 12,
    "list: detainers": 12,
    "list: detainers, name search": 12,
    "list: detainers, a reason and a period": 12,
    "list: custody records": 11,
    "list: custody records, name search": 11,
    "list: custody records, in custody now": 11,
    # The shell (8), a count and the first five of each kind (2 each: five kinds, six with complaints), the check
    # for the same look in the audit log (1).
    "search: a surname, as the clerk": 19,
    "search: a surname, as internal affairs (with complaints)": 21,
    "list: people": 11,
    "list: people, name search": 11,
    "list: information requests": 12,
    "list: reimbursements": 11,
    "list: findings": 12,
    "list: findings, violations of 2(d), any status": 12,
    "list: complaints, open (the queue)": 12,
    "list: complaints, all": 12,
    "list: complaints, search": 12,
    "list: complaints, overdue": 12,
    "list: U visa requests": 11,
    "list: traffic stops": 11,
    "list: traffic stops, with open findings": 11,
    "list: docket": 10,
    "list: meetings": 13,
    "list: notifications": 10,
    "detail: detainer": 17,
    "detail: custody record": 20,
    "detail: person": 18,
    "detail: complaint": 20,
    "detail: finding": 15,
    "detail: U visa request": 15,
    "detail: traffic stop": 15,
    "figures page, the chief's": 35,
    "figures endpoint (API, section 8 JSON)": 39,
    "PDF: information request letter": 14,
    "public: docket": 3,
    "public: figures": 3,
    "public: complaint form": 2,
    "public: complaint submission": 39,
}


# The scheduler's findings pass with nothing to change, at both sizes: per kind of record, the ids to look at,
# then per batch of records the records, what their rules need precomputed and their findings, each in one query.
SCHEDULER_PASS = 50


def pass_queries(now) -> int:
    # The first pass may still open or close findings; the second changes nothing. One actor for both, as
    # run_periodic has: its capabilities are read once.
    scheduler = scheduler_actor()
    findings_evaluate_all(by=scheduler, now=now)
    with CaptureQueriesContext(connection) as queries:
        findings_evaluate_all(by=scheduler, now=now)
    return len(queries)


def counts(screens, signed_in) -> dict[str, int]:
    from django.test import Client

    public, found = Client(), {}
    for page in screens:
        client = public if page.public else signed_in[page.user]
        send = client.post if page.method == "post" else client.get
        extra = {"REMOTE_ADDR": pages_bench.fresh_address(0)} if page.method == "post" else {}
        send(page.url, page.data, **extra) if page.data else send(page.url, **extra)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            answer = send(page.url, page.data, **extra) if page.data else send(page.url, **extra)
        assert answer.status_code in (200, 302), (page.name, page.url, answer.status_code)
        found[page.name] = len(queries)
    return found


def test_no_screen_takes_more_queries_in_a_bigger_town(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True  # the seeders refuse to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    call_command("evaluate_findings", stdout=io.StringIO())
    seed_bulk(factor=1, years=10)
    settings.DEBUG = False
    # The same records at both sizes: a page's count may differ with its record's state, not with the town's size.
    screens = [page for page in pages_bench.pages() if not page.url.startswith("/bench-")]
    signed_in = pages_bench.clients()
    small = counts(screens, signed_in)
    now = timezone.now()
    small_pass = pass_queries(now)
    settings.DEBUG = True
    seed_bulk(factor=2, years=10)
    settings.DEBUG = False
    bigger = counts(screens, signed_in)
    assert bigger == small == PINNED
    assert pass_queries(now) == small_pass == SCHEDULER_PASS
