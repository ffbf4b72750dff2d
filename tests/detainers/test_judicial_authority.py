"""Judicial authority has a time and belongs to the custody (DESIGN.md section 3, "Detention on a hold").

A judge's warrant or court order backs the custody from the moment it was received, whatever document it came
with: one in hand by eligibility means no detention on the hold; one that came later ends the detention then and
never erases the hours before it. Each case is checked on both the 2(d) finding and the 4(b) count, which share
one selector (run on PostgreSQL in CI).
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from detainers import imports, services
from detainers.models import Custody, Detainer, JudicialAuthority
from tests.conftest import sign_in_verified
from tests.detainers.conftest import NOW, at
from tests.reports.conftest import figures_for
from welcoming.findings import findings_reconcile
from welcoming.models import Finding
from welcoming.roles import Role

PERIOD = (date(2026, 6, 1), date(2026, 11, 30))
HELD_ON_HOLD = "2d-detained-on-hold"
TRANSFER = "2c-transfer-without-judicial-authority"


def open_codes(record):
    return {f.code: f for f in Finding.objects.of_record(record).unresolved()}


def detained(municipality) -> int:
    return figures_for(municipality, period=PERIOD, now=NOW)["individuals_detained"]


def fields_of(error) -> set:
    return set(error.value.message_dict)


def transfer(custody, clerk, *, at_, received_at, eligible_at=None, authority="judicial_warrant"):
    return services.custody_transfer_to_ice(
        custody=custody,
        at=at_,
        authority=authority,
        authority_received_at=received_at,
        eligible_at=eligible_at,
        eligibility_reason="sentence_served" if eligible_at else "",
        by=clerk,
        now=NOW,
    )


def test_held_26_hours_past_eligibility_until_a_warrant_came_is_a_2d_violation_counted_in_4b(
    custody, lodge, clerk, municipality
):
    lodge()  # an I-247A, an hour after booking
    transfer(custody, clerk, eligible_at=at(5), received_at=at(31), at_=at(32))
    findings = open_codes(custody)
    assert (
        findings[HELD_ON_HOLD].message
        == "Maria Example stayed in custody 1560 minutes past eligibility for release, with an ICE hold open when "
        "they became eligible, until a judicial warrant or court order was received."
    )
    assert findings[HELD_ON_HOLD].facts["judicial_authority_received_at"].startswith("2026-10-07T09:00")
    assert TRANSFER not in findings  # the transfer itself was on a judge's warrant
    assert detained(municipality) == 1


def test_a_warrant_in_hand_before_eligibility_means_no_detention(custody, lodge, clerk, municipality):
    lodge()
    transfer(custody, clerk, eligible_at=at(5), received_at=at(4), at_=at(6))
    assert not open_codes(custody)
    assert detained(municipality) == 0


def test_a_warrant_received_at_the_moment_of_eligibility_backs_it(custody, lodge, clerk, municipality):
    lodge()
    transfer(custody, clerk, eligible_at=at(5), received_at=at(5), at_=at(6))
    assert HELD_ON_HOLD not in open_codes(custody)
    assert detained(municipality) == 0


def test_a_warrant_the_minute_after_eligibility_leaves_a_minute_of_detention(custody, lodge, clerk, municipality):
    lodge()
    transfer(custody, clerk, eligible_at=at(5), received_at=at(5) + timedelta(minutes=1), at_=at(6))
    assert "1 minute past eligibility" in open_codes(custody)[HELD_ON_HOLD].message
    assert detained(municipality) == 1


def test_a_warrant_after_the_release_is_refused_and_the_detention_stands(custody, lodge, clerk, municipality):
    lodge()
    services.custody_release(
        custody=custody, at=at(7), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    with pytest.raises(ValidationError) as error:
        services.judicial_authority_record(
            custody=custody, kind="judicial_warrant", received_at=at(8), by=clerk, now=NOW
        )
    assert fields_of(error) == {"received_at"}
    assert not JudicialAuthority.objects.exists()
    assert "120 minutes" in open_codes(custody)[HELD_ON_HOLD].message
    assert detained(municipality) == 1


def test_a_court_order_on_a_detainer_lodged_with_an_administrative_warrant_backs_both(
    custody, lodge, clerk, municipality
):
    detainer = lodge(judicial_warrant=True, judicial_warrant_received_at=at(1))
    lodge(form="I-200", reasons=[("not_stated", "")], lodged_with=detainer)
    services.custody_release(
        custody=custody, at=at(7), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    assert not open_codes(custody)
    assert detained(municipality) == 0


def test_a_warrant_in_a_separate_lodging_backs_the_custody_from_when_it_came(custody, lodge, clerk, municipality):
    lodge()
    lodge(
        form="I-200", hours=8, reasons=[("not_stated", "")], judicial_warrant=True, judicial_warrant_received_at=at(8)
    )
    services.custody_eligible(custody=custody, at=at(5), reason="bail_posted", by=clerk, now=NOW)
    services.custody_release(custody=custody, at=at(9), by=clerk, now=NOW)
    assert "180 minutes past eligibility" in open_codes(custody)[HELD_ON_HOLD].message
    assert detained(municipality) == 1


def test_a_warrant_linked_the_next_morning_to_the_evenings_detainer_keeps_the_night(
    custody, lodge, clerk, municipality
):
    evening = lodge()  # 23:00
    services.custody_eligible(custody=custody, at=at(2), reason="charges_dismissed", by=clerk, now=NOW)
    lodge(
        form="I-200",
        hours=10,  # 08:00 the next morning, linked to the evening's I-247A
        reasons=[("not_stated", "")],
        lodged_with=evening,
        judicial_warrant=True,
        judicial_warrant_received_at=at(10),
    )
    transfer(custody, clerk, received_at=at(10), at_=at(11))
    assert "480 minutes past eligibility" in open_codes(custody)[HELD_ON_HOLD].message
    assert detained(municipality) == 1


def test_a_judicial_warrant_ticked_later_on_a_document_does_not_erase_the_hours_before(
    custody, lodge, clerk, municipality
):
    detainer = lodge()
    services.custody_eligible(custody=custody, at=at(5), reason="bail_posted", by=clerk, now=NOW)
    services.detainer_update(
        detainer=detainer, judicial_warrant=True, judicial_warrant_received_at=at(20), by=clerk, now=NOW
    )
    assert detainer.judicial_authorities.get().received_at == at(20)
    services.custody_release(custody=custody, at=at(21), by=clerk, now=NOW)
    assert "900 minutes past eligibility" in open_codes(custody)[HELD_ON_HOLD].message
    assert detained(municipality) == 1


def test_a_void_judicial_authority_backs_nothing(custody, lodge, clerk, make_staff):
    lodge()
    transfer(custody, clerk, eligible_at=at(5), received_at=at(4), at_=at(6))
    assert not open_codes(custody)
    services.record_void(
        record=custody.judicial_authorities.get(),
        by=make_staff("ia", Role.INTERNAL_AFFAIRS),
        reason="No warrant in the file.",
        now=NOW,
    )
    assert {HELD_ON_HOLD, TRANSFER} <= set(open_codes(custody))


def test_a_booking_on_a_hold_alone_needs_no_eligibility_and_ends_when_a_warrant_came(person, clerk):
    custody = services.custody_create(person=person, booked_at=at(0), basis="detainer_only", by=clerk, now=NOW)
    services.custody_release(custody=custody, at=at(3), by=clerk, now=NOW)  # no eligibility asked for
    assert custody.eligible_for_release_at is None
    assert "was taken into custody on the basis" in open_codes(custody)[HELD_ON_HOLD].message


# --- What is refused, by field, with nothing saved ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "message"),
    [
        (None, "Say when the judicial warrant or court order was received"),
        (at(7), "must be received by the transfer"),
        (NOW + timedelta(minutes=1), "in the future"),
        (at(-1), "before the booking"),
    ],
)
def test_a_transfer_on_judicial_authority_needs_a_time_received_by_it(custody, clerk, received_at, message):
    with pytest.raises(ValidationError) as error:
        transfer(custody, clerk, eligible_at=at(5), received_at=received_at, at_=at(6))
    assert fields_of(error) == {"authority_received_at"}
    assert message in str(error.value)
    custody.refresh_from_db()
    assert custody.transferred_to_ice_at is None and not JudicialAuthority.objects.exists()


def test_a_document_said_to_carry_a_judicial_warrant_needs_its_time(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.detainer_create(
            custody=custody,
            form="I-247A",
            lodged_at=at(1),
            received_via="fax",
            reasons=[("final_order", "")],
            judicial_warrant=True,
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"judicial_warrant_received_at"}
    assert not Detainer.objects.exists()


def test_the_api_transfer_refuses_a_judicial_warrant_without_its_time_and_saves_nothing(custody, clerk, client):
    web = sign_in_verified(client, clerk)
    url = reverse("api:custody-transfer", args=[custody.pk])
    payload = {
        "at": at(6).isoformat(),
        "authority": "judicial_warrant",
        "eligible_at": at(5).isoformat(),
        "eligibility_reason": "release_ordered",
    }
    answer = web.post(url, payload, content_type="application/json")
    assert answer.status_code == 422 and "authority_received_at" in answer.json()
    assert web.post(url, {**payload, "authority": ""}, content_type="application/json").status_code == 400
    custody.refresh_from_db()
    assert custody.transferred_to_ice_at is None
    answer = web.post(url, {**payload, "authority_received_at": at(4).isoformat()}, content_type="application/json")
    assert answer.status_code == 200, answer.json()
    assert [a["received_at"] for a in answer.json()["judicial_authorities"]] == [at(4).isoformat()]


def test_an_import_row_claiming_a_judicial_warrant_needs_its_time(clerk, municipality):
    header = imports.COLUMNS
    values = {
        "source": "RMS",
        "custody_id": "BK-1",
        "full_name": "Row Person",
        "booked_at": "2026-10-05 22:00",
        "basis": "criminal_charge",
        "eligible_for_release_at": "2026-10-06 03:00",
        "eligibility_reason": "bail_posted",
        "transferred_to_ice_at": "2026-10-06 04:00",
        "transfer_authority": "court_order",
    }
    line = ",".join(values.get(column.name, "") for column in header)
    data = (",".join(column.name for column in header) + "\n" + line + "\n").encode()
    report = imports.import_records(data=data, by=clerk, now=NOW)
    assert {(error.row, error.column) for error in report.errors} == {(2, "authority_received_at")}
    assert not Custody.objects.exists()


# --- Records from before the time was asked for --------------------------------------------------------------


def test_an_inferred_time_is_a_warning_until_the_clerk_confirms_it(custody, lodge, clerk):
    lodge()
    transfer(custody, clerk, eligible_at=at(5), received_at=at(4), at_=at(6))
    JudicialAuthority.objects.update(time_assumed=True)  # as the data migration leaves older records
    findings_reconcile(record=Custody.objects.get(pk=custody.pk), now=NOW)
    warning = open_codes(custody)["2d-judicial-authority-time-unverified"]
    assert warning.severity == "warning" and "Check the papers" in warning.message
    authority = JudicialAuthority.objects.get()
    services.judicial_authority_confirm(
        authority=authority, received_at=at(5) + timedelta(minutes=30), by=clerk, now=NOW
    )
    findings = open_codes(custody)
    assert "2d-judicial-authority-time-unverified" not in findings
    assert "30 minutes past eligibility" in findings[HELD_ON_HOLD].message  # the corrected time tells the truth
