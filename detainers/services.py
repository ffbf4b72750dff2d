"""Every write of the detainers app: keyword-only, one transaction each, validated before it is saved.

After each write the records it touches are checked against the ordinance (`findings_reconcile`), so a breach
is a finding the moment it is recorded. Times must be timezone-aware; `welcoming.local_time` turns a clerk's
wall-clock time into one, refusing times that do not exist and asking about ambiguous ones.

Why one module over 400 lines: every write of the seven kinds hangs on one custody and its lock, and a change to
one (a release, a transfer, a void) re-checks the others; the import's writes are here for the same reason.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from detainers import validators
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    AssistanceSupport,
    Custody,
    Detainer,
    DetainerReason,
    InformationItem,
    InformationRequest,
    JudicialAuthority,
    Person,
    Reimbursement,
)
from detainers.selectors import HOLD_ONLY_BASES, JUDICIAL_AUTHORITY
from welcoming.acting import require, require_that, requires
from welcoming.attachments import attachment_add
from welcoming.findings import findings_reconcile
from welcoming.models import Finding
from welcoming.retention import PURGED
from welcoming.saving import lock, save

CHANGE = "welcoming.change_police_records"
may_enter = requires(CHANGE, message="Only the records clerk enters and changes police records.")

# The form decides the kind (DESIGN.md section 3); `other` leaves it to the clerk.
KIND_OF_FORM = {
    Detainer.Form.I_247A: Detainer.Kind.IMMIGRATION_DETAINER,
    Detainer.Form.I_247D: Detainer.Kind.IMMIGRATION_DETAINER,
    Detainer.Form.I_247X: Detainer.Kind.IMMIGRATION_DETAINER,
    Detainer.Form.I_247N: Detainer.Kind.NOTIFICATION_REQUEST,
    Detainer.Form.RELEASE_INQUIRY: Detainer.Kind.NOTIFICATION_REQUEST,
    Detainer.Form.I_200: Detainer.Kind.ADMINISTRATIVE_WARRANT,
    Detainer.Form.I_203: Detainer.Kind.ADMINISTRATIVE_WARRANT,
    Detainer.Form.I_205: Detainer.Kind.ADMINISTRATIVE_WARRANT,
}


def _require_aware(**moments) -> None:
    for name, moment in moments.items():
        if moment is not None and timezone.is_naive(moment):
            raise ValidationError({name: "A time must carry its time zone (local times go through local_time)."})


def _not_in_future(now, **moments) -> None:
    errors = {name: "This time is in the future." for name, moment in moments.items() if moment and moment > now}
    if errors:
        raise ValidationError(errors)


def _not_void(record) -> None:
    if record.voided_at is not None:
        raise ValidationError("This record is void: it can no longer be changed.")


def _reconcile(*records, now=None) -> None:
    now = now or timezone.now()
    for record in records:
        findings_reconcile(record=record, now=now)


# --- Persons ------------------------------------------------------------------------------------------------


@transaction.atomic
@may_enter
def person_create(*, full_name: str, date_of_birth=None, department_id: str = "", by) -> Person:
    """Create a person. Possible duplicates are for the caller to show: `selectors.person_possible_duplicates`."""
    return save(
        Person(
            full_name=full_name.strip(), date_of_birth=date_of_birth, department_id=department_id.strip(), created_by=by
        ),
        by=by,
    )


@transaction.atomic
@may_enter
def person_update(*, person: Person, by, **fields) -> Person:
    lock(person)
    for name, value in fields.items():
        if name not in {"full_name", "date_of_birth", "department_id"}:
            raise ValidationError({name: "This field cannot be changed here."})
        setattr(person, name, value)
    return save(person, by=by)


@transaction.atomic
@may_enter
def person_merge(*, keep: Person, duplicate: Person, by) -> Person:
    """Merge a duplicate into the record kept: its custody records move over; it stays, marked as merged, with
    its history, so figures 4(b) and 4(c) count one person."""
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": "A person cannot be merged into themselves."})
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError({"duplicate": "One of these records was already merged."})
    for custody in Custody.objects.filter(person=duplicate):
        custody.person = keep
        save(custody, by=by)
    if not keep.department_id and duplicate.department_id:
        keep.department_id = duplicate.department_id
    if not keep.date_of_birth and duplicate.date_of_birth:
        keep.date_of_birth = duplicate.date_of_birth
    save(keep, by=by)
    duplicate.merged_into = keep
    save(duplicate, by=by)
    return keep


@transaction.atomic
@may_enter
def book_person(
    *,
    full_name: str,
    date_of_birth,
    department_id: str,
    booked_at,
    basis: str,
    booking_number: str = "",
    by,
    now=None,
) -> Custody:
    """A new person and their custody, in one step (the intake screen's “book a person”)."""
    person = person_create(full_name=full_name, date_of_birth=date_of_birth, department_id=department_id, by=by)
    return custody_create(
        person=person, booked_at=booked_at, basis=basis, booking_number=booking_number, by=by, now=now
    )


# --- Custody ------------------------------------------------------------------------------------------------


@transaction.atomic
@may_enter
def custody_create(
    *,
    person: Person,
    booked_at: datetime,
    basis: str,
    booking_number: str = "",
    by,
    now: datetime | None = None,
    import_key: tuple[str, str] | None = None,
) -> Custody:
    now = now or timezone.now()
    _require_aware(booked_at=booked_at)
    _not_in_future(now, booked_at=booked_at)
    if person.merged_into_id:
        raise ValidationError({"person": "This record was merged into another: book the person kept."})
    source, external_id = import_key or ("", "")
    custody = save(
        Custody(
            person=person,
            booked_at=booked_at,
            basis=basis,
            booking_number=booking_number.strip(),
            created_by=by,
            import_source=source,
            external_id=external_id,
        ),
        by=by,
    )
    _reconcile(custody, now=now)
    return custody


@transaction.atomic
@may_enter
def custody_eligible(*, custody: Custody, at: datetime, reason: str, by, now=None) -> Custody:
    """The moment the person could have walked out (bail posted, charges dismissed, release ordered…)."""
    now = now or timezone.now()
    _require_aware(eligible_for_release_at=at)
    _not_in_future(now, eligible_for_release_at=at)
    lock(custody)
    _not_void(custody)
    if custody.left_at is not None:
        raise ValidationError(
            {"eligible_for_release_at": "This custody has ended: its eligibility for release can no longer be moved."}
        )
    if not reason:
        raise ValidationError({"eligibility_reason": "Say why the person became eligible for release."})
    if at < custody.booked_at:
        raise ValidationError({"eligible_for_release_at": "Eligibility for release cannot come before booking."})
    custody.eligible_for_release_at, custody.eligibility_reason = at, reason
    save(custody, by=by)
    _reconcile(custody, *custody.detainers.all(), now=now)
    return custody


def _end_custody(custody, *, field, at, eligible_at, eligibility_reason, delay_reason, now):
    """What a release and a transfer share: times checked, eligibility for release known (asked for whenever a
    custody ends, since 2(d) turns on it), and the end not before booking."""
    _require_aware(**{field: at, "eligible_for_release_at": eligible_at})
    _not_in_future(now, **{field: at, "eligible_for_release_at": eligible_at})
    _not_void(custody)
    if custody.left_at is not None:
        raise ValidationError("This custody has already ended.")
    # A booking on a hold alone has no local charge to become eligible on: there is nothing to ask.
    hold_only = custody.basis in HOLD_ONLY_BASES
    if eligible_at is None and custody.eligible_for_release_at is None and not hold_only:
        raise ValidationError(
            {
                "eligible_for_release_at": "Say when the person became eligible for release (bail "
                "posted, charges dismissed, release ordered, sentence "
                "served): the ordinance turns on it."
            }
        )
    if eligible_at is not None:
        if eligible_at < custody.booked_at:
            raise ValidationError({"eligible_for_release_at": "Eligibility for release cannot come before booking."})
        custody.eligible_for_release_at = eligible_at
        custody.eligibility_reason = eligibility_reason or custody.eligibility_reason
    if custody.eligible_for_release_at is not None and not custody.eligibility_reason:
        raise ValidationError({"eligibility_reason": "Say why the person became eligible for release."})
    if at < custody.booked_at:
        raise ValidationError({field: "The custody cannot end before booking."})
    if custody.eligible_for_release_at is not None and at < custody.eligible_for_release_at:
        raise ValidationError({field: "The custody cannot end before the person was eligible for release."})
    custody.delay_reason = delay_reason or custody.delay_reason


@transaction.atomic
@may_enter
def custody_release(
    *,
    custody: Custody,
    at: datetime,
    eligible_at: datetime | None = None,
    eligibility_reason: str = "",
    delay_reason: str = "",
    by,
    now=None,
) -> Custody:
    """Record a release; eligibility for release must be known."""
    now = now or timezone.now()
    lock(custody)
    _end_custody(
        custody,
        field="released_at",
        at=at,
        eligible_at=eligible_at,
        eligibility_reason=eligibility_reason,
        delay_reason=delay_reason,
        now=now,
    )
    custody.released_at = at
    save(custody, by=by)
    _reconcile(custody, *custody.detainers.all(), now=now)
    return custody


@transaction.atomic
@may_enter
def custody_transfer_to_ice(
    *,
    custody: Custody,
    at: datetime,
    authority: str,
    authority_received_at: datetime | None = None,
    eligible_at: datetime | None = None,
    eligibility_reason: str = "",
    delay_reason: str = "",
    by,
    now=None,
) -> Custody:
    """Record a transfer to ICE custody and the authority for it (2(c): only a judicial warrant or court order).
    A judicial warrant or court order is recorded on the custody with the moment it was received, which the
    transfer cannot precede; it ends any detention on a hold from that moment, never before (2(d))."""
    now = now or timezone.now()
    lock(custody)
    if not authority:
        raise ValidationError({"transfer_authority": "Say on what authority the person was transferred."})
    judicial = authority in JUDICIAL_AUTHORITY
    _judicial_time_given(judicial, authority_received_at, field="authority_received_at")
    _end_custody(
        custody,
        field="transferred_to_ice_at",
        at=at,
        eligible_at=eligible_at,
        eligibility_reason=eligibility_reason,
        delay_reason=delay_reason,
        now=now,
    )
    if judicial:
        _require_aware(authority_received_at=authority_received_at)
        _not_in_future(now, authority_received_at=authority_received_at)
        if authority_received_at > at:
            raise ValidationError(
                {"authority_received_at": "The judicial warrant or court order must be received by the transfer."}
            )
        _judicial_authority_add(
            custody=custody,
            kind=authority,
            received_at=authority_received_at,
            came_with=None,
            by=by,
            now=now,
            field="authority_received_at",
        )
    custody.transferred_to_ice_at, custody.transfer_authority = at, authority
    save(custody, by=by)
    _reconcile(custody, *custody.detainers.all(), now=now)
    return custody


# --- Judicial authority (DESIGN.md section 3: it belongs to the custody, with the moment it was received) ------


def _judicial_authority_add(
    *, custody, kind, received_at, came_with, by, now, field: str = "received_at"
) -> JudicialAuthority:
    """Checks and saves one judicial warrant or court order; the caller reconciles what it touches. `field` names
    the time in the caller's own terms, so a refusal shows beside the box the clerk typed it in."""
    _not_void(custody)
    if kind not in JudicialAuthority.Kind.values:
        raise ValidationError({"kind": "Choose a judicial warrant or a court order."})
    if came_with is not None and came_with.custody_id != custody.pk:
        raise ValidationError({"came_with": "The document it came with belongs to another custody."})
    _received_time_checked(custody=custody, received_at=received_at, came_with=came_with, field=field, now=now)
    return save(
        JudicialAuthority(
            custody=custody,
            kind=kind,
            received_at=received_at,
            came_with=came_with,
            time_assumed=False,
            created_by=by,
        ),
        by=by,
    )


def _received_time_checked(*, custody, received_at, came_with, field, now) -> None:
    """When a judicial authority was received: not in the future, not before the booking or the document it came
    with, and not after the custody ended (a release, or the transfer it backs)."""
    _require_aware(**{field: received_at})
    _not_in_future(now, **{field: received_at})
    if received_at < custody.booked_at:
        raise ValidationError(
            {field: "It cannot be received before the booking; if it was in hand then, give the booking's time."}
        )
    if custody.left_at is not None and received_at > custody.left_at:
        raise ValidationError({field: "It must be received by the transfer or release that ended the custody."})
    if came_with is not None and received_at < came_with.lodged_at:
        raise ValidationError({field: "It cannot be received before the document it came with was lodged."})


def _judicial_time_given(claimed: bool, received_at, *, field: str) -> None:
    """A judicial warrant or court order claimed comes with the moment it was received; none claimed, no moment."""
    if claimed and received_at is None:
        raise ValidationError(
            {
                field: "Say when the judicial warrant or court order was received: it backs the custody from that "
                "moment, not before, and detention on an ICE hold until then is still detention."
            }
        )
    if not claimed and received_at is not None:
        raise ValidationError({field: "Give this time only for a judicial warrant or court order."})


@transaction.atomic
@may_enter
def judicial_authority_record(
    *, custody: Custody, kind: str, received_at: datetime, came_with: Detainer | None = None, by, now=None
) -> JudicialAuthority:
    """A judicial warrant or court order received for the person in this custody, alone or with a document."""
    now = now or timezone.now()
    lock(custody)
    authority = _judicial_authority_add(
        custody=custody, kind=kind, received_at=received_at, came_with=came_with, by=by, now=now
    )
    _reconcile(custody, *custody.detainers.all(), now=now)
    return authority


@transaction.atomic
@may_enter
def judicial_authority_confirm(
    *, authority: JudicialAuthority, received_at: datetime, by, now=None
) -> JudicialAuthority:
    """Confirm or correct the time of a judicial authority whose time was inferred when it was first recorded."""
    now = now or timezone.now()
    lock(authority)
    _not_void(authority)
    custody = authority.custody
    _received_time_checked(
        custody=custody, received_at=received_at, came_with=authority.came_with, field="received_at", now=now
    )
    authority.received_at, authority.time_assumed = received_at, False
    save(authority, by=by)
    _reconcile(custody, *custody.detainers.all(), now=now)
    return authority


@may_enter
def custody_import(*, person: Person, import_source: str, external_id: str, values: dict, by, now=None) -> Custody:
    """A booking from an import: booked, then eligible, released or transferred as the row says, through the
    same services (and checks) as the screens."""
    now = now or timezone.now()
    custody = custody_create(
        person=person,
        booked_at=values["booked_at"],
        basis=values["basis"],
        booking_number=values["booking_number"],
        by=by,
        now=now,
        import_key=(import_source, external_id),
    )
    end = {
        "eligible_at": values["eligible_for_release_at"],
        "eligibility_reason": values["eligibility_reason"],
        "delay_reason": values["delay_reason"],
        "by": by,
        "now": now,
    }
    if values["released_at"]:
        custody_release(custody=custody, at=values["released_at"], **end)
    elif values["transferred_to_ice_at"]:
        custody_transfer_to_ice(
            custody=custody,
            at=values["transferred_to_ice_at"],
            authority=values["transfer_authority"],
            authority_received_at=values["authority_received_at"],
            **end,
        )
    elif values["eligible_for_release_at"]:
        custody_eligible(
            custody=custody, at=values["eligible_for_release_at"], reason=values["eligibility_reason"], by=by, now=now
        )
    return custody


@transaction.atomic
@may_enter
def custody_import_update(*, custody: Custody, values: dict, by, now=None) -> bool:
    """Bring an imported booking in line with a changed row (kept in its history); False if nothing changed."""
    now = now or timezone.now()
    values = dict(values)
    authority_received_at = values.pop("authority_received_at")
    changed = {name: value for name, value in values.items() if getattr(custody, name) != value}
    authority_needed = (
        values["transferred_to_ice_at"] is not None
        and values["transfer_authority"] in JUDICIAL_AUTHORITY
        and not custody.judicial_authorities.active().filter(received_at__lte=values["transferred_to_ice_at"]).exists()
    )
    if not changed and not authority_needed:
        return False
    for name, value in changed.items():
        setattr(custody, name, value)
    _not_in_future(
        now,
        **{
            name: custody_time
            for name in ("booked_at", "eligible_for_release_at", "released_at", "transferred_to_ice_at")
            if (custody_time := getattr(custody, name))
        },
    )
    if custody.left_at is not None and (custody.eligible_for_release_at is None or not custody.eligibility_reason):
        raise ValidationError(
            {"eligible_for_release_at": "A custody that ended needs its eligibility for release and the reason for it."}
        )
    if custody.released_at and custody.released_at < custody.eligible_for_release_at:
        raise ValidationError({"released_at": "A release cannot come before eligibility for release."})
    if authority_needed:
        _judicial_time_given(True, authority_received_at, field="authority_received_at")
    save(custody, by=by)  # the row's transfer first: the authority is then checked against it
    if authority_needed:
        _judicial_authority_add(
            custody=custody,
            kind=custody.transfer_authority,
            received_at=authority_received_at,
            came_with=None,
            by=by,
            now=now,
            field="authority_received_at",
        )
    _reconcile(custody, *custody.detainers.all(), now=now)
    return True


# --- Detainers ----------------------------------------------------------------------------------------------


def _reasons_checked(reasons: list[tuple[str, str]]) -> list[tuple[str, str]]:
    codes = [code for code, _ in reasons]
    unknown = [code for code in codes if code not in DetainerReason.Code.values]
    if unknown:
        raise ValidationError({"reasons": f"Unknown reason code: {', '.join(unknown)}."})
    if not codes:
        raise ValidationError({"reasons": "Tick at least one reason, or “Not stated on the document”."})
    if DetainerReason.Code.NOT_STATED in codes and len(codes) > 1:
        raise ValidationError({"reasons": "“Not stated on the document” cannot be combined with another reason."})
    if len(set(codes)) != len(codes):
        raise ValidationError({"reasons": "Each reason can be ticked once."})
    if any(code == DetainerReason.Code.OTHER and not (text or "").strip() for code, text in reasons):
        raise ValidationError({"reasons": "Say what the other reason is, as the document words it."})
    return reasons


@transaction.atomic
@may_enter
def detainer_create(
    *,
    custody: Custody,
    form: str,
    lodged_at: datetime,
    received_via: str,
    reasons: list[tuple[str, str]],
    judicial_warrant: bool,
    judicial_warrant_received_at: datetime | None = None,
    kind: str = "",
    federal_reference: str = "",
    lodged_with: Detainer | None = None,
    copy_served_at=None,
    documents_served: str = "",
    notes: str = "",
    scan=None,
    import_key: tuple[str, str] | None = None,
    by,
    now=None,
) -> Detainer:
    """Record one document or request ICE lodged. `reasons` are (code, text) pairs; text only for `other`.
    `judicial_warrant`: whether a judge's warrant or order came with it, always said; if so, it is recorded on the
    custody with the moment it was received (`judicial_warrant_received_at`)."""
    now = now or timezone.now()
    if judicial_warrant not in (True, False):
        raise ValidationError({"judicial_warrant": "Say whether a warrant or order signed by a judge came with it."})
    _judicial_time_given(judicial_warrant, judicial_warrant_received_at, field="judicial_warrant_received_at")
    _require_aware(lodged_at=lodged_at, copy_served_at=copy_served_at)
    _not_in_future(now, lodged_at=lodged_at, copy_served_at=copy_served_at)
    if form in KIND_OF_FORM:
        kind = KIND_OF_FORM[form]
    elif not kind:
        raise ValidationError({"kind": "For a document of another form, say what kind of request it is."})
    _not_void(custody)
    if lodged_at < custody.booked_at:
        raise ValidationError({"lodged_at": "A detainer on this custody cannot be lodged before the booking."})
    if custody.left_at is not None and lodged_at > custody.left_at:
        raise ValidationError({"lodged_at": "The person had already left this custody: record it on a current one."})
    if lodged_with is not None and lodged_with.custody_id != custody.pk:
        raise ValidationError({"lodged_with": "Documents lodged together belong to the same custody."})
    detainer = Detainer(
        custody=custody,
        form=form,
        kind=kind,
        received_via=received_via,
        lodged_at=lodged_at,
        federal_reference=federal_reference.strip(),
        copy_served_at=copy_served_at,
        documents_served=documents_served,
        notes=notes,
        created_by=by,
    )
    if lodged_with is not None:
        detainer.lodging = lodged_with.lodging
    if import_key is not None:
        detainer.import_source, detainer.external_id = import_key
    save(detainer, by=by)
    for code, text in _reasons_checked(reasons):
        reason = DetainerReason(detainer=detainer, code=code, text=(text or "").strip())
        reason.full_clean()
        reason.save()
    if judicial_warrant:
        _judicial_authority_add(
            custody=custody,
            kind=JudicialAuthority.Kind.JUDICIAL_WARRANT,
            received_at=judicial_warrant_received_at,
            came_with=detainer,
            by=by,
            now=now,
            field="judicial_warrant_received_at",
        )
    if scan is not None:
        try:
            attachment_add(record=detainer, upload=scan, by=by)
        except ValidationError as error:
            raise ValidationError({"scan": error.messages}) from None
    _reconcile(detainer, custody, now=now)
    return detainer


DETAINER_EDITABLE = {
    "federal_reference",
    "lifted_at",
    "copy_served_at",
    "documents_served",
    "notes",
    "received_via",
}


@transaction.atomic
@may_enter
def detainer_update(
    *,
    detainer: Detainer,
    by,
    now=None,
    reasons: list[tuple[str, str]] | None = None,
    judicial_warrant: bool | None = None,
    judicial_warrant_received_at: datetime | None = None,
    **fields,
) -> Detainer:
    """Change what may change on a document. Marking it as having come with a judge's warrant or order records
    that authority on the custody with the moment it was received; unmarking is a void of that record."""
    now = now or timezone.now()
    _judicial_time_given(bool(judicial_warrant), judicial_warrant_received_at, field="judicial_warrant_received_at")
    unknown = set(fields) - DETAINER_EDITABLE
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in unknown})
    _require_aware(**{k: v for k, v in fields.items() if k in ("lifted_at", "copy_served_at")})
    _not_in_future(now, **{k: v for k, v in fields.items() if k in ("lifted_at", "copy_served_at")})
    lock(detainer)
    _not_void(detainer)
    for name, value in fields.items():
        setattr(detainer, name, value)
    save(detainer, by=by)
    carried = detainer.judicial_authorities.active()
    if judicial_warrant is False and carried.exists():
        raise ValidationError(
            {
                "judicial_warrant": "A judge's warrant or order is recorded with this document: void that record on "
                "the custody page, with a reason, if it was entered in error."
            }
        )
    if judicial_warrant and not carried.exists():
        _judicial_authority_add(
            custody=detainer.custody,
            kind=JudicialAuthority.Kind.JUDICIAL_WARRANT,
            received_at=judicial_warrant_received_at,
            came_with=detainer,
            by=by,
            now=now,
            field="judicial_warrant_received_at",
        )
    if reasons is not None:
        detainer.reasons.all().delete()
        for code, text in _reasons_checked(reasons):
            reason = DetainerReason(detainer=detainer, code=code, text=(text or "").strip())
            reason.full_clean()
            reason.save()
    _reconcile(detainer, detainer.custody, now=now)
    return detainer


