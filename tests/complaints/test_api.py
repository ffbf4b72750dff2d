"""The staff API (`/api/v1/complaints/`): the same steps as the pages, through the same services."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints import selectors
from complaints.models import Complaint
from welcoming.roles import Role
from welcoming.supplement import compute

API = "/api/v1/complaints/"
JSON = "application/json"  # the API takes JSON bodies only


def test_intake_through_the_api_returns_the_pin_once(staff, client_of):
    client = client_of(staff[Role.COMPLAINTS_COORDINATOR])
    response = client.post(
        API,
        {
            "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "channel": "email",
            "language": "vi",
            "narrative": "Asked for papers at the library.",
            "department": "other",
            "department_name": "Library",
            "clauses": ["2(b)"],
            "people": [{"title": "Librarian"}],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["pin"]) == 6 and body["stage"] == "received" and body["people"][0]["title"] == "Librarian"
    detail = client.get(f"{API}{body['id']}/").json()
    assert "pin" not in detail and detail["tracking_code"] == body["tracking_code"]


def test_internal_affairs_is_given_a_receipt_the_schema_describes(staff, client_of):
    """(Found by schemathesis: the schema promised internal affairs the whole complaint, which it may not read
    before routing, and it is given a receipt.)"""
    from drf_spectacular.generators import SchemaGenerator
    from jsonschema import Draft202012Validator

    body = {"received_at": timezone.now().isoformat(), "channel": "phone", "language": "en", "about": "officers"}
    body["narrative"] = "Asked for papers."
    response = client_of(staff[Role.INTERNAL_AFFAIRS]).post(API, {**body, "department": "police"}, content_type=JSON)
    assert response.status_code == 201 and set(response.json()) == {"tracking_code", "pin", "stage"}
    schema = SchemaGenerator().get_schema(request=None, public=True)
    answer = schema["paths"]["/api/v1/complaints/"]["post"]["responses"]["201"]["content"]["application/json"]
    validator = Draft202012Validator({**answer["schema"], "components": schema["components"]})
    assert validator.is_valid(response.json())


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"narrative": ""}, "narrative", 400),
        ({"channel": "online"}, "channel", 400),
        ({"about": ""}, "about", 422),
        ({"clauses": ["3"]}, "clauses", 400),
        ({"anonymous": True, "complainant_name": "Ana"}, "complainant_name", 422),
        ({"received_at": "2026-03-08T02:30:00"}, "received_at", 400),  # the hour the clocks skipped
    ],
)
def test_bad_intake_is_refused_naming_the_field_and_saves_nothing(payload, field, status, staff, client_of):
    client = client_of(staff[Role.COMPLAINTS_COORDINATOR])
    data = {
        "received_at": timezone.now().isoformat(),
        "channel": "phone",
        "language": "en",
        "narrative": "Something happened.",
        "department": "police",
        "about": "officers",
        **payload,
    }
    response = client.post(API, data, content_type=JSON)
    assert response.status_code == status and field in response.json(), response.json()
    assert not Complaint.objects.exists()


def test_internal_affairs_works_a_complaint_through_the_api(staff, take_in, client_of, coordinator):
    complaint = take_in(alleges_bias=True)
    coordinator_api = client_of(coordinator)
    ia = staff[Role.INTERNAL_AFFAIRS]
    ia_api = client_of(ia)
    assert ia_api.get(f"{API}{complaint.pk}/").status_code == 404  # not routed yet
    assert coordinator_api.post(f"{API}{complaint.pk}/route/", {}, content_type=JSON).json()["stage"] == "investigating"
    now = timezone.now().isoformat()
    steps = [
        ("acknowledge", {"acknowledged_at": now, "delivery": "mail"}),
        ("assign", {"investigator": ia.pk}),
        ("post-forward", {"forwarded_at": now, "reference": "POST-9"}),
        ("people", {"name": "Pat Moreno", "badge_number": "152"}),
        ("allegations", {"clause": "2(b)", "summary": "Asked about status"}),
    ]
    for step, data in steps:
        response = ia_api.post(f"{API}{complaint.pk}/{step}/", data, content_type=JSON)
        assert response.status_code == 200, (step, response.json())
    body = response.json()
    allegation = body["allegations"][0]["id"]
    refused = ia_api.post(
        f"{API}{complaint.pk}/dispose/",
        {"allegation": allegation, "disposition": "sustained"},
        content_type=JSON,
    )
    assert refused.status_code == 422 and "action_taken" in refused.json()
    # (Found by schemathesis: these were 400s, the answer for a request that breaks the schema.)
    unknown = {"allegation": allegation + 1000, "disposition": "sustained", "action_taken": "Retrained"}
    refused = ia_api.post(f"{API}{complaint.pk}/dispose/", unknown, content_type=JSON)
    assert refused.status_code == 422 and refused.json() == {"allegation": ["No such allegation in this complaint."]}
    neither = ia_api.post(f"{API}{complaint.pk}/link/", {}, content_type=JSON)
    assert neither.status_code == 422 and "Give either a finding" in neither.json()["non_field_errors"][0]
    data = {"allegation": allegation, "disposition": "sustained", "action_taken": "Retrained"}
    assert ia_api.post(f"{API}{complaint.pk}/dispose/", data, content_type=JSON).status_code == 200
    closed = ia_api.post(f"{API}{complaint.pk}/close/", {"outcome": "Sustained."}, content_type=JSON).json()
    assert closed["stage"] == "closed" and closed["public_status"] == "closed"
    assert [e["kind"] for e in closed["events"]][-1] == "closed"
    assert [(letter["kind"], letter["delivery"]) for letter in closed["letters"]] == [
        ("acknowledgement", "mail"),
        ("outcome", ""),  # written next, in the complainant's language; nothing went out yet
    ]
    assert closed["post_reference"] == "POST-9" and closed["investigator"] == ia.username


def test_the_chief_reads_but_takes_no_step_and_internal_affairs_does_not_route(staff, take_in, routed, client_of):
    chief = client_of(staff[Role.POLICE_CHIEF])
    assert chief.get(f"{API}{routed.pk}/").status_code == 200
    response = chief.post(
        f"{API}{routed.pk}/acknowledge/",
        {"acknowledged_at": timezone.now().isoformat(), "delivery": "mail"},
        content_type=JSON,
    )
    assert response.status_code == 403
    waiting = take_in()
    ia = client_of(staff[Role.INTERNAL_AFFAIRS])
    assert (
        ia.post(
            f"{API}{routed.pk}/classify/", {"department": "police", "about": "chief"}, content_type=JSON
        ).status_code
        == 403
    )
    assert ia.post(f"{API}{waiting.pk}/route/", {}, content_type=JSON).status_code == 404  # it cannot even see it
    assert client_of(staff[Role.RECORDS_CLERK]).post(API, {}, content_type=JSON).status_code == 403


def test_the_api_filters_by_queue_and_search(staff, take_in, routed, client_of, coordinator):
    take_in(complainant_name="Someone Else")
    client = client_of(coordinator)
    assert client.get(API, {"queue": "triage"}).json()["count"] == 1
    assert client.get(API, {"stage": "investigating"}).json()["count"] == 1
    assert client.get(API, {"search": routed.tracking_code.lower()}).json()["results"][0]["id"] == routed.pk


def test_the_supplement_counts_complaints_by_clause_department_and_disposition(take_in, coordinator, ia):
    from complaints import services
    from welcoming.periods import window

    routed = services.complaint_route(complaint=take_in(clauses=["2(a)", "2(b)"]), by=coordinator)
    take_in(clauses=["2(a)", "2(b)"])  # the same clauses again: counted twice, not once as a group
    take_in(department="schools", about="", clauses=["2(l)"])
    old = take_in(received_at=timezone.now() - timedelta(days=200), clauses=["2(b)"])
    allegation = services.allegation_add(complaint=routed, by=ia, clause="2(a)", summary="Bias")
    services.allegation_dispose(allegation=allegation, by=ia, disposition="not_sustained")
    today = timezone.localdate()
    section = next(
        s
        for s in compute(window(today - timedelta(days=30), today, zone="America/New_York"))
        if s["key"] == "complaints"
    )
    lines = {line["key"]: line["value"] for line in section["lines"]}
    assert (lines["received"], lines["department_police"], lines["department_schools"]) == (3, 2, 1)
    assert (lines["clause_2(a)"], lines["clause_2(b)"], lines["clause_2(l)"]) == (2, 2, 1)
    assert (lines["disposition_not_sustained"], lines["disposition_sustained"]) == (1, 0)
    assert (lines["open_at_end"], lines["overdue_at_end"]) == (4, 1)  # the old one is past its 90 days
    assert old.pk in selectors.complaints_overdue(today).values_list("pk", flat=True)


def test_the_demo_has_complaints_at_every_stage(settings, db):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # safe to repeat
    complaints = Complaint.objects.all()
    assert {c.stage for c in complaints} == {"received", "investigating", "kept", "referred", "closed"}
    assert len({c.language for c in complaints}) >= 5
    assert complaints.filter(about="chief").exists()
    assert complaints.filter(selectors.overdue_filter(timezone.localdate())).count() == 1
    assert complaints.filter(department="schools", stage="closed").exists()
