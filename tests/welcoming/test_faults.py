"""Faults: with the database out of reach every page and the API answer 503 and "try again", with no traceback;
once it is back they serve again without a restart; a failure inside a service leaves nothing half-written."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from certifications import services as certification_services
from complaints import services as complaint_services
from detainers import services as detainer_services
from tests.conftest import sign_in_verified
from tests.welcoming.test_settings import run_django
from traffic import services as traffic_services
from welcoming.models import AuditChain
from welcoming.roles import Role

CLOSED_PORT = "postgres://postgres@127.0.0.1:9/welcoming"  # the discard port: nothing listens there


FETCH = """
from django.test import Client
client = Client(HTTP_HOST=HOST, raise_request_exception=False)
client.cookies["sessionid"] = "a-staff-members-session-0123456789"  # reading a session needs the database
if METHOD == "post":
    answer = client.post(PATH, {"narrative": "x"}, content_type="application/json", secure=True)
else:
    answer = client.get(PATH, secure=True)
print(answer.status_code, answer["Content-Type"].split(";")[0], answer.get("Retry-After"))
print(answer.content.decode())
"""


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("get", "/", "text/html"),
        ("get", "/police/custody/", "text/html"),
        ("get", "/complaints/new/", "text/html"),
        ("get", "/public/figures/", "text/html"),
        ("get", "/api/v1/detainers/", "application/json"),
        ("post", "/api/v1/public-complaints/", "application/json"),
    ],
)
def test_with_the_database_unreachable_pages_and_the_api_answer_503(method, path, kind):
    result = run_django(f"METHOD, PATH = {method!r}, {path!r}\n" + FETCH, DATABASE_URL=CLOSED_PORT)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.split("\n", 1)
    assert status.split() == ["503", kind, "30"]
    assert "cannot be reached just now" in body and "try again in a minute" in body
    assert "Traceback" not in body and "Error" not in body and "127.0.0.1" not in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_once_the_database_is_back_the_same_process_serves_again(make_staff, municipality):
    client = Client(raise_request_exception=False)
    sign_in_verified(client, make_staff("clerk", Role.RECORDS_CLERK))
    assert client.get("/police/custody/").status_code == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "9"
    try:
        down = client.get("/police/custody/")
        api_down = client.get("/api/v1/detainers/")
    finally:
        connection.settings_dict["PORT"] = port
    assert down.status_code == 503 and "cannot be reached just now" in down.content.decode()
    assert api_down.status_code == 503 and "cannot be reached" in api_down.json()["detail"]
    assert client.get("/police/custody/").status_code == 200
    assert client.get("/api/v1/detainers/").status_code == 200


class Fault(Exception):
    """Raised by a step we break on purpose, after the service has already written part of its work."""


def every_row_count() -> dict:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def fail(*args, **kwargs):
    raise Fault


def detainer(make_staff):
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    person = detainer_services.person_create(full_name="Ana Half", department_id="H-1", by=clerk)
    custody = detainer_services.custody_create(
        person=person, booked_at=timezone.now() - timedelta(days=1), basis="sentence", by=clerk
    )
    return lambda: detainer_services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=timezone.now() - timedelta(hours=2),
        received_via="fax",
        reasons=[("final_order", "")],
        by=clerk,
    )


def complaint(make_staff):
    coordinator = make_staff("coordinator", Role.COMPLAINTS_COORDINATOR)
    return lambda: complaint_services.complaint_create(
        received_at=timezone.now() - timedelta(hours=1),
        channel="phone",
        narrative="Half written",
        department="police",
        about="officers",
        people=[{"name": "Officer Half", "badge_number": "77"}],
        by=coordinator,
    )


def u_visa_request(make_staff):
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    victim = detainer_services.person_create(full_name="Bea Half", by=clerk)
    return lambda: certification_services.u_visa_request_create(
        expedited=False,
        received_on=timezone.localdate(),
        requester_kind="attorney",
        requester_name="Half Requester",
        victim=victim,
        qualifying_crime="stalking",
        helpfulness="has_been",
        by=clerk,
    )


def traffic_stop(make_staff):
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    return lambda: traffic_services.stop_create(
        vehicle_impounded=False,
        licensed_driver_arrived=False,
        licensed_driver_offered=False,
        other_arrestable_violation=False,
        stopped_at=timezone.now() - timedelta(hours=3),
        place="Half Street",
        officer_name="Officer Half",
        action="custodial_arrest",
        custody_reason="Would not give a name",
        by=clerk,
    )


@pytest.mark.parametrize(
    ("service", "last_step"),
    [
        (detainer, "detainers.services._reconcile"),
        (complaint, "complaints.services.notify_permission"),
        (u_visa_request, "certifications.services.findings_reconcile"),
        (traffic_stop, "traffic.services.findings_reconcile"),
    ],
    ids=["detainer", "complaint", "u-visa-request", "traffic-stop"],
)
@pytest.mark.django_db
def test_a_failure_in_the_middle_of_a_service_leaves_nothing_written(
    make_staff, municipality, monkeypatch, service, last_step
):
    """The record, its history and its audit entries are written, then the service's last step fails: every
    table, the audit chain's head included, is as it was."""
    call = service(make_staff)
    before = every_row_count()
    head = AuditChain.objects.get().head_hash
    monkeypatch.setattr(last_step, fail)
    with pytest.raises(Fault):
        call()
    assert every_row_count() == before
    assert AuditChain.objects.get().head_hash == head
    monkeypatch.undo()
    call()  # and the same call, unbroken, writes
    assert every_row_count() != before


@pytest.mark.django_db
def test_a_bug_that_raises_a_database_error_stays_a_500_not_a_503(make_staff, municipality, monkeypatch):
    """SQLite says "no such column" with an OperationalError: that is a bug to fix, not the database being away,
    so it must not be dressed as "try again"."""

    def broken(**kwargs):
        raise OperationalError("no such column: detainers_detainer.nonexistent")

    monkeypatch.setattr("detainers.selectors.detainers_search", broken)
    client = sign_in_verified(Client(raise_request_exception=False), make_staff("clerk", Role.RECORDS_CLERK))
    answer = client.get("/police/detainers/")
    assert answer.status_code == 500 and "Something went wrong" in answer.content.decode()


@pytest.mark.django_db
def test_a_deadlock_postgresql_asks_to_retry_is_a_503(make_staff, municipality, monkeypatch):
    class Deadlock(Exception):
        pgcode = "40P01"  # deadlock_detected: the database's own "try again"

    def deadlocked(**kwargs):
        raise OperationalError("deadlock detected") from Deadlock()

    monkeypatch.setattr("detainers.selectors.detainers_search", deadlocked)
    client = sign_in_verified(Client(raise_request_exception=False), make_staff("clerk", Role.RECORDS_CLERK))
    answer = client.get("/police/detainers/")
    assert answer.status_code == 503 and answer["Retry-After"] == "30"


def test_an_address_the_api_does_not_have_answers_json_and_a_page_address_html(client, municipality):
    # Schemathesis asked for /api/v1/access-requests/0.5/ and got Django's HTML 404 where the schema says JSON.
    answer = client.get("/api/v1/access-requests/0.5/")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "Not found."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