@transaction.atomic
@may_enter
def notification_respond(*, detainer: Detainer, response: str, at: datetime, by, now=None) -> Detainer:
    """What the department answered a notification request (2(e): the answer is to decline)."""
    now = now or timezone.now()
    lock(detainer)
    _not_void(detainer)
    if detainer.kind != Detainer.Kind.NOTIFICATION_REQUEST:
        raise ValidationError({"response": "Only a notification request has a response."})
    _require_aware(responded_at=at)
    _not_in_future(now, responded_at=at)
    detainer.response, detainer.responded_at = response, at
    save(detainer, by=by)
    _reconcile(detainer, now=now)
    return detainer


# --- Information, access and assistance requests --------------------------------------------------------------


@transaction.atomic
@may_enter
def information_request_create(
    *,
    custody: Custody,
    agency: str,
    received_at: datetime,
    received_via: str,
    items: list[dict],
    federal_reference: str = "",
    answered_at=None,
    notes: str = "",
    by,
    now=None,
) -> InformationRequest:
    """`items`: [{"item": code, "disclosed": bool, "basis": "" | "public_record" | "judicial_order"}], one per
    item asked for. Disclosing an item that was not asked for is refused."""
    now = now or timezone.now()
    _require_aware(received_at=received_at, answered_at=answered_at)
    _not_in_future(now, received_at=received_at, answered_at=answered_at)
    if not items:
        raise ValidationError({"items": "Tick what was asked for."})
    request = save(
        InformationRequest(
            custody=custody,
            agency=agency.strip(),
            received_at=received_at,
            received_via=received_via,
            federal_reference=federal_reference.strip(),
            answered_at=answered_at,
            notes=notes,
            created_by=by,
        ),
        by=by,
    )
    seen = set()
    for entry in items:
        code = entry.get("item")
        if code not in InformationItem.Item.values:
            raise ValidationError({"items": f"Unknown item: {code}."})
        if code in seen:
            raise ValidationError({"items": f"{code} is listed twice."})
        seen.add(code)
        asked = entry.get("asked", True)
        disclosed, basis = entry.get("disclosed"), entry.get("basis") or ""
        # 2(e) turns on these two: each is said, never assumed.
        if disclosed not in (True, False):
            raise ValidationError({"items": f"{code}: say whether it was disclosed."})
        if disclosed and not asked:
            raise ValidationError({"items": f"{code} was disclosed but not asked for: record only what was asked."})
        if disclosed and not basis:
            raise ValidationError(
                {"items": f"{code}: say on what basis it was disclosed (public record, court order, or none)."}
            )
        if basis and not disclosed:
            raise ValidationError({"items": f"{code} has a basis for disclosing but was not disclosed."})
        item = InformationItem(request=request, item=code, asked=asked, disclosed=disclosed, basis=basis)
        item.full_clean()
        item.save()
    _reconcile(request, now=now)
    return request


