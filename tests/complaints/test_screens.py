"""The coordinator's and internal affairs' screens, the API and the letters, as the staff use them."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from welcoming.roles import Role


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


INTAKE = {
    "received_at": "",
    "channel": "phone",
    "language": "es",
    "complainant_name": "Luis Ortega",
    "complainant_contact": "luis@example.org",
    "narrative": "The release time was given to agents waiting outside.",
    "department": "police",
    "about": "officers",
    "clauses": ["2(e)"],
    "alleges_bias": "on",
    "person_name": "Dana Booker",
    "person_badge": "377",
}


def test_the_coordinator_takes_in_a_complaint_and_reads_the_pin_once(staff, client_of):
    client = client_of(staff[Role.COMPLAINTS_COORDINATOR])
    assert client.get(reverse("complaints:intake")).status_code == 200
    data = {**INTAKE, "received_at": _local(timezone.now() - timedelta(minutes=30))}
    response = client.post(reverse("complaints:intake"), data, follow=True)
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == complaint.get_absolute_url()
    assert f"tracking code {complaint.tracking_code}" in page and "PIN" in page
    assert (complaint.language, complaint.clauses, complaint.alleges_bias) == ("es", ["2(e)"], True)
    assert str(complaint.people.get()) == "Dana Booker (badge 377)"
    assert "Forwarding to the POST Commission" in page  # its deadline is on the page
    again = client.get(complaint.get_absolute_url()).content.decode()
    assert "PIN" not in again.replace("PIN you were given", "")  # shown once


def test_intake_with_bad_input_keeps_what_was_typed_and_saves_nothing(staff, client_of):
    client = client_of(staff[Role.COMPLAINTS_COORDINATOR])
    data = {**INTAKE, "received_at": _local(timezone.now()), "narrative": "", "anonymous": "on"}
    response = client.post(reverse("complaints:intake"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page  # the narrative
    assert "luis@example.org" in page and "Dana Booker" in page
    assert not Complaint.objects.exists()
    data["narrative"] = "Now with a narrative."
    response = client.post(reverse("complaints:intake"), data)
    assert "An anonymous complaint has no name" in response.content.decode()
    assert not Complaint.objects.exists()


def test_internal_affairs_intake_goes_to_the_coordinator_first(staff, client_of):
    client = client_of(staff[Role.INTERNAL_AFFAIRS])
    data = {**INTAKE, "received_at": _local(timezone.now())}
    response = client.post(reverse("complaints:intake"), data)
    assert response["Location"] == reverse("complaints:queue")
    assert Complaint.objects.get().stage == Complaint.Stage.RECEIVED


def test_triage_investigation_and_closing_through_the_pages(staff, take_in, client_of, toy_rule, municipality):
    from welcoming.findings import findings_reconcile
    from welcoming.models import LocalHoliday

    complaint = take_in(alleges_bias=True)
    finding = findings_reconcile(
        record=LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2),
        now=timezone.now(),
    ).opened[0]
    from detainers import services as detainer_services

    clerk = staff[Role.RECORDS_CLERK]
    person = detainer_services.person_create(full_name="Maria Example", by=clerk)
    custody = detainer_services.custody_create(
        person=person, booked_at=timezone.now() - timedelta(days=2), basis="sentence", by=clerk
    )
    coordinator = client_of(staff[Role.COMPLAINTS_COORDINATOR])
    queue = coordinator.get(reverse("complaints:queue")).content.decode()
    assert complaint.tracking_code in queue  # awaiting triage, by default
    url = lambda name, *args: reverse(f"complaints:{name}", args=[complaint.pk, *args])  # noqa: E731
    response = coordinator.post(url("triage"), {"department": "police", "about": "officers", "alleges_bias": "on"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage == "investigating"
    ia = client_of(staff[Role.INTERNAL_AFFAIRS])
    now = _local(timezone.now())
    steps = [
        (url("letter-send", "acknowledgement"), {"delivery": "mail", "sent_at": now}),
        (url("assign"), {"investigator": staff[Role.INTERNAL_AFFAIRS].pk}),
        (url("post-forward"), {"forwarded_at": now, "reference": "POST-1"}),
        (url("person-new"), {"name": "Pat Moreno", "badge_number": "152", "post_certification_number": "MA-1"}),
        (url("link-finding"), {"finding": finding.pk}),
        (url("link-record"), {"record_type": "detainers.custody", "record_id": custody.pk}),
    ]
    for address, data in steps:
        response = ia.post(address, data)
        assert response.status_code == 302, (address, response.content.decode()[:3000])
    person = complaint.people.get()
    assert (
        ia.post(url("allegation-new"), {"person": person.pk, "clause": "2(b)", "summary": "Asked"}).status_code == 302
    )
    allegation = complaint.allegations.get()
    refused = ia.post(url("allegation-dispose", allegation.pk), {"disposition": "sustained"})
    assert "A sustained allegation needs the action taken" in refused.content.decode()
    data = {"disposition": "sustained", "action_taken": "Retrained"}
    assert ia.post(url("allegation-dispose", allegation.pk), data).status_code == 302
    assert ia.post(url("close"), {"outcome": "Sustained; retrained."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage == "closed" and complaint.investigator == staff[Role.INTERNAL_AFFAIRS]
    page = ia.get(complaint.get_absolute_url()).content.decode()
    for shown in ("Pat Moreno (badge 152)", "Sustained", "Retrained", "POST-1", "Custody #", "waiting for its text"):
        assert shown in page
    # The chief reads it, and is offered no step.
    chief_page = client_of(staff[Role.POLICE_CHIEF]).get(complaint.get_absolute_url()).content.decode()
    assert "Sustained" in chief_page and "Next steps" not in chief_page


def test_a_link_to_a_record_that_does_not_exist_is_refused_by_name(staff, routed, client_of):
    response = client_of(staff[Role.INTERNAL_AFFAIRS]).post(
        reverse("complaints:link-record", args=[routed.pk]), {"record_type": "detainers.custody", "record_id": 999}
    )
    assert "There is no custody #999." in response.content.decode()
    assert not routed.links.exists()


def test_an_overdue_complaint_is_flagged_on_the_queue_and_the_page(staff, take_in, coordinator, client_of):
    late = services.complaint_route(complaint=take_in(received_at=timezone.now() - timedelta(days=100)), by=coordinator)
    client = client_of(staff[Role.INTERNAL_AFFAIRS])
    queue = client.get(reverse("complaints:queue"), {"queue": "overdue"}).content.decode()
    assert late.tracking_code in queue and "Overdue" in queue
    assert "Overdue" in client.get(late.get_absolute_url()).content.decode()


def test_the_overdue_queue_holds_exactly_the_complaints_with_a_step_past_its_deadline(take_in, coordinator):
    """The queue asks the indexed next deadline; the dashboards and the reminders ask each step. They must agree,
    whatever is pending: every mix of acknowledgement, POST forwarding, investigation and closing."""
    import itertools

    from complaints import selectors

    today = timezone.localdate()
    past, future = today - timedelta(days=1), today + timedelta(days=1)
    acknowledgements = [(None, past), (None, future), (timezone.now(), past), (None, today)]
    forwardings = [(None, None), (None, past), (None, future), (timezone.now(), past)]
    for (acked, ack_due), (forwarded, post_due), investigation_due, closed in itertools.product(
        acknowledgements, forwardings, [past, future, today], [False, True]
    ):
        complaint = take_in()
        Complaint.objects.filter(pk=complaint.pk).update(
            acknowledged_at=acked,
            acknowledgement_due_on=ack_due,
            post_forwarded_at=forwarded,
            post_due_on=post_due,
            investigation_due_on=investigation_due,
            stage=Complaint.Stage.CLOSED if closed else Complaint.Stage.INVESTIGATING,
            closed_at=timezone.now() if closed else None,
        )
    queue = set(selectors.complaints_queue(user=coordinator, queue="overdue", today=today).values_list("pk", flat=True))
    each_step = set(selectors.complaints_overdue(today).values_list("pk", flat=True))
    assert queue == each_step and 0 < len(queue) < Complaint.objects.count()


def test_the_open_queue_puts_the_most_urgent_first_and_all_the_newest_first(staff, take_in, coordinator, client_of):
    older = services.complaint_route(complaint=take_in(received_at=timezone.now() - timedelta(days=60)), by=coordinator)
    newer = services.complaint_route(complaint=take_in(received_at=timezone.now() - timedelta(days=2)), by=coordinator)
    closed = take_in(received_at=timezone.now() - timedelta(days=1))
    Complaint.objects.filter(pk=closed.pk).update(stage=Complaint.Stage.CLOSED, closed_at=timezone.now())
    client = client_of(staff[Role.INTERNAL_AFFAIRS])

    def order(queue):
        page = client.get(reverse("complaints:queue"), {"queue": queue}).content.decode()
        listed = [c.tracking_code for c in (older, newer, closed) if c.tracking_code in page]
        return sorted(listed, key=page.index)

    assert order("open") == [older.tracking_code, newer.tracking_code]  # the older one's deadline comes first
    assert order("all") == [closed.tracking_code, newer.tracking_code, older.tracking_code]


def test_the_search_finds_a_complaint_by_code_complainant_officer_or_badge_and_lists_it_once(
    staff, take_in, coordinator, ia, client_of
):
    found = services.complaint_route(complaint=take_in(complainant_name="Luis Ortega"), by=coordinator)
    services.person_add(complaint=found, by=ia, name="Dana Booker", badge_number="377")
    services.person_add(complaint=found, by=ia, name="Sam Booker", badge_number="378")
    other = services.complaint_route(complaint=take_in(complainant_name="Ana Pereira"), by=coordinator)
    client = client_of(ia)
    for typed in ["ortega", "Booker", "377", found.tracking_code.lower()]:
        page = client.get(reverse("complaints:queue"), {"queue": "all", "q": typed}).content.decode()
        assert page.count(f">{found.tracking_code}<") == 1, typed  # two officers named Booker: listed once
        assert other.tracking_code not in page, typed
    assert (
        found.tracking_code not in client.get(reverse("complaints:queue"), {"queue": "all", "q": "37"}).content.decode()
    )


# --- Query counts: the same at two sizes ---------------------------------------------------------------------


def _fill(take_in, coordinator, ia, count):
    for n in range(count):
        complaint = services.complaint_route(complaint=take_in(alleges_bias=n % 2 == 0), by=coordinator)
        services.complaint_assign(complaint=complaint, by=ia, investigator=ia)
        services.person_add(complaint=complaint, by=ia, name=f"Officer {n}", badge_number=str(n))
        services.allegation_add(complaint=complaint, by=ia, clause="2(b)", summary=f"Allegation {n}")


@pytest.mark.parametrize(
    ("role", "url", "query", "queries"),
    [
        (Role.COMPLAINTS_COORDINATOR, "/complaints/", {"queue": "all"}, 15),
        (Role.INTERNAL_AFFAIRS, "/complaints/", {"queue": "open", "q": "Officer"}, 15),
        (Role.COMPLAINTS_COORDINATOR, "/api/v1/complaints/", {}, 27),
        (Role.COMPLAINTS_COORDINATOR, "/", {}, 15),
    ],
)
def test_the_queues_take_the_same_number_of_queries_at_two_sizes(
    role, url, query, queries, staff, take_in, coordinator, ia, client_of, django_assert_num_queries
):
    # Each count is exact, after a first request has warmed the session: sign-in and permissions (5), the page's
    # own (a count, a page of complaints and the queues' counts, or the API's prefetches, or the dashboard's
    # aggregate and its two lists of letters), the profile (2) and the unread notifications (1); the API adds its
    # rate limit, the dashboard the profile again; the lists, their look in the audit log (4).
    client = client_of(staff[role])
    client.get(url, query)
    _fill(take_in, coordinator, ia, 2)
    with django_assert_num_queries(queries):
        assert client.get(url, query).status_code == 200
    _fill(take_in, coordinator, ia, 12)
    with django_assert_num_queries(queries):
        assert client.get(url, query).status_code == 200


def test_a_complaint_page_takes_the_same_number_of_queries_however_long_its_story(
    staff, routed, ia, client_of, django_assert_num_queries
):
    client = client_of(staff[Role.INTERNAL_AFFAIRS])
    client.get(routed.get_absolute_url())
    for size in (1, 6):
        for k in range(size):
            services.person_add(complaint=routed, by=ia, name=f"Officer {size}-{k}")
            services.allegation_add(complaint=routed, by=ia, clause="2(b)", summary=f"Allegation {size}-{k}")
        # 20: the look at the complaint is audited, chained to the log's head (lock the head, write, move it).
        with django_assert_num_queries(20):
            assert client.get(routed.get_absolute_url()).status_code == 200


# --- Letters ------------------------------------------------------------------------------------------------


def _pdf_text(response, tmp_path) -> str:
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["has been received", "Nothing you told us is shared with federal immigration authorities"]),
        (
            "es",
            ["ha sido recibida", "Nada de lo que nos dijo se comparte con las autoridades federales de inmigración"],
        ),
        ("zh-hans", ["已收到", "移民"]),
    ],
)
def test_the_acknowledgement_letter_is_in_the_complainants_language(
    language, words, staff, take_in, client_of, tmp_path
):
    complaint = take_in(language=language)
    response = client_of(staff[Role.COMPLAINTS_COORDINATOR]).get(
        reverse("complaints:letter", args=[complaint.pk, "acknowledgement"])
    )
    text = _pdf_text(response, tmp_path)
    for word in [complaint.tracking_code, "Office of Immigrant Affairs", *words]:
        assert word in " ".join(text.split()), word


# --- The coordinator's queue and triage ---------------------------------------------------------------------


def test_the_queue_opens_on_every_open_complaint_with_each_queues_count_and_language(
    take_in, coordinator, ia, client_of
):
    waiting = take_in(language="es")
    overdue = services.complaint_route(complaint=take_in(hours_ago=24 * 120), by=coordinator)
    closed = services.complaint_route(complaint=take_in(), by=coordinator)
    allegation = services.allegation_add(complaint=closed, by=ia, clause="2(b)", summary="Asked")
    services.allegation_dispose(allegation=allegation, by=ia, disposition="unfounded")
    services.complaint_close(complaint=closed, by=ia, outcome="Unfounded.")
    page = client_of(coordinator).get(reverse("complaints:queue")).content.decode()
    assert waiting.tracking_code in page and overdue.tracking_code in page and closed.tracking_code not in page
    for queue in ["Awaiting triage (1)", "Open (2)", "Overdue (1)"]:
        assert queue in page, queue
    assert 'aria-current="page">Open (2)' in page
    assert '<details class="app-details" open>' in page  # the filters, unfolded
    assert '<td data-label="Language">Spanish</td>' in page


def test_triage_shows_what_happened_before_the_first_field_and_allegations_start_with_the_named_clauses(
    take_in, coordinator, client_of
):
    complaint = take_in(clauses=["2(e)", "2(b)"], narrative="They told the agents when my brother would leave.")
    client = client_of(coordinator)
    triage = client.get(reverse("complaints:triage", args=[complaint.pk])).content.decode()
    assert triage.index("They told the agents when my brother would leave.") < triage.index('name="department"')
    services.complaint_route(complaint=complaint, by=coordinator)
    form = client.get(reverse("complaints:allegation-new", args=[complaint.pk])).content.decode()
    named = form.index('<optgroup label="The complaint names">')
    assert named < form.index('value="2(b)"') < form.index('value="2(e)"') < form.index('label="Other clauses"')
    assert 'value="2(b)" selected' in form
