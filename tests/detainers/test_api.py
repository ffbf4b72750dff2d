"""The detainers API: the same services and rules as the screens, the permission table's rows, fixed query counts."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from detainers import services
from detainers.models import Custody, Detainer, Person, Reimbursement
from tests.conftest import sign_in_verified
from tests.detainers.conftest import NOW, at, detainer_body
from welcoming.local_time import EARLIEST_YEAR, LATEST_YEAR, PLAUSIBLE_DAY
from welcoming.models import AuditEntry, Finding
from welcoming.roles import Role


@pytest.fixture
def api(clerk):
    return sign_in_verified(APIClient(), clerk)


def test_a_clerk_records_a_detainer_and_the_finding_follows(api, custody):
    response = api.post(
        reverse("api:detainer-list"),
        {
            "custody": custody.pk,
            "form": "I-247A",
            "received_via": "fax",
            "lodged_at": at(1).isoformat(),
            "reasons": [{"code": "final_order"}, {"code": "biometric_match"}],
            "federal_reference": "SUBJ-1",
            "judicial_warrant": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "immigration_detainer"
    assert [r["code"] for r in body["reasons"]] == ["final_order", "biometric_match"]
    release = api.post(
        reverse("api:custody-release", args=[custody.pk]),
        {
            "at": (at(5) + timedelta(minutes=1)).isoformat(),
            "eligible_at": at(5).isoformat(),
            "eligibility_reason": "bail_posted",
        },
        format="json",
    )
    assert release.status_code == 200, release.json()
    findings = api.get(reverse("api:finding-list"), {"section": "2(d)"}).json()["results"]
    assert [f["code"] for f in findings] == ["2d-detained-on-hold"]


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"reasons": [{"code": "sinister"}]}, "reasons", 400),
        ({"federal_reference": "A123456789"}, "federal_reference", 422),
        ({"notes": "<script>x</script>"}, "notes", 422),
        ({"lodged_at": "2099-01-01T00:00:00-05:00"}, "lodged_at", 422),
        ({"lodged_at": "2026-03-08T02:30:00"}, "lodged_at", 400),  # a local time that does not exist
        ({"lodged_at": "2026-11-01T01:30:00"}, "lodged_at", 400),  # a local time that happened twice
        ({"form": "I-999"}, "form", 400),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(api, custody, payload, field, status):
    """400: the request breaks the schema; 422: the schema allows it, the ordinance's rules do not."""
    response = api.post(reverse("api:detainer-list"), detainer_body(custody, **payload), format="json")
    assert response.status_code == status
    assert field in response.json(), response.json()
    assert not Detainer.objects.exists()


def test_a_time_that_happened_twice_is_refused_naming_both_offsets_a_program_can_send(api, custody):
    data = detainer_body(custody, lodged_at="2026-11-01T01:30:00")
    response = api.post(reverse("api:detainer-list"), data, format="json")
    assert response.json()["lodged_at"] == [
        "2026-11-01 01:30 happened twice in America/New_York that night, when the clocks went back. Write it with "
        "its offset: 01:30-04:00 (EDT, the first) or 01:30-05:00 (EST, the second), as in 2026-11-01T01:30-05:00."
    ]


def test_a_release_without_eligibility_is_refused_by_the_rules(api, custody):
    response = api.post(reverse("api:custody-release", args=[custody.pk]), {"at": at(3).isoformat()}, format="json")
    assert response.status_code == 422 and "eligible_for_release_at" in response.json()
    custody.refresh_from_db()
    assert custody.released_at is None


def test_a_disclosure_not_asked_for_is_refused_by_the_rules(api, custody):
    response = api.post(
        reverse("api:information-request-list"),
        {
            "custody": custody.pk,
            "agency": "ICE",
            "received_at": at(2).isoformat(),
            "received_via": "phone",
            "items": [{"item": "home_address", "asked": False, "disclosed": True}],
        },
        format="json",
    )
    assert response.status_code == 422 and "items" in response.json()


@pytest.mark.parametrize(
    "role",
    [
        Role.INTERNAL_AFFAIRS,
        Role.POLICE_CHIEF,
        Role.CERTIFYING_OFFICIAL,
        Role.COMPLAINTS_COORDINATOR,
        Role.ADMINISTRATOR,
    ],
)
def test_only_the_records_clerk_writes_police_records(make_staff, person, role):
    client = sign_in_verified(APIClient(), make_staff("someone", role))
    response = client.post(
        reverse("api:custody-list"),
        {"person": person.pk, "booked_at": at(0).isoformat(), "basis": "criminal_charge"},
        format="json",
    )
    assert response.status_code == 403
    assert not Custody.objects.exists()