@transaction.atomic
@may_enter
def access_request_create(
    *,
    custody: Custody,
    agency: str,
    requested_at: datetime,
    mode: str,
    judicial_warrant_or_court_order: bool,
    granted: bool,
    notes: str = "",
    by,
    now=None,
) -> AccessRequest:
    now = now or timezone.now()
    # 2(h) turns on both: each is said, never assumed.
    for name, value in {"judicial_warrant_or_court_order": judicial_warrant_or_court_order, "granted": granted}.items():
        if value not in (True, False):
            raise ValidationError({name: "Choose yes or no."})
    _require_aware(requested_at=requested_at)
    _not_in_future(now, requested_at=requested_at)
    request = save(
        AccessRequest(
            custody=custody,
            agency=agency.strip(),
            requested_at=requested_at,
            mode=mode,
            judicial_warrant_or_court_order=judicial_warrant_or_court_order,
            granted=granted,
            notes=notes,
            created_by=by,
        ),
        by=by,
    )
    _reconcile(request, now=now)
    return request


@transaction.atomic
@may_enter
def assistance_request_create(
    *,
    agency: str,
    requested_at: datetime,
    operation: str,
    supports: list[dict],
    deputized_functions: bool,
    notes: str = "",
    by,
    now=None,
) -> AssistanceRequest:
    """`supports`: [{"kind": code, "asked": bool, "provided": bool, "text": str}]; whether each was provided, and
    whether officers acted as immigration officers, are always said (2(j), 2(k))."""
    now = now or timezone.now()
    if deputized_functions not in (True, False):
        raise ValidationError(
            {"deputized_functions": "Say whether an officer performed the functions of an immigration officer."}
        )
    _require_aware(requested_at=requested_at)
    _not_in_future(now, requested_at=requested_at)
    request = save(
        AssistanceRequest(
            agency=agency.strip(),
            requested_at=requested_at,
            operation=operation,
            deputized_functions=deputized_functions,
            notes=notes,
            created_by=by,
        ),
        by=by,
    )
    for entry in supports:
        if entry.get("kind") not in AssistanceSupport.Kind.values:
            raise ValidationError({"supports": f"Unknown kind of support: {entry.get('kind')}."})
        if entry.get("provided") not in (True, False):
            raise ValidationError({"supports": f"{entry['kind']}: say whether it was provided."})
        support = AssistanceSupport(
            request=request,
            kind=entry["kind"],
            asked=entry.get("asked", True),
            provided=entry["provided"],
            text=(entry.get("text") or "").strip(),
        )
        support.full_clean()
        support.save()
    _reconcile(request, now=now)
    return request


