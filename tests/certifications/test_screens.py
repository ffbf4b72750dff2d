"""The records clerk's and the certifying officials' screens, the API, the letter, the notices and the report's
supplement lines, as the staff use them."""

import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications import services
from certifications.models import UVisaRequest
from tests.certifications.conftest import at
from tests.conftest import scheduler_actor
from welcoming.findings import findings_reconcile
from welcoming.letters import copied_run
from welcoming.models import Notification
from welcoming.periods import window
from welcoming.roles import Role
from welcoming.supplement import compute

JSON = "application/json"  # the API takes JSON bodies only


def test_the_clerk_logs_a_request_in_a_minute_and_the_official_decides_it(staff, victim, client_of, tmp_path):
    clerk = client_of(staff[Role.RECORDS_CLERK])
    today = timezone.localdate()
    response = clerk.post(
        reverse("certifications:new"),
        {
            "received_on": today.isoformat(),
            "requester_kind": "attorney",
            "requester_name": "Harborview Legal Aid",
            "language": "en",
            "victim": victim.pk,
            "qualifying_crime": "domestic_violence",
            "helpfulness": "has_been",
            "expedited": "yes",
            "expedite_reason": "The victim is in removal proceedings.",
        },
        follow=True,
    )
    request = UVisaRequest.objects.get()
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    assert "A decision is due by" in response.content.decode() and request.due_on == today + timedelta(days=14)
    official = client_of(staff[Role.CERTIFYING_OFFICIAL])
    queue = official.get(reverse("certifications:queue")).content.decode()
    assert "Lucía Morales" in queue and "Expedited" in queue
    refused = official.post(
        reverse("certifications:decide", args=[request.pk]), {"decision": "declined", "decided_on": today.isoformat()}
    )
    assert "A decline needs its reason" in refused.content.decode()
    official.post(
        reverse("certifications:decide", args=[request.pk]),
        {"decision": "certified", "decided_on": today.isoformat()},
    )
    request.refresh_from_db()
    assert request.decision == "certified"
    letter = official.get(reverse("certifications:letter", args=[request.pk]))
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter.content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    assert "has certified the request" in text and "Lucía Morales" in text and "Harborview Legal Aid" in text
    assert "Nothing waits for a decision." in official.get(reverse("certifications:queue")).content.decode()


def test_the_clerk_may_not_decide_and_the_official_may_not_log(staff, log, client_of):
    request = log(timezone.localdate())
    assert (
        client_of(staff[Role.RECORDS_CLERK]).get(reverse("certifications:decide", args=[request.pk])).status_code == 403
    )
    assert client_of(staff[Role.CERTIFYING_OFFICIAL]).get(reverse("certifications:new")).status_code == 403
    assert client_of(staff[Role.MUNICIPAL_CLERK]).get(reverse("certifications:list")).status_code == 403