def test_internal_affairs_voids_through_the_api_and_the_clerk_cannot_void_others_records(custody, make_staff, clerk):
    other = sign_in_verified(APIClient(), make_staff("clerk2", Role.RECORDS_CLERK))
    assert other.post(reverse("api:custody-void", args=[custody.pk]), {"reason": "x"}).status_code == 403
    ia = sign_in_verified(APIClient(), make_staff("ia", Role.INTERNAL_AFFAIRS))
    assert ia.post(reverse("api:custody-void", args=[custody.pk]), {"reason": ""}).status_code == 400
    response = ia.post(reverse("api:custody-void", args=[custody.pk]), {"reason": "Booked twice."})
    assert response.status_code == 200 and response.json()["void_reason"] == "Booked twice."


def test_reading_a_person_is_logged(api, person, clerk):
    api.get(reverse("api:person-detail", args=[person.pk]))
    assert AuditEntry.objects.filter(
        action="view", record_type="detainers.person", record_id=str(person.pk), user=clerk
    ).exists()


def test_creating_a_person_flags_possible_duplicates(api, person):
    response = api.post(
        reverse("api:person-list"), {"full_name": "Maria Example", "department_id": "HPD-1001"}, format="json"
    )
    assert response.status_code == 201 and response.json()["possible_duplicates"] == [person.pk]
    merged = api.post(
        reverse("api:person-merge", args=[person.pk]), {"duplicate": response.json()["id"]}, format="json"
    )
    assert merged.status_code == 200
    assert Person.objects.current().count() == 1


def test_internal_affairs_acts_on_a_finding_through_the_api(custody, lodge, clerk, make_staff):
    lodge()
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    finding = Finding.objects.get(code="2d-detained-on-hold")
    clerk_api = sign_in_verified(APIClient(), clerk)
    assert clerk_api.post(reverse("api:finding-act", args=[finding.pk]), {"action": "acknowledge"}).status_code == 403
    ia = sign_in_verified(APIClient(), make_staff("ia", Role.INTERNAL_AFFAIRS))
    assert ia.post(reverse("api:finding-act", args=[finding.pk]), {"action": "dismiss"}).status_code == 422
    response = ia.post(reverse("api:finding-act", args=[finding.pk]), {"action": "dismiss", "note": "Paperwork lag."})
    assert response.status_code == 200 and response.json()["status"] == "dismissed"


# --- Query counts: every list endpoint, at two data sizes --------------------------------------------------


def grow(clerk, n):
    """n people, each booked, with a detainer, an information, access and assistance request, a reimbursement."""
    from decimal import Decimal

    for i in range(n):
        person = services.person_create(full_name=f"Person {i}", department_id=f"G-{Person.objects.count()}", by=clerk)
        custody = services.custody_create(person=person, booked_at=at(i), basis="criminal_charge", by=clerk, now=NOW)
        services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=at(i + 1),
            received_via="fax",
            reasons=[("final_order", ""), ("biometric_match", "")],
            copy_served_at=at(i + 2),
            by=clerk,
            now=NOW,
        )
        services.information_request_create(
            custody=custody,
            agency="ICE",
            received_at=at(i + 1),
            received_via="phone",
            items=[{"item": "pending_release", "disclosed": False}, {"item": "home_address", "disclosed": False}],
            by=clerk,
            now=NOW,
        )
        services.access_request_create(
            custody=custody,
            agency="ICE",
            requested_at=at(i + 1),
            mode="video",
            judicial_warrant_or_court_order=False,
            granted=True,
            by=clerk,
            now=NOW,
        )
        services.assistance_request_create(
            deputized_functions=False,
            agency="ICE",
            requested_at=at(i + 1),
            operation="Op",
            by=clerk,
            now=NOW,
            supports=[{"kind": "escort", "provided": True}, {"kind": "transport", "provided": True}],
        )
        services.reimbursement_create(
            amount=Decimal("10.00"), received_on=NOW.date(), program="scaap", by=clerk, now=NOW
        )


LISTS = [
    "api:person-list",
    "api:custody-list",
    "api:detainer-list",
    "api:information-request-list",
    "api:access-request-list",
    "api:assistance-request-list",
    "api:reimbursement-list",
    "api:finding-list",
]