@transaction.atomic
@may_enter
def reimbursement_create(
    *, amount: Decimal, received_on, program: str, case_label: str = "", notes: str = "", by, now=None
) -> Reimbursement:
    now = now or timezone.now()
    if received_on > timezone.localdate(now):
        raise ValidationError({"received_on": "This date is in the future."})
    if amount < 0:
        raise ValidationError({"amount": "An amount received cannot be negative; void a wrong entry instead."})
    _refuse_a_name_in(case_label)
    return save(
        Reimbursement(
            amount=amount,
            received_on=received_on,
            program=program,
            case_label=case_label.strip(),
            notes=notes,
            created_by=by,
        ),
        by=by,
    )


def _refuse_a_name_in(case_label: str) -> None:
    """Case labels are published with the report's figures: one that names anyone on record is refused. (Every
    name is read: reimbursements are entered a few times a year, and a name's accents cannot be matched in SQL
    on both databases.)"""
    if not case_label.strip():
        return
    names = Person.objects.exclude(full_name=PURGED).values_list("full_name", flat=True)
    if validators.names_within(case_label, names):
        raise ValidationError(
            {
                "case_label": "This case label holds the name of someone on record, and case labels are published "
                "with the report. Use the department's internal case number alone."
            }
        )


# --- Voiding ------------------------------------------------------------------------------------------------

