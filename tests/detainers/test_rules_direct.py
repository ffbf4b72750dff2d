"""Each of clause 2's police-record rules called directly, on unsaved records, on both sides of every line of its
clause: a rule reads only its record and the context, so none of this touches the database."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from detainers import rules
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    AssistanceSupport,
    Custody,
    Detainer,
    InformationItem,
    InformationRequest,
    JudicialAuthority,
    Person,
)
from welcoming.findings import RuleContext
from welcoming.models import Municipality

TZ = ZoneInfo("America/New_York")
BOOKED = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)


def at(hours: float) -> datetime:
    return BOOKED + timedelta(hours=hours)


def context(now=None, *, known=None, **town) -> RuleContext:
    """The context a pass would build, with nothing precomputed unless given (every name the rules read)."""
    names = (rules.HOLD_DETENTION, rules.JUDICIAL_AUTHORITIES, rules.ITEMS, rules.SUPPORTS)
    return RuleContext(
        now=now or at(48),
        town=Municipality(**({"time_zone": "America/New_York"} | town)),
        known={name: {} for name in names} | (known or {}),
    )


def custody(**fields) -> Custody:
    values = {"pk": 7, "person": Person(full_name="Maria Example"), "booked_at": BOOKED, "basis": "criminal_charge"}
    return Custody(**(values | fields))


def codes(found) -> list[str]:
    return [draft.code for draft in found]


# --- 2(d): held on a hold -------------------------------------------------------------------------------------


def test_2d_no_detention_on_a_hold_no_finding():
    assert codes(rules.detained_on_hold(custody(eligible_for_release_at=at(5)), context())) == []


def test_2d_a_detention_past_eligibility_is_a_violation_that_counts_its_minutes():
    record = custody(eligible_for_release_at=at(5), released_at=at(5) + timedelta(minutes=1))
    known = {rules.HOLD_DETENTION: {7: (at(5), at(5) + timedelta(minutes=1), None)}}
    [draft] = rules.detained_on_hold(record, context(known=known))
    assert (draft.section, draft.severity, draft.occurred_at) == ("2(d)", "violation", at(5))
    assert draft.message == (
        "Maria Example stayed in custody 1 minute past eligibility for release, with an ICE hold open when they "
        "became eligible."
    )
    assert "judicial_authority_received_at" not in draft.facts


def test_2d_still_held_says_so():
    known = {rules.HOLD_DETENTION: {7: (at(5), at(7), None)}}
    [draft] = rules.detained_on_hold(custody(eligible_for_release_at=at(5)), context(at(7), known=known))
    assert draft.message.endswith(
        "120 minutes past eligibility for release, with an ICE hold open when they became eligible, and is still held."
    )


def test_2d_a_detention_ended_by_a_judicial_warrant_says_until_when_and_keeps_its_time():
    known = {rules.HOLD_DETENTION: {7: (at(5), at(6), at(6))}}
    [draft] = rules.detained_on_hold(custody(eligible_for_release_at=at(5)), context(known=known))
    assert "until a judicial warrant or court order was received" in draft.message
    assert draft.facts["judicial_authority_received_at"] == at(6)


def test_2d_booked_on_a_hold_alone_is_a_violation_from_the_booking():
    known = {rules.HOLD_DETENTION: {7: (BOOKED, at(1), None)}}
    [draft] = rules.detained_on_hold(custody(basis="detainer_only", released_at=at(1)), context(known=known))
    assert draft.message == "Maria Example was taken into custody on the basis “ICE detainer only”."


def test_2d_a_voided_custody_is_checked_against_nothing():
    known = {rules.HOLD_DETENTION: {7: (BOOKED, at(1), None)}}
    voided = custody(basis="detainer_only", voided_at=at(2))
    assert codes(rules.detained_on_hold(voided, context(known=known))) == []


# --- 2(c): transfer to ICE ------------------------------------------------------------------------------------


def warrant(received_at, **fields) -> JudicialAuthority:
    return JudicialAuthority(kind="judicial_warrant", received_at=received_at, **fields)


def transferred(authority: str) -> Custody:
    return custody(transferred_to_ice_at=at(3), transfer_authority=authority)


def test_2c_a_transfer_on_a_judicial_warrant_received_by_then_is_lawful():
    known = {rules.JUDICIAL_AUTHORITIES: {7: [warrant(at(3))]}}
    assert (
        codes(rules.transferred_without_judicial_authority(transferred("judicial_warrant"), context(known=known))) == []
    )


def test_2c_a_judicial_warrant_received_after_the_transfer_does_not_excuse_it():
    known = {rules.JUDICIAL_AUTHORITIES: {7: [warrant(at(3) + timedelta(minutes=1))]}}
    [draft] = rules.transferred_without_judicial_authority(transferred("judicial_warrant"), context(known=known))
    assert draft.message.endswith("but no judicial warrant or court order received by then is on record.")


def test_2c_a_voided_warrant_is_no_authority():
    known = {rules.JUDICIAL_AUTHORITIES: {7: [warrant(at(1), voided_at=at(2))]}}
    assert codes(rules.transferred_without_judicial_authority(transferred("court_order"), context(known=known))) == [
        "2c-transfer-without-judicial-authority"
    ]


def test_2c_a_transfer_on_a_detainer_is_a_violation_whatever_is_on_file():
    known = {rules.JUDICIAL_AUTHORITIES: {7: [warrant(at(1))]}}
    [draft] = rules.transferred_without_judicial_authority(transferred("detainer"), context(known=known))
    assert (
        draft.message
        == "Maria Example was transferred to ICE on “ICE detainer”, without a judicial warrant or court order."
    )


def test_2c_no_transfer_no_finding():
    assert codes(rules.transferred_without_judicial_authority(custody(), context())) == []


def test_2d_a_judicial_authority_with_an_inferred_time_is_a_warning_in_the_towns_time():
    known = {rules.JUDICIAL_AUTHORITIES: {7: [warrant(at(2), time_assumed=True), warrant(at(1))]}}
    [draft] = rules.judicial_authority_time_unverified(custody(), context(known=known))
    assert draft.severity == "warning" and "it was taken to be judicial warrant 2026-03-02 10:00." in draft.message
    [chicago] = rules.judicial_authority_time_unverified(custody(), context(known=known, time_zone="America/Chicago"))
    assert "judicial warrant 2026-03-02 09:00." in chicago.message
    known = {rules.JUDICIAL_AUTHORITIES: {7: [warrant(at(2), time_assumed=True, voided_at=at(3))]}}
    assert codes(rules.judicial_authority_time_unverified(custody(), context(known=known))) == []


# --- 2(g): the copy ---------------------------------------------------------------------------------------------


def detainer(**fields) -> Detainer:
    values = {"custody": custody(), "form": "I-247A", "kind": "immigration_detainer", "lodged_at": at(1)}
    return Detainer(**(values | fields))


def test_2g_a_copy_served_within_the_hours_or_not_yet_due_is_no_finding():
    assert codes(rules.copy_not_served(detainer(copy_served_at=at(25)), context())) == []
    assert codes(rules.copy_not_served(detainer(), context(at(25)))) == []


def test_2g_a_copy_not_served_by_the_deadline_is_a_violation_from_the_deadline():
    [draft] = rules.copy_not_served(detainer(), context(at(25) + timedelta(minutes=1)))
    assert (draft.code, draft.occurred_at) == ("2g-copy-not-served", at(25))
    [late] = rules.copy_not_served(detainer(copy_served_at=at(26)), context())
    assert "was served at" in late.message


def test_2g_the_towns_hours_set_the_deadline():
    assert codes(rules.copy_not_served(detainer(copy_served_at=at(26)), context(detainer_copy_hours=48))) == []


def test_2g_leaving_custody_first_brings_the_deadline_forward():
    left_early = detainer(custody=custody(released_at=at(4)), copy_served_at=at(5))
    [draft] = rules.copy_not_served(left_early, context())
    assert draft.facts["deadline"] == at(4)


# --- 2(e): information ----------------------------------------------------------------------------------------


def test_2e_answering_a_notification_request_by_telling_ice_is_a_violation():
    told = detainer(form="I-247N", kind="notification_request", response="ice_notified", responded_at=at(30))
    assert codes(rules.notification_answered(told, context())) == ["2e-ice-notified-of-release"]
    declined = detainer(form="I-247N", kind="notification_request", response="declined")
    assert codes(rules.notification_answered(declined, context())) == []


def information_request(*items: InformationItem) -> tuple[InformationRequest, RuleContext]:
    request = InformationRequest(pk=3, custody=custody(), agency="ICE ERO", received_at=at(2))
    return request, context(known={rules.ITEMS: {3: list(items)}})


def test_2e_restricted_information_disclosed_without_a_basis_is_a_violation():
    request, ctx = information_request(InformationItem(item="home_address", asked=True, disclosed=True, basis="none"))
    assert codes(rules.restricted_information_disclosed(request, ctx)) == ["2e-disclosed-home_address"]


def test_2e_a_public_record_or_a_court_order_is_a_basis_and_withheld_is_no_disclosure():
    request, ctx = information_request(
        InformationItem(item="home_address", asked=True, disclosed=True, basis="public_record"),
        InformationItem(item="work_address", asked=True, disclosed=True, basis="judicial_order"),
        InformationItem(item="hearing_information", asked=True, disclosed=False),
    )
    assert codes(rules.restricted_information_disclosed(request, ctx)) == []


# --- 2(h): access -----------------------------------------------------------------------------------------------


def access(**fields) -> AccessRequest:
    values = {"custody": custody(), "agency": "ICE ERO", "requested_at": at(2), "mode": "telephone"}
    return AccessRequest(**(values | fields))


def test_2h_access_granted_without_a_judicial_warrant_is_a_violation():
    [draft] = rules.access_without_judicial_authority(access(granted=True), context())
    assert (
        draft.message
        == "ICE ERO was given telephone access to Maria Example without a judicial warrant or court order."
    )


def test_2h_access_refused_or_on_a_judicial_warrant_is_lawful():
    assert codes(rules.access_without_judicial_authority(access(granted=False), context())) == []
    lawful = access(granted=True, judicial_warrant_or_court_order=True)
    assert codes(rules.access_without_judicial_authority(lawful, context())) == []


# --- 2(j) and 2(k): federal operations ----------------------------------------------------------------------------


def assistance(*supports: AssistanceSupport, **fields) -> tuple[AssistanceRequest, RuleContext]:
    request = AssistanceRequest(pk=5, agency="HSI", requested_at=at(2), **fields)
    return request, context(known={rules.SUPPORTS: {5: list(supports)}})


def test_2j_support_the_ordinance_allows_is_no_finding():
    request, ctx = assistance(
        AssistanceSupport(kind="traffic_control", provided=True), AssistanceSupport(kind="transport", provided=False)
    )
    assert codes(rules.support_beyond_allowed(request, ctx)) == []


def test_2j_support_beyond_it_is_a_violation_naming_what_was_given():
    request, ctx = assistance(AssistanceSupport(kind="detention_or_arrest", provided=True))
    [draft] = rules.support_beyond_allowed(request, ctx)
    assert draft.message == "Officers gave HSI support beyond what the ordinance allows: detention or arrest."


def test_2k_performing_an_immigration_officers_functions_is_a_violation():
    request, ctx = assistance(deputized_functions=True)
    assert codes(rules.deputized_functions(request, ctx)) == ["2k-immigration-officer-functions"]
    request, ctx = assistance(deputized_functions=False)
    assert codes(rules.deputized_functions(request, ctx)) == []