def test_the_api_logs_and_decides_with_the_same_rules(staff, victim, client_of):
    clerk = client_of(staff[Role.RECORDS_CLERK])
    today = timezone.localdate().isoformat()
    body = {
        "received_on": today,
        "requester_kind": "advocate",
        "requester_name": "Safe Harbor",
        "victim": victim.pk,
        "qualifying_crime": "other",
        "helpfulness": "is_being",
        "expedited": False,
    }
    refused = clerk.post("/api/v1/u-visa-requests/", body, content_type=JSON)
    assert refused.status_code == 422 and "crime_other" in refused.json()
    created = clerk.post("/api/v1/u-visa-requests/", {**body, "crime_other": "Coercion"}, content_type=JSON)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    url = f"/api/v1/u-visa-requests/{pk}/decide/"
    assert clerk.post(url, {"decision": "certified", "decided_on": today}, content_type=JSON).status_code == 403
    official = client_of(staff[Role.CERTIFYING_OFFICIAL])
    before = (timezone.localdate() - timedelta(days=1)).isoformat()
    refused = official.post(url, {"decision": "certified", "decided_on": before}, content_type=JSON)
    assert refused.status_code == 422 and "decided_on" in refused.json()
    refused = official.post(url, {"decision": "declined", "decided_on": today}, content_type=JSON)
    assert refused.status_code == 422 and "reason" in refused.json()
    decided = official.post(
        url, {"decision": "declined", "decided_on": today, "reason": "Not similar."}, content_type=JSON
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "declined"
    assert decided.json()["certifying_official"] == staff[Role.CERTIFYING_OFFICIAL].username


def test_officials_are_told_once_when_a_request_nears_its_due_date(staff, log):
    today = timezone.localdate()
    log(today - timedelta(days=80))  # due in 10 days
    log(today - timedelta(days=10))  # due in 80 days
    assert services.u_visa_due_soon_notify(by=scheduler_actor()) == 1
    assert services.u_visa_due_soon_notify(by=scheduler_actor()) == 0
    told = set(Notification.objects.filter(event="u_visa_due_soon").values_list("recipient__username", flat=True))
    assert told == {staff[Role.POLICE_CHIEF].username, staff[Role.CERTIFYING_OFFICIAL].username}


def test_the_supplement_counts_a_period_worked_out_by_hand(staff, log):
    """Period March 1 – August 31, 2026. Received in it: A (Mar 2), B (Apr 1), C (Jul 1), D (Aug 20); E came
    before (Feb 1). Decided in it: A certified after 20 days, B declined after 40, E withdrawn after 60 (Apr 2).
    Pending at the end: C (due Sep 29, not yet late) and D. None overdue. Median days to decision, of what was
    decided (the withdrawal was the requester's act): (20 + 40) / 2 = 30."""
    chief = staff[Role.POLICE_CHIEF]

    def decide(request, decision, days):
        day = request.received_on + timedelta(days=days)
        reason = "The victim refused to help." if decision == "declined" else ""
        services.u_visa_decide(request=request, by=chief, decision=decision, decided_on=day, reason=reason, now=at(day))

    a, b = log(date(2026, 3, 2)), log(date(2026, 4, 1), helpfulness="refused")
    log(date(2026, 7, 1)), log(date(2026, 8, 20))
    e = log(date(2026, 2, 1))
    decide(a, "certified", 20)
    decide(b, "declined", 40)
    decide(e, "withdrawn", 60)
    section = next(
        s
        for s in compute(window(date(2026, 3, 1), date(2026, 8, 31), zone="America/New_York"))
        if s["key"] == "u_visa_requests"
    )
    assert {line["key"]: line["value"] for line in section["lines"]} == {
        "received": 4,
        "certified": 1,
        "declined": 1,
        "withdrawn": 1,
        "pending_at_end": 2,
        "overdue_at_end": 0,
        "median_days_to_decision": 30,
    }


@pytest.mark.parametrize(
    ("role", "url", "queries"),
    [
        (Role.RECORDS_CLERK, "/u-visa/", 14),
        (Role.CERTIFYING_OFFICIAL, "/u-visa/queue/", 14),
        (Role.RECORDS_CLERK, "/api/v1/u-visa-requests/", 19),
    ],
)
def test_the_lists_take_the_same_number_of_queries_at_two_sizes(
    role, url, queries, staff, log, client_of, django_assert_num_queries
):
    # Exact, after a first request warmed the session: sign-in and permissions (5), a count and a page (2), the
    # profile (2) and the unread notifications (1); the API: its rate limit instead of the page's last three; both:
    # the look in the audit log (4).
    client = client_of(staff[role])
    client.get(url)
    today = timezone.localdate()
    for size in (2, 12):
        for n in range(size):
            log(today - timedelta(days=n))
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_a_certifying_official_reads_the_request_but_not_its_findings(staff, log, client_of):
    request = log(timezone.localdate() - timedelta(days=85))  # due in five days: a 2(i) warning
    findings_reconcile(record=request, now=timezone.now())  # as the scheduler checks it today
    official = client_of(staff[Role.CERTIFYING_OFFICIAL]).get(request.get_absolute_url()).content.decode()
    chief = client_of(staff[Role.POLICE_CHIEF]).get(request.get_absolute_url()).content.decode()
    assert "must be decided by" in chief
    assert "Lucía Morales" in official and "must be decided by" not in official and "Findings" not in official


def test_a_decline_to_a_spanish_requester_is_written_to_her_in_spanish(staff, log, client_of, tmp_path):
    """The decision letter is a letter to a member of the public: its fixed parts in her language, and the reason
    typed for it in her language, never the official's English pasted in."""
    request = log(timezone.localdate(), language="es")
    official = client_of(staff[Role.CERTIFYING_OFFICIAL])
    decide = reverse("certifications:decide", args=[request.pk])
    english = "The victim stopped answering the detective's calls about the case."
    form = official.get(decide).content.decode()
    assert "Reason, as the letter states it — in Spanish" in form
    base = {"decision": "declined", "decided_on": timezone.localdate().isoformat(), "reason": english}
    missing = official.post(decide, base).content.decode()
    assert "The requester reads Spanish: write the reason in it, for the letter." in missing
    pasted = official.post(decide, {**base, "letter_reason": f"Motivo: {english}"}).content.decode()
    assert "is copied from the staff&#x27;s English text: write it in Spanish" in pasted
    request.refresh_from_db()
    assert request.decision == "pending"  # nothing saved
    spanish = "La víctima dejó de responder a las llamadas del detective sobre el caso."
    assert official.post(decide, {**base, "letter_reason": spanish}).status_code == 302
    letter = official.get(reverse("certifications:letter", args=[request.pk]))
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter.content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    for words in [spanish, "ha decidido no certificar la solicitud", "Puede presentar información nueva", "Página 1"]:
        assert words in text, words
    assert copied_run(text, [english]) == "" and "declined" not in text