VOIDABLE = (
    Person,
    Custody,
    Detainer,
    JudicialAuthority,
    InformationRequest,
    AccessRequest,
    AssistanceRequest,
    Reimbursement,
)


def _open_violations(record):
    """Unresolved violations resting on this record — for a detainer, also those of its custody (a 2(d)
    violation rests on both), for a custody, also those of its detainers."""
    related = [record]
    if isinstance(record, Custody):
        related += list(record.detainers.all())
    elif isinstance(record, (Detainer, JudicialAuthority)):
        related.append(record.custody)
    same_record = Q(pk__in=[])
    for item in related:
        same_record |= Q(record_type=item._meta.label_lower, record_id=item.pk)
    return Finding.objects.unresolved().violations().filter(same_record)


@transaction.atomic
def record_void(*, record, by, reason: str, now=None):
    """Void a record entered in error: it counts nowhere from now on, and its findings close.

    A clerk may void what they entered while it has no open violation; internal affairs and the chief may
    void anything, with a reason, so a violation never vanishes quietly (the void is listed and reported).
    """
    now = now or timezone.now()
    require(by, "welcoming.void_any_record", "welcoming.void_own_records", message="You may not void records.")
    if not isinstance(record, VOIDABLE):
        raise ValidationError("This kind of record cannot be voided.")
    lock(record)
    if record.voided_at is not None:
        raise ValidationError("This record is already voided.")
    if not reason.strip():
        raise ValidationError({"void_reason": "Say why the record is voided: the reason is kept and reported."})
    if not by.has_perm("welcoming.void_any_record"):
        require_that(record.created_by_id == by.pk, "You may void only records you entered.")
        require_that(
            not _open_violations(record).exists(),
            "This record has an open violation: only internal affairs or the chief may void it.",
        )
    record.voided_at, record.voided_by, record.void_reason = now, by, reason.strip()
    save(record, by=by)
    related = list(record.detainers.all()) if isinstance(record, Custody) else []
    if isinstance(record, Detainer):
        related.append(record.custody)
    if isinstance(record, JudicialAuthority):
        related += [record.custody, *record.custody.detainers.all()]
    if not isinstance(record, (Person, Reimbursement)):
        _reconcile(record, *related, now=now)
    return record
