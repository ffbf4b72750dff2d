"""Bad input gets an error naming the field and leaves the database unchanged; duplicates; voiding."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from detainers import selectors, services
from detainers.models import Custody, Detainer, DetainerReason, InformationRequest, Person, Reimbursement
from tests.detainers.conftest import NOW, TZ, at
from welcoming.local_time import local_datetime
from welcoming.models import Finding
from welcoming.roles import Role


def fields_of(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)


def test_a_release_before_booking_is_refused(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.custody_release(
            custody=custody, at=at(-1), eligible_at=at(-2), eligibility_reason="bail_posted", by=clerk, now=NOW
        )
    assert fields_of(error) & {"released_at", "eligible_for_release_at"}
    custody.refresh_from_db()
    assert custody.released_at is None and custody.eligible_for_release_at is None


def test_a_release_without_eligibility_is_refused(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.custody_release(custody=custody, at=at(3), by=clerk, now=NOW)
    assert fields_of(error) == {"eligible_for_release_at"}
    custody.refresh_from_db()
    assert custody.released_at is None


def test_the_database_itself_refuses_a_release_before_booking(custody):
    with pytest.raises(IntegrityError), transaction.atomic():
        Custody.objects.filter(pk=custody.pk).update(released_at=at(-1))


def test_a_lodged_time_in_the_future_is_refused(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=NOW + timedelta(minutes=5),
            received_via="fax",
            reasons=[("final_order", "")],
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"lodged_at"}
    assert not Detainer.objects.exists()


@pytest.mark.parametrize(
    ("reasons", "message"),
    [
        ([("sinister", "")], "Unknown reason code: sinister"),
        ([], "Tick at least one reason"),
        ([("not_stated", ""), ("final_order", "")], "cannot be combined"),
        ([("other", "")], "Say what the other reason is"),
    ],
)
def test_bad_reasons_are_refused_and_nothing_is_half_saved(custody, clerk, reasons, message):
    with pytest.raises(ValidationError) as error:
        services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=at(1),
            received_via="fax",
            reasons=reasons,
            by=clerk,
            now=NOW,
        )
    assert message in str(error.value)
    assert not Detainer.objects.exists() and not DetainerReason.objects.exists()


@pytest.mark.parametrize("reference", ["A123456789", "A-123-456-789", "a 12345678", "ref A#123456789"])
def test_an_a_number_is_refused_as_federal_reference(custody, clerk, reference):
    with pytest.raises(ValidationError) as error:
        services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=at(1),
            received_via="fax",
            reasons=[("final_order", "")],
            federal_reference=reference,
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"federal_reference"} and "A-number" in str(error.value)


def test_an_a_number_is_refused_as_an_information_requests_reference(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.information_request_create(
            custody=custody,
            agency="ICE ERO Boston",
            received_at=at(1),
            received_via="phone",
            federal_reference="A123456789",
            items=[{"item": "home_address", "disclosed": False}],
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"federal_reference"} and "A-number" in str(error.value)
    assert not InformationRequest.objects.exists()


def test_an_ice_subject_id_is_accepted(custody, clerk):
    detainer = services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=at(1),
        received_via="fax",
        reasons=[("final_order", "")],
        federal_reference="SUBJ-4471902",
        by=clerk,
        now=NOW,
    )
    assert detainer.federal_reference == "SUBJ-4471902"


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "see <b>here</b>", "javascript:alert(1)"])
def test_html_or_script_in_text_is_refused(custody, clerk, text):
    with pytest.raises(ValidationError) as error:
        services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=at(1),
            received_via="fax",
            reasons=[("final_order", "")],
            notes=text,
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"notes"}


def test_a_less_than_sign_in_plain_text_is_fine(person, clerk):
    assert services.person_update(person=person, full_name="Maria <3 Example".replace("<3", "< 3"), by=clerk)


def test_a_disclosure_of_an_item_not_asked_for_is_refused(custody, clerk):
    with pytest.raises(ValidationError, match="disclosed but not asked for"):
        services.information_request_create(
            custody=custody,
            agency="ICE",
            received_at=at(2),
            received_via="phone",
            by=clerk,
            now=NOW,
            items=[{"item": "home_address", "asked": False, "disclosed": True}],
        )
    assert not InformationRequest.objects.exists()


def test_the_form_decides_the_kind(lodge):
    assert lodge(form="I-247A").kind == "immigration_detainer"
    assert lodge(form="I-200").kind == "administrative_warrant"
    assert lodge(form="release_inquiry", reasons=[("not_stated", "")]).kind == "notification_request"
    assert lodge(form="other", kind="administrative_warrant").kind == "administrative_warrant"
    with pytest.raises(ValidationError) as error:
        lodge(form="other")
    assert fields_of(error) == {"kind"}


def test_documents_lodged_together_share_a_lodging(lodge):
    detainer = lodge(form="I-247A")
    warrant = lodge(form="I-200", lodged_with=detainer)
    assert warrant.lodging == detainer.lodging and lodge(form="I-203").lodging != detainer.lodging


def test_a_negative_reimbursement_and_a_docket_number_label_are_refused(db, clerk):
    with pytest.raises(ValidationError) as error:
        services.reimbursement_create(
            amount=Decimal("-1.00"), received_on=NOW.date(), program="scaap", by=clerk, now=NOW
        )
    assert fields_of(error) == {"amount"}
    with pytest.raises(ValidationError) as error:
        services.reimbursement_create(
            amount=Decimal("100.00"),
            received_on=NOW.date(),
            program="per_case",
            case_label="2281CR000123",
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"case_label"}
    assert not Reimbursement.objects.exists()


@pytest.mark.parametrize(
    ("label", "refused"),
    [
        ("Ana Ruiz", True),
        ("SCAAP 2025 — ANA RUIZ", True),
        ("ana ruíz, per case", True),
        ("jose garcia (transport)", True),  # "José García" on record: accents and case do not hide it
        ("Ruiz", False),  # a surname alone is not the whole name
        ("Banana Ruizes", False),  # nor are words that merely contain it
        ("HPD-2025-0042", False),
    ],
)
def test_a_case_label_that_names_someone_on_record_is_refused(db, clerk, label, refused):
    """Case labels are published with the report: a name of anyone on record, as whole words, is refused."""
    services.person_create(full_name="Ana Ruiz", by=clerk)
    services.person_create(full_name="José García", by=clerk)

    def create():
        return services.reimbursement_create(
            amount=Decimal("10.00"), received_on=NOW.date(), program="per_case", case_label=label, by=clerk, now=NOW
        )

    if refused:
        with pytest.raises(ValidationError, match="holds the name of someone on record") as error:
            create()
        assert fields_of(error) == {"case_label"} and not Reimbursement.objects.exists()
    else:
        assert create().case_label == label


# --- Local times around daylight-saving changes ---------------------------------------------------------------


def test_a_local_time_that_does_not_exist_is_refused():
    with pytest.raises(ValidationError, match="does not exist"):
        local_datetime(datetime(2026, 3, 8, 2, 30), zone="America/New_York", field="lodged_at")


def test_an_ambiguous_local_time_asks_which_and_honours_the_answer():
    with pytest.raises(ValidationError, match="happened twice"):
        local_datetime(datetime(2026, 11, 1, 1, 30), zone="America/New_York")
    first = local_datetime(datetime(2026, 11, 1, 1, 30), zone="America/New_York", fold=0)
    second = local_datetime(datetime(2026, 11, 1, 1, 30), zone="America/New_York", fold=1)
    assert second - first == timedelta(hours=1)
    assert (first.hour, second.hour) == (5, 6)  # in UTC: 01:30 daylight time, then 01:30 standard time


def test_an_ordinary_local_time_is_read_in_the_town_zone():
    moment = local_datetime(datetime(2026, 7, 4, 23, 30), zone="America/New_York")
    assert moment == datetime(2026, 7, 4, 23, 30, tzinfo=TZ)


# --- Duplicates and merge -------------------------------------------------------------------------------------


def test_duplicates_are_flagged_by_department_id_or_name_and_birth_date(person, clerk):
    same_id = services.person_create(full_name="M. Example", department_id="hpd-1001", by=clerk)
    same_name = services.person_create(full_name="maria example", date_of_birth=person.date_of_birth, by=clerk)
    other = services.person_create(full_name="Maria Example", date_of_birth=datetime(1991, 1, 1).date(), by=clerk)
    assert set(selectors.person_possible_duplicates(person)) == {same_id, same_name}
    assert other not in selectors.person_possible_duplicates(person)


def test_merging_moves_custody_and_keeps_history(person, custody, clerk):
    duplicate = services.person_create(full_name="Maria Example", department_id="HPD-1001", by=clerk)
    second = services.custody_create(person=duplicate, booked_at=at(100), basis="criminal_charge", by=clerk, now=NOW)
    services.person_merge(keep=person, duplicate=duplicate, by=clerk)
    second.refresh_from_db()
    duplicate.refresh_from_db()
    assert second.person == person and duplicate.merged_into == person
    assert set(Person.objects.current()) == {person}
    assert second.history.earliest().person_id == duplicate.pk  # where it was before
    with pytest.raises(ValidationError):
        services.custody_create(person=duplicate, booked_at=at(200), basis="criminal_charge", by=clerk, now=NOW)


# --- Voiding ------------------------------------------------------------------------------------------------


def test_a_clerk_voids_their_own_record_without_violations(custody, lodge, clerk):
    detainer = lodge(copy_served_at=at(2))
    services.record_void(record=detainer, by=clerk, reason="Duplicate fax.", now=NOW)
    assert Detainer.objects.active().count() == 0 and Detainer.objects.count() == 1


def test_a_clerk_cannot_void_a_record_with_an_open_violation_or_someone_elses(custody, lodge, clerk, make_staff):
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    detainer = lodge(copy_served_at=at(2))  # lodged before eligibility: the 2(d) violation opens on the custody
    assert Finding.objects.of_record(custody).unresolved().exists()
    with pytest.raises(PermissionDenied, match="open violation"):
        services.record_void(record=custody, by=clerk, reason="Oops", now=NOW)
    other_clerk = make_staff("other", Role.RECORDS_CLERK)
    with pytest.raises(PermissionDenied, match="only records you entered"):
        services.record_void(record=detainer, by=other_clerk, reason="Oops", now=NOW)
    chief = make_staff("chief", Role.POLICE_CHIEF)
    services.record_void(record=custody, by=chief, reason="Booked twice by mistake.", now=NOW)
    assert not Finding.objects.of_record(custody).unresolved().exists()


def test_voiding_needs_a_reason(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.record_void(record=custody, by=clerk, reason=" ", now=NOW)
    assert fields_of(error) == {"void_reason"}


# --- What the review of the rules found -------------------------------------------------------------------------


def test_the_clerk_cannot_void_the_detainer_behind_a_custody_violation(custody, lodge, clerk):
    detainer = lodge(copy_served_at=at(2))
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    with pytest.raises(PermissionDenied, match="open violation"):
        services.record_void(record=detainer, by=clerk, reason="Oops", now=NOW)
    assert Finding.objects.of_record(custody).unresolved().exists()


def test_eligibility_cannot_be_moved_after_the_custody_ended_and_needs_a_reason(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.custody_eligible(custody=custody, at=at(2), reason="", by=clerk, now=NOW)
    assert fields_of(error) == {"eligibility_reason"}
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    with pytest.raises(ValidationError) as error:
        services.custody_eligible(custody=custody, at=at(6), reason="bail_posted", by=clerk, now=NOW)
    assert fields_of(error) == {"eligible_for_release_at"}


def test_a_transfer_needs_its_authority_and_cannot_come_before_eligibility(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.custody_transfer_to_ice(
            custody=custody,
            at=at(6),
            authority="",
            eligible_at=at(5),
            eligibility_reason="release_ordered",
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"transfer_authority"}
    with pytest.raises(ValidationError) as error:
        services.custody_transfer_to_ice(
            custody=custody,
            at=at(4),
            authority="court_order",
            authority_received_at=at(3),
            eligible_at=at(5),
            eligibility_reason="release_ordered",
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"transferred_to_ice_at"}


def test_a_detainer_is_lodged_within_its_custody(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=at(-1),
            received_via="fax",
            reasons=[("final_order", "")],
            by=clerk,
            now=NOW,
        )
    assert fields_of(error) == {"lodged_at"}
    services.custody_release(
        custody=custody, at=at(5), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    with pytest.raises(ValidationError, match="already left this custody"):
        services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=at(6),
            received_via="fax",
            reasons=[("final_order", "")],
            by=clerk,
            now=NOW,
        )


def test_a_void_record_can_no_longer_be_changed(custody, lodge, clerk):
    detainer = lodge(copy_served_at=at(2))
    services.record_void(record=detainer, by=clerk, reason="Duplicate fax.", now=NOW)
    with pytest.raises(ValidationError, match="void"):
        services.detainer_update(detainer=detainer, notes="later", by=clerk, now=NOW)


def test_a_basis_without_a_disclosure_is_refused_by_field(custody, clerk):
    with pytest.raises(ValidationError) as error:
        services.information_request_create(
            custody=custody,
            agency="ICE",
            received_at=at(2),
            received_via="phone",
            by=clerk,
            now=NOW,
            items=[{"item": "home_address", "disclosed": False, "basis": "public_record"}],
        )
    assert fields_of(error) == {"items"}