@pytest.mark.parametrize("url_name", LISTS)
def test_list_endpoints_take_the_same_number_of_queries_at_two_sizes(
    api, clerk, municipality, django_assert_num_queries, url_name
):
    api.get(reverse("api:me"))  # stamp the session first
    grow(clerk, 2)
    with django_assert_num_queries(QUERIES[url_name]):
        small = api.get(reverse(url_name)).json()
    grow(clerk, 8)
    with django_assert_num_queries(QUERIES[url_name]):
        large = api.get(reverse(url_name)).json()
    assert large["count"] > small["count"] > 0


# Session, user, OTP device, the profile (2), rate limit (6), permissions (2), count, page, one per prefetched child
# table, and the look in the audit log (4).
QUERIES = {
    "api:person-list": 19,
    "api:custody-list": 20,  # with each custody's judicial authorities
    "api:detainer-list": 20,
    "api:information-request-list": 20,
    "api:access-request-list": 19,
    "api:assistance-request-list": 20,
    "api:reimbursement-list": 19,
    "api:finding-list": 19,
}


@pytest.mark.parametrize("role", [Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF])
def test_internal_affairs_and_the_chief_read_but_do_not_change_records(make_staff, custody, lodge, role):
    detainer = lodge()
    client = sign_in_verified(APIClient(), make_staff("reader", role))
    assert client.get(reverse("api:detainer-detail", args=[detainer.pk])).status_code == 200
    refused = [
        client.patch(reverse("api:detainer-detail", args=[detainer.pk]), {"notes": "x"}, format="json"),
        client.post(
            reverse("api:detainer-respond", args=[detainer.pk]),
            {"response": "declined", "at": at(2).isoformat()},
            format="json",
        ),
        client.post(reverse("api:custody-release", args=[custody.pk]), {"at": at(5).isoformat()}, format="json"),
        client.post(
            reverse("api:custody-transfer", args=[custody.pk]),
            {"at": at(5).isoformat(), "authority": "court_order"},
            format="json",
        ),
        client.post(
            reverse("api:person-merge", args=[custody.person.pk]), {"duplicate": custody.person.pk}, format="json"
        ),
    ]
    assert [response.status_code for response in refused] == [403] * 5
    detainer.refresh_from_db()
    assert detainer.notes == ""


def test_a_partial_change_of_the_reasons_needs_no_text_for_a_listed_reason(api, lodge):
    """(Found by schemathesis: a PATCH naming a reason without its optional text answered 500, and later one
    naming a reason without its code.)"""
    detainer = lodge()
    url = reverse("api:detainer-detail", args=[detainer.pk])
    answer = api.patch(url, {"reasons": [{"code": "biometric_match"}]}, format="json")
    assert answer.status_code == 200, answer.json()
    assert [reason["code"] for reason in answer.json()["reasons"]] == ["biometric_match"]
    nameless = api.patch(url, {"reasons": [{"text": "a reason without its code"}]}, format="json")
    assert nameless.status_code == 400 and nameless.json() == {"reasons": {"0": {"code": ["This field is required."]}}}


@pytest.mark.parametrize(
    ("lodged_at", "message"),
    [
        ("1146-12-13T08:08:06-04:00", "Check the year"),
        ("3254-03-28T07:27:41-04:00", "Check the year"),
        ("2026-10-06T07:27:41+19:12", "14 hours from UTC"),
    ],
)
def test_a_time_no_record_can_have_is_refused_by_field(api, custody, lodged_at, message):
    """(Found by schemathesis: year 1146 was accepted, and PostgreSQL refused a +19:12 offset with a 500.)"""
    answer = api.post(reverse("api:detainer-list"), detainer_body(custody, lodged_at=lodged_at), format="json")
    assert answer.status_code == 400 and message in answer.json()["lodged_at"][0]
    assert not Detainer.objects.exists()


def test_the_schema_documents_what_creating_a_police_record_takes():
    """(Found by schemathesis: every police record's POST documented its read serializer, all read-only, so no
    client could learn that a detainer needs `judicial_warrant`, and the fuzzer could build no request at all.)"""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    def takes(path):
        body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        component = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
        writable = {name for name, field in component["properties"].items() if not field.get("readOnly")}
        return writable, set(component.get("required", []))

    writable, required = takes("/api/v1/detainers/")
    assert {"custody", "form", "lodged_at", "judicial_warrant", "judicial_warrant_received_at"} <= writable
    assert "judicial_warrant" in required and "judicial_warrant_received_at" not in required
    assert takes("/api/v1/persons/") == ({"full_name", "date_of_birth", "department_id"}, {"full_name"})
    assert {"person", "booked_at", "basis"} <= takes("/api/v1/custody-records/")[1]
    bodies = [operation.get("requestBody", {}) for path in schema["paths"].values() for operation in path.values()]
    assert {kind for body in bodies for kind in body.get("content", ())} == {"application/json"}


