"""Data migrations on records as older versions left them: run from the migration before, on real tables."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

TZ = ZoneInfo("America/New_York")
BOOKED = datetime(2025, 3, 1, 20, 0, tzinfo=TZ)
BEFORE = [("detainers", "0007_detainer_reason_by_code"), ("welcoming", "0007_finding_newest_first")]
AFTER = [("detainers", "0008_judicial_authority")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_judicial_warrant_gets_the_time_the_old_reading_assumed_and_is_marked_for_verifying():
    old = _migrate(BEFORE)
    Person, Custody, Detainer = (old.get_model("detainers", name) for name in ("Person", "Custody", "Detainer"))
    InformationRequest, InformationItem = (
        old.get_model("detainers", name) for name in ("InformationRequest", "InformationItem")
    )
    Finding = old.get_model("welcoming", "Finding")
    person = Person.objects.create(full_name="Old Record")
    # An I-247A in the evening; its judge's warrant ticked on the I-200 linked to it the next morning.
    held = Custody.objects.create(person=person, booked_at=BOOKED, basis="criminal_charge")
    evening = Detainer.objects.create(
        custody=held, form="I-247A", kind="immigration_detainer", received_via="fax", lodged_at=BOOKED
    )
    Detainer.objects.create(
        custody=held,
        lodging=evening.lodging,
        form="I-200",
        kind="administrative_warrant",
        received_via="fax",
        lodged_at=BOOKED + timedelta(hours=12),
        judicial_warrant=True,
    )
    # A transfer on a court order, after eligibility.
    moved = Custody.objects.create(
        person=person,
        booked_at=BOOKED,
        basis="criminal_charge",
        eligible_for_release_at=BOOKED + timedelta(hours=5),
        eligibility_reason="bail_posted",
        transferred_to_ice_at=BOOKED + timedelta(hours=9),
        transfer_authority="court_order",
    )
    request = InformationRequest.objects.create(custody=held, agency="ICE", received_at=BOOKED, received_via="phone")
    InformationItem.objects.create(request=request, item="home_address", disclosed=True, basis="")
    dismissed = Finding.objects.create(
        record_type="detainers.informationrequest",
        record_id=request.pk,
        section="2(e)",
        code="2e-disclosed-home_address",
        severity="violation",
        message="…",
        facts={"item": "home_address", "agency": "ICE", "basis": ""},
        status="dismissed",
        status_reason="The address was already public.",
        opened_at=BOOKED,
        occurred_at=BOOKED,
        status_changed_at=BOOKED,
    )

    new = _migrate(AFTER)
    JudicialAuthority = new.get_model("detainers", "JudicialAuthority")
    authorities = {a.custody_id: a for a in JudicialAuthority.objects.all()}
    # The flag backed its whole lodging, from the first document lodged; the transfer, from eligibility.
    assert authorities[held.pk].received_at == BOOKED and authorities[held.pk].came_with_id is not None
    assert authorities[moved.pk].received_at == BOOKED + timedelta(hours=5)
    assert authorities[moved.pk].kind == "court_order"
    assert all(a.time_assumed for a in authorities.values())
    assert new.get_model("detainers", "InformationItem").objects.get().basis == "none"
    assert new.get_model("welcoming", "Finding").objects.get(pk=dismissed.pk).facts["basis"] == "none"