def test_a_form_body_is_refused_with_415_and_nothing_saved(custody, make_staff):
    """(Found by schemathesis: a form cannot say null or carry a list of reasons, so a body the schema allowed as a
    form was refused.) The API takes JSON only; the pages take forms."""
    ia = sign_in_verified(Client(), make_staff("ia", Role.INTERNAL_AFFAIRS))
    form = ia.post(reverse("api:custody-void", args=[custody.pk]), {"reason": "Booked twice."})
    assert form.status_code == 415 and "JSON" in form.json()["detail"]
    custody.refresh_from_db()
    assert not custody.is_voided
    json = ia.post(reverse("api:custody-void", args=[custody.pk]), {"reason": "Booked twice."}, "application/json")
    assert json.status_code == 200


@pytest.mark.parametrize("amount", ["1234.56", "0", "12.5", 1234.56, "1e3", "-5", ".5", "", " 12", "12.345"])
def test_an_amount_is_accepted_exactly_when_the_schema_allows_it(api, amount):
    """(Found by schemathesis: the schema's pattern for an amount allowed "" and "-", which were refused.)"""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    pattern = schema["components"]["schemas"]["ReimbursementInputRequest"]["properties"]["amount"]["pattern"]
    allowed = isinstance(amount, str) and re.search(pattern, amount) is not None
    body = {"amount": amount, "received_on": NOW.date().isoformat(), "program": "scaap"}
    answer = api.post(reverse("api:reimbursement-list"), body)
    assert answer.status_code == (201 if allowed else 400), answer.json()
    assert allowed or "amount" in answer.json()
    assert Reimbursement.objects.count() == allowed


def test_the_schema_says_a_required_text_cannot_be_blank(api, make_staff, custody):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    reason = schema["components"]["schemas"]["VoidRequest"]["properties"]["reason"]
    assert reason["minLength"] == 1 and not re.search(reason["pattern"], " \t")
    assert re.search(reason["pattern"], " Booked twice. ") and not re.search(reason["pattern"], "Booked\x00twice")
    search = next(p for p in schema["paths"]["/api/v1/persons/"]["get"]["parameters"] if p["name"] == "search")
    assert re.search(search["schema"]["pattern"], "") and not re.search(search["schema"]["pattern"], "Ana\x00")
    ia = sign_in_verified(APIClient(), make_staff("ia", Role.INTERNAL_AFFAIRS))
    assert ia.post(reverse("api:custody-void", args=[custody.pk]), {"reason": " \t"}).status_code == 400


def test_the_schema_names_the_years_a_record_can_have():
    years = {year for year in range(10000) if re.search(PLAUSIBLE_DAY, f"{year:04d}-01-01")}
    assert years == set(range(EARLIEST_YEAR, LATEST_YEAR + 1))


@pytest.mark.parametrize(
    ("lodged_at", "accepted"),
    [
        ("2026-10-06T07:27:41-04:00", True),
        ("2026-10-06T07:27:41Z", True),
        ("2026-10-07T07:27:41+14:00", True),
        ("2026-10-06T07:27", True),  # the town's own clock: beyond RFC 3339, taken on purpose
        ("2026-10-06t07:27:41z", False),
        ("20261006T072741Z", False),
        ("2026-10-06T07:27:41+14:30", False),
        ("1969-12-31T23:00:00-05:00", False),
    ],
)
def test_a_time_the_schema_allows_is_accepted_and_one_it_refuses_is_refused(api, custody, lodged_at, accepted):
    """(Found by schemathesis: a year outside 1970–2099 was valid by the schema and refused, and so was a lower-case
    "t"; the schema's pattern now says the years, the offsets and the shape. Python reads more than RFC 3339, and
    what the app takes beyond the schema is only a time on the town's own clock.)"""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    pattern = schema["components"]["schemas"]["DetainerInputRequest"]["properties"]["lodged_at"]["pattern"]
    assert accepted or not re.search(pattern, lodged_at)
    answer = api.post(reverse("api:detainer-list"), detainer_body(custody, lodged_at=lodged_at))
    assert answer.status_code == (201 if accepted else 400), answer.json()
    assert accepted or "lodged_at" in answer.json()
    listed = api.get(reverse("api:detainer-list"), {"lodged_after": lodged_at})
    assert listed.status_code == (200 if accepted else 400)
