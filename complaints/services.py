"""Every write of the complaints app: keyword-only, one transaction each, the step's permission checked against
the person taking it, validated before it is saved, and each step written to the complaint's events.

Who may take which step (DESIGN.md sections 1 and 4): the complaints coordinator takes in, triages, routes and
refers, and records a department's answer; whoever works a complaint (internal affairs on police complaints
routed to it, the coordinator on the rest) forwards it to POST, assigns, links, records allegations and
dispositions, closes it with the outcome, and writes and sends its letters. The chief reads and takes no step.

Why one module over 400 lines: every step takes the complaint's lock, checks who may take it and writes its
event; kept together, the order of the steps and their shared checks read in one place.
"""

import secrets
from datetime import datetime

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from complaints import rules, selectors
from complaints.models import (
    ALLEGEABLE_CLAUSES,
    Allegation,
    Complaint,
    ComplaintEvent,
    ComplaintLink,
    InvolvedPerson,
    Letter,
)
from welcoming import letters
from welcoming.acting import PUBLIC, account_of, known, require, require_that
from welcoming.attachments import attachment_add
from welcoming.local_time import when
from welcoming.models import Finding, Notification
from welcoming.notifications import notify, notify_permission
from welcoming.saving import locked, save

CODE_LENGTH = 12  # of rules.CODE_ALPHABET: 60 bits
PIN_DIGITS = 6


def tracking_code_new() -> str:
    raw = "".join(secrets.choice(rules.CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def pin_new() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def pin_matches(complaint: Complaint | None, pin: str) -> bool:
    # With no complaint, an unusable hash makes Django run the hasher anyway: a wrong code and a wrong PIN take the
    # same work and the same time.
    return check_password(pin.strip(), complaint.pin_hash if complaint else UNUSABLE_PASSWORD_PREFIX) and bool(
        complaint
    )


def _event(complaint: Complaint, *, kind: str, by, note: str = "", at: datetime | None = None) -> ComplaintEvent:
    return ComplaintEvent.objects.create(complaint=complaint, at=at or timezone.now(), by=by, kind=kind, note=note)


def _require_work(by, complaint: Complaint) -> None:
    require_that(selectors.may_work(by, complaint), "You may not work this complaint.")


def _require_open(complaint: Complaint) -> None:
    if complaint.stage == Complaint.Stage.CLOSED:
        raise ValidationError("This complaint is closed.")


def _clauses_checked(clauses) -> list[str]:
    unknown = [code for code in clauses if code not in ALLEGEABLE_CLAUSES]
    if unknown:
        raise ValidationError({"clauses": f"Not a clause a complaint can allege: {', '.join(unknown)}."})
    return [code for code in ALLEGEABLE_CLAUSES if code in set(clauses)]


def _set_deadlines(complaint: Complaint) -> None:
    settings, calendar, municipality = selectors.deadline_settings()
    due = rules.deadlines(
        received_on=selectors.local_date(complaint.received_at, municipality),
        channel=complaint.channel,
        contact=complaint.complainant_contact,
        department=complaint.department,
        alleges_bias=complaint.alleges_bias,
        alleges_force=complaint.alleges_force,
        calendar=calendar,
        settings=settings,
    )
    complaint.acknowledgement_due_on = due.acknowledgement
    complaint.post_due_on = due.post_forwarding
    complaint.investigation_due_on = due.investigation


def _classification(department: str, about: str) -> tuple[str, str]:
    if department == Complaint.Department.POLICE and not about:
        raise ValidationError({"about": "Say whom in the police department the complaint is about."})
    return department, about if department == Complaint.Department.POLICE else ""


# --- Intake -------------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_create(
    *,
    received_at: datetime,
    channel: str,
    narrative: str,
    department: str,
    about: str = "",
    department_name: str = "",
    language: str = "en",
    anonymous: bool = False,
    complainant_name: str = "",
    complainant_contact: str = "",
    incident_date=None,
    incident_place: str = "",
    clauses=(),
    alleges_bias: bool = False,
    alleges_force: bool = False,
    people=(),
    files=(),
    by,
) -> tuple[Complaint, str]:
    """Take in a complaint (staff intake by phone, mail, e-mail or in person; the public form acts as
    `acting.PUBLIC`). Returns the complaint and its PIN, which is shown once and kept only as a hash."""
    if by is PUBLIC:
        require_that(channel == Complaint.Channel.ONLINE, "The public form takes online complaints only.")
    else:
        known(by)
        require_that(selectors.may_take_in(by), "You may not take in complaints.")
    actor, by = by, account_of(by)  # the public is no account: the complaint and its timeline name no one
    if received_at > timezone.now():
        raise ValidationError({"received_at": "The time received cannot be in the future."})
    if anonymous and complainant_name.strip():
        raise ValidationError({"complainant_name": "An anonymous complaint has no name: clear the name or untick."})
    department, about = _classification(department, about)
    pin = pin_new()
    complaint = Complaint(
        tracking_code=tracking_code_new(),
        pin_hash=make_password(pin),
        received_at=received_at,
        channel=channel,
        language=language,
        anonymous=anonymous,
        complainant_name=complainant_name.strip(),
        complainant_contact=complainant_contact.strip(),
        incident_date=incident_date,
        incident_place=incident_place.strip(),
        narrative=narrative.strip(),
        department=department,
        department_name=department_name.strip(),
        about=about,
        clauses=_clauses_checked(clauses),
        alleges_bias=alleges_bias,
        alleges_force=alleges_force,
        created_by=by,
    )
    if channel == Complaint.Channel.ONLINE:
        complaint.acknowledged_at = received_at  # the receipt on the confirmation page is the acknowledgement
    if incident_date and incident_date > selectors.local_date(received_at, selectors.municipality_get()):
        raise ValidationError({"incident_date": "The incident cannot be after the complaint was received."})
    _set_deadlines(complaint)
    save(complaint, by=by, validate_constraints=True)
    for person in people:
        _person_save(complaint, by=by, **person)
    for upload in files:
        attachment_add(record=complaint, upload=upload, by=actor)
    _event(complaint, kind=ComplaintEvent.Kind.RECEIVED, by=by, note=complaint.get_channel_display(), at=received_at)
    if complaint.acknowledgement_due_on and channel != Complaint.Channel.ONLINE:
        # Written when the complaint comes in: all it says is fixed text in the complainant's language.
        _letter_new(complaint, kind=Letter.Kind.ACKNOWLEDGEMENT, by=by, at=received_at)
    notify_permission(
        permission=selectors.ROUTE,
        event=Notification.Event.NEW_COMPLAINT,
        subject=f"New complaint {complaint.tracking_code} to triage",
        body=f"Received {when(received_at)} ({complaint.get_channel_display()}).",
        link=complaint.get_absolute_url(),
    )
    return complaint, pin


@transaction.atomic
def complaint_from_finding(*, finding: Finding, by) -> Complaint:
    """A finding referred to internal affairs opens a complaint routed straight to it (the referral is the triage),
    linked to the finding and to the record it is about.

    The narrative names the finding, not what it says: the coordinator sees every complaint but reads no police
    record, and a finding's message may name the person in custody."""
    Finding.objects.select_for_update().filter(pk=finding.pk).first()  # two referrals at once take turns
    existing = finding.complaints.exclude(stage=Complaint.Stage.CLOSED).first()
    if existing is not None:
        return existing  # referred before and still open: that complaint is still the one
    now = timezone.now()
    complaint = Complaint(
        tracking_code=tracking_code_new(),
        pin_hash=make_password(None),  # nobody outside holds a PIN for an internal referral
        received_at=now,
        channel=Complaint.Channel.FINDING,
        narrative=f"Finding #{finding.pk} under clause {finding.section} was referred to internal affairs. The "
        "finding and the record it concerns are linked to this complaint; the police side reads them there.",
        department=Complaint.Department.POLICE,
        about=Complaint.About.OFFICERS,
        clauses=[finding.section] if finding.section in ALLEGEABLE_CLAUSES else [],
        stage=Complaint.Stage.INVESTIGATING,
        routed_at=now,
        created_by=by,
    )
    _set_deadlines(complaint)
    save(complaint, by=by, validate_constraints=True)
    complaint.findings.add(finding)
    ComplaintLink.objects.create(
        complaint=complaint, record_type=finding.record_type, record_id=finding.record_id, linked_at=now, linked_by=by
    )
    _event(complaint, kind=ComplaintEvent.Kind.RECEIVED, by=by, note=f"Finding {finding.section} referred", at=now)
    _event(complaint, kind=ComplaintEvent.Kind.ROUTED, by=by, at=now)
    _notify_routed(complaint)
    return complaint


def _notify_routed(complaint: Complaint) -> None:
    notify(
        recipients=selectors.investigators(),
        event=Notification.Event.COMPLAINT_ROUTED,
        subject=f"Complaint {complaint.tracking_code} routed to internal affairs",
        body=f"Investigation due {complaint.investigation_due_on:%Y-%m-%d}"
        + (f"; POST forwarding due {complaint.post_due_on:%Y-%m-%d}" if complaint.post_due_on else "")
        + ".",
        link=complaint.get_absolute_url(),
    )


# --- Triage and routing (the coordinator) -------------------------------------------------------------------


@transaction.atomic
def complaint_classify(
    *,
    complaint: Complaint,
    by,
    department: str,
    about: str = "",
    department_name: str = "",
    clauses=(),
    alleges_bias: bool = False,
    alleges_force: bool = False,
) -> Complaint:
    """Correct what the complaint is about. The POST deadline follows: alleging bias now starts its clock from
    the day the complaint was received, not from today."""
    require_that(selectors.may_route(by), "Only the complaints coordinator classifies complaints.")
    complaint = locked(complaint)
    _require_open(complaint)
    department, about = _classification(department, about)
    fields = ("department", "about", "department_name", "clauses", "alleges_bias", "alleges_force")
    before = {name: getattr(complaint, name) for name in fields}
    complaint.department, complaint.about = department, about
    complaint.department_name = department_name.strip()
    complaint.clauses = _clauses_checked(clauses)
    complaint.alleges_bias, complaint.alleges_force = alleges_bias, alleges_force
    changed = [name for name in fields if getattr(complaint, name) != before[name]]
    if not changed:
        return complaint
    _set_deadlines(complaint)
    complaint.post_reminded_at, complaint.overdue_notified = None, []  # new deadlines: tell again when they come
    if complaint.stage != Complaint.Stage.RECEIVED and {"department", "about"} & set(changed):
        # A complaint filed as about officers turns out to be about the chief: it leaves internal affairs at once,
        # and goes back to triage with no trace of where it was sent before but its events.
        complaint.stage, complaint.routed_at, complaint.investigator = Complaint.Stage.RECEIVED, None, None
        complaint.referred_to, complaint.referred_at = "", None
        complaint.department_answer, complaint.department_answered_at = "", None
    save(complaint, by=by, validate_constraints=True)
    _event(complaint, kind=ComplaintEvent.Kind.CLASSIFIED, by=by, note=", ".join(changed).replace("_", " "))
    return complaint


@transaction.atomic
def complaint_triage(*, complaint: Complaint, by, referred_to: str = "", **classification) -> Complaint:
    """The triage page's one step: what the complaint is about, then where it goes — both or neither."""
    complaint = complaint_classify(complaint=complaint, by=by, **classification)
    return complaint_route(complaint=complaint, by=by, referred_to=referred_to)


@transaction.atomic
def complaint_route(*, complaint: Complaint, by, referred_to: str = "") -> Complaint:
    """Send the complaint where DESIGN.md section 4 says: internal affairs, the coordinator's own desk, or the
    department it is about (whose contact must be named)."""
    require_that(selectors.may_route(by), "Only the complaints coordinator routes complaints.")
    complaint = locked(complaint)
    if complaint.stage != Complaint.Stage.RECEIVED:
        raise ValidationError("This complaint has already been routed.")
    route = rules.route_for(department=complaint.department, about=complaint.about)
    now = timezone.now()
    complaint.routed_at = now
    if route == rules.Route.INTERNAL_AFFAIRS:
        complaint.stage = Complaint.Stage.INVESTIGATING
        save(complaint, by=by, validate_constraints=True)
        _event(complaint, kind=ComplaintEvent.Kind.ROUTED, by=by)
        _notify_routed(complaint)
    elif route == rules.Route.COORDINATOR:
        complaint.stage = Complaint.Stage.KEPT
        save(complaint, by=by, validate_constraints=True)
        _event(complaint, kind=ComplaintEvent.Kind.KEPT, by=by, note=complaint.get_about_display())
    else:
        _refer(complaint, by=by, referred_to=referred_to, at=now)
    return complaint


def _refer(complaint: Complaint, *, by, referred_to: str, at) -> None:
    if not referred_to.strip():
        raise ValidationError({"referred_to": "Name the department's contact the complaint is referred to."})
    complaint.stage, complaint.referred_to, complaint.referred_at = Complaint.Stage.REFERRED, referred_to.strip(), at
    save(complaint, by=by, validate_constraints=True)
    _event(complaint, kind=ComplaintEvent.Kind.REFERRED, by=by, note=complaint.referred_to)


@transaction.atomic
def complaint_refer(*, complaint: Complaint, by, referred_to: str) -> Complaint:
    """The coordinator refers a complaint it keeps (against internal affairs or the chief) to the executive."""
    require_that(selectors.may_route(by), "Only the complaints coordinator refers complaints.")
    complaint = locked(complaint)
    if complaint.stage != Complaint.Stage.KEPT:
        raise ValidationError("Only a complaint the coordinator keeps can be referred from here.")
    _refer(complaint, by=by, referred_to=referred_to, at=timezone.now())
    return complaint


@transaction.atomic
def complaint_answer_record(*, complaint: Complaint, by, answer: str, answered_at: datetime) -> Complaint:
    """What the department the complaint was referred to reports back."""
    require_that(selectors.may_route(by), "Only the complaints coordinator records a department's answer.")
    complaint = locked(complaint)
    if complaint.stage != Complaint.Stage.REFERRED:
        raise ValidationError("Only a referred complaint awaits a department's answer.")
    if complaint.department_answered_at:
        raise ValidationError("The department's answer is already recorded.")
    if not answer.strip():
        raise ValidationError({"answer": "Write what the department reported."})
    if answered_at < complaint.referred_at or answered_at > timezone.now():
        raise ValidationError({"answered_at": "The answer must come after the referral and not in the future."})
    complaint.department_answer, complaint.department_answered_at = answer.strip(), answered_at
    save(complaint, by=by, validate_constraints=True)
    _event(complaint, kind=ComplaintEvent.Kind.ANSWERED, by=by, at=answered_at)
    return complaint


# --- Working a complaint ------------------------------------------------------------------------------------


@transaction.atomic
def complaint_assign(*, complaint: Complaint, by, investigator) -> Complaint:
    _require_work(by, complaint)
    complaint = locked(complaint)
    _require_open(complaint)
    if complaint.stage != Complaint.Stage.INVESTIGATING:
        raise ValidationError("Only a complaint with internal affairs is assigned to an investigator.")
    if not selectors.investigators().filter(pk=investigator.pk).exists():
        raise ValidationError({"investigator": "Choose a member of internal affairs."})
    complaint.investigator = investigator
    save(complaint, by=by, validate_constraints=True)
    _event(
        complaint, kind=ComplaintEvent.Kind.ASSIGNED, by=by, note=investigator.get_full_name() or investigator.username
    )
    if investigator != by:
        notify(
            recipients=[investigator],
            event=Notification.Event.COMPLAINT_ROUTED,
            subject=f"Complaint {complaint.tracking_code} assigned to you",
            body=f"Investigation due {complaint.investigation_due_on:%Y-%m-%d}.",
            link=complaint.get_absolute_url(),
        )
    return complaint


@transaction.atomic
def complaint_post_forward(*, complaint: Complaint, by, forwarded_at: datetime, reference: str = "") -> Complaint:
    """Record the forwarding to the Massachusetts POST Commission (G.L. c.6E §8), with its date."""
    _require_work(by, complaint)
    complaint = locked(complaint)
    if complaint.post_due_on is None:
        raise ValidationError(
            "This complaint alleges neither bias nor force by a police officer: POST need not have it."
        )
    if complaint.post_forwarded_at:
        raise ValidationError("This complaint was already forwarded to POST.")
    if forwarded_at < complaint.received_at or forwarded_at > timezone.now():
        raise ValidationError({"forwarded_at": "The forwarding must be after receipt and not in the future."})
    complaint.post_forwarded_at, complaint.post_reference = forwarded_at, reference.strip()
    save(complaint, by=by, validate_constraints=True)
    late = selectors.local_date(forwarded_at, selectors.municipality_get()) > complaint.post_due_on
    note = f"Reference {complaint.post_reference}. " if complaint.post_reference else ""
    note += f"After the deadline of {complaint.post_due_on:%Y-%m-%d}." if late else ""
    _event(complaint, kind=ComplaintEvent.Kind.POST_FORWARDED, by=by, note=note.strip(), at=forwarded_at)
    return complaint


@transaction.atomic
def complaint_link_record(*, complaint: Complaint, by, record_type: str, record_id: int) -> ComplaintLink:
    # Police records are the police side's: the coordinator may not even learn whether one exists.
    require_that(selectors.reads_police_records(by), "Only the police side links police records.")
    _require_work(by, complaint)
    complaint = locked(complaint)
    _require_open(complaint)
    models = {m._meta.label_lower: m for m in selectors.findings_registry.voidable_models()}
    model = models.get(record_type)
    if model is None:
        raise ValidationError({"record_type": "Choose a kind of police record."})
    if not model._default_manager.filter(pk=record_id).exists():
        raise ValidationError({"record_id": f"There is no {model._meta.verbose_name} #{record_id}."})
    if complaint.links.filter(record_type=record_type, record_id=record_id).exists():
        raise ValidationError({"record_id": "That record is already linked."})
    link = ComplaintLink.objects.create(
        complaint=complaint, record_type=record_type, record_id=record_id, linked_at=timezone.now(), linked_by=by
    )
    _event(complaint, kind=ComplaintEvent.Kind.LINKED, by=by, note=f"{model._meta.verbose_name} #{record_id}")
    return link


@transaction.atomic
def complaint_link_finding(*, complaint: Complaint, by, finding: Finding) -> Complaint:
    require_that(selectors.reads_police_records(by), "Only the police side links findings.")
    _require_work(by, complaint)
    complaint = locked(complaint)
    _require_open(complaint)
    if complaint.findings.filter(pk=finding.pk).exists():
        raise ValidationError({"finding": "That finding is already linked."})
    complaint.findings.add(finding)
    _event(complaint, kind=ComplaintEvent.Kind.LINKED, by=by, note=f"Finding {finding.section} #{finding.pk}")
    return complaint


def _person_save(complaint, *, by, name="", title="", badge_number="", post_certification_number="") -> InvolvedPerson:
    person = InvolvedPerson(
        complaint=complaint,
        name=name.strip(),
        title=title.strip(),
        badge_number=badge_number.strip(),
        post_certification_number=post_certification_number.strip(),
    )
    if not any((person.name, person.title, person.badge_number, person.post_certification_number)):
        raise ValidationError({"name": "Give at least a name, a title, a badge or a POST certification number."})
    person.full_clean()
    person._history_user = by
    person.save()
    return person


@transaction.atomic
def person_add(*, complaint: Complaint, by, **fields) -> InvolvedPerson:
    _require_work(by, complaint)
    complaint = locked(complaint)
    _require_open(complaint)
    person = _person_save(complaint, by=by, **fields)
    _event(complaint, kind=ComplaintEvent.Kind.PERSON_ADDED, by=by, note=str(person))
    return person


@transaction.atomic
def allegation_add(
    *, complaint: Complaint, by, clause: str, summary: str, person: InvolvedPerson | None = None
) -> Allegation:
    _require_work(by, complaint)
    complaint = locked(complaint)
    _require_open(complaint)
    if complaint.stage not in (Complaint.Stage.INVESTIGATING, Complaint.Stage.KEPT):
        raise ValidationError("Allegations are recorded on a complaint being investigated.")
    if person is not None and person.complaint_id != complaint.pk:
        raise ValidationError({"person": "That person is not named in this complaint."})
    allegation = Allegation(complaint=complaint, person=person, clause=clause, summary=summary.strip())
    allegation.full_clean()
    allegation._history_user = by
    allegation.save()
    _event(complaint, kind=ComplaintEvent.Kind.ALLEGATION_ADDED, by=by, note=f"{clause}: {allegation.summary[:80]}")
    return allegation


@transaction.atomic
def allegation_dispose(
    *, allegation: Allegation, by, disposition: str, action_taken: str = "", findings=()
) -> Allegation:
    """The investigation's conclusion on one allegation, and the action taken (required when sustained)."""
    _require_work(by, allegation.complaint)
    complaint = locked(allegation.complaint)  # the complaint first: a close and a disposition take turns
    _require_open(complaint)
    if complaint.stage not in (Complaint.Stage.INVESTIGATING, Complaint.Stage.KEPT):
        raise ValidationError("Dispositions are recorded on a complaint being investigated.")
    allegation = Allegation.objects.select_for_update().get(pk=allegation.pk)
    if disposition == Allegation.Disposition.PENDING:
        raise ValidationError({"disposition": "Choose the disposition the investigation reached."})
    if disposition == Allegation.Disposition.SUSTAINED and not action_taken.strip():
        raise ValidationError(
            {"action_taken": "A sustained allegation needs the action taken (even “none”, with why)."}
        )
    allegation.disposition, allegation.action_taken = disposition, action_taken.strip()
    allegation.disposed_at, allegation.disposed_by = timezone.now(), by
    allegation.full_clean()
    allegation._history_user = by
    allegation.save()
    if findings:
        allegation.findings.add(*findings)
    _event(
        complaint,
        kind=ComplaintEvent.Kind.DISPOSED,
        by=by,
        note=f"{allegation.clause}: {allegation.get_disposition_display()}",
    )
    return allegation


@transaction.atomic
def complaint_attach(*, complaint: Complaint, by, upload):
    _require_work(by, complaint)
    complaint = locked(complaint)
    attachment = attachment_add(record=complaint, upload=upload, by=by)
    _event(complaint, kind=ComplaintEvent.Kind.FILE_ATTACHED, by=by, note=attachment.original_name)
    return attachment


@transaction.atomic
def complaint_close(*, complaint: Complaint, by, outcome: str) -> Complaint:
    """Close the complaint with its outcome, in the staff's words, for the record; the outcome letter is written
    next, for the complainant and in their language (see letter_write).

    An investigated complaint closes once every allegation has its disposition; a referred one once the
    department has answered."""
    _require_work(by, complaint)
    complaint = locked(complaint)
    _require_open(complaint)
    if complaint.stage == Complaint.Stage.RECEIVED:
        raise ValidationError("Route the complaint before closing it.")
    if complaint.stage == Complaint.Stage.REFERRED and not complaint.department_answered_at:
        raise ValidationError("Record the department's answer before closing.")
    if complaint.stage in (Complaint.Stage.INVESTIGATING, Complaint.Stage.KEPT):
        allegations = list(complaint.allegations.all())
        if not allegations:
            raise ValidationError("Record at least one allegation and its disposition before closing.")
        if any(a.disposition == Allegation.Disposition.PENDING for a in allegations):
            raise ValidationError("Every allegation needs its disposition before the complaint can close.")
    if complaint.post_due_on and not complaint.post_forwarded_at:
        raise ValidationError("Forward the complaint to the POST Commission before closing it.")
    if not outcome.strip():
        raise ValidationError({"outcome": "Write the outcome, for the record."})
    complaint.outcome, complaint.stage, complaint.closed_at = outcome.strip(), Complaint.Stage.CLOSED, timezone.now()
    save(complaint, by=by, validate_constraints=True)
    _event(complaint, kind=ComplaintEvent.Kind.CLOSED, by=by)
    _letter_new(complaint, kind=Letter.Kind.OUTCOME, by=by, at=complaint.closed_at)
    return complaint


# --- Letters ------------------------------------------------------------------------------------------------


def _letter_new(complaint: Complaint, *, kind: str, by, at: datetime) -> Letter:
    """Write a letter to the complainant. The acknowledgement is final at once (nothing in it is typed); with no
    contact given, a letter is recorded straight away as one that cannot be sent, and needs no text."""
    letter = Letter(complaint=complaint, kind=kind, language=complaint.language, written_at=at)
    if kind == Letter.Kind.ACKNOWLEDGEMENT:
        letter.final_at, letter.final_by = at, by
    if not complaint.complainant_contact.strip():
        letter.delivery, letter.sent_at, letter.sent_by = Letter.Delivery.NOT_SENT, at, by
    save(letter, by=by, validate_constraints=True)
    if letter.delivery == Letter.Delivery.NOT_SENT:
        _event(
            complaint,
            kind=ComplaintEvent.Kind.LETTER_NOT_SENT,
            by=by,
            note=f"{letter.get_kind_display()}: no contact given",
            at=at,
        )
    return letter


def _letter_locked(letter: Letter, by) -> tuple[Complaint, Letter]:
    _require_work(by, letter.complaint)
    complaint = locked(letter.complaint)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.delivery == Letter.Delivery.NOT_SENT:
        raise ValidationError("This letter cannot be sent: the complainant gave no contact.")
    return complaint, letter


def _text_problems(complaint: Complaint, letter: Letter, texts: dict[str, str]) -> dict[str, list[str]]:
    """Each text's problems (welcoming.letters), by the field it was typed in; only those with some."""
    sources = selectors.letter_sources(complaint)
    problems = {
        field: letters.letter_text_problems(
            text,
            reader_language=letter.language,
            reader_language_name=letter.language_name,
            staff_english=sources.staff_english,
            personnel=sources.personnel,
            names=sources.names,
        )
        for field, text in texts.items()
    }
    return {field: found for field, found in problems.items() if found}


@transaction.atomic
def letter_write(*, letter: Letter, by, explanation: str, summaries: dict[int, str]) -> Letter:
    """Save the text typed for the outcome letter, in the complainant's language: the outcome explained, and each
    allegation as the letter states it (`summaries`, by allegation id). A draft may be incomplete; what is typed
    is checked now, each problem beside its field (`explanation`, `allegation_<id>`), and nothing is saved then."""
    complaint, letter = _letter_locked(letter, by)
    if letter.is_final:
        raise ValidationError("This letter is final: it no longer changes.")
    allegations = {allegation.pk: allegation for allegation in complaint.allegations.all()}
    if unknown := set(summaries) - set(allegations):
        raise ValidationError({"summaries": f"Not an allegation of this complaint: {sorted(unknown)}."})
    texts = {"explanation": explanation.strip()} | {f"allegation_{pk}": text.strip() for pk, text in summaries.items()}
    if errors := _text_problems(complaint, letter, texts):
        raise ValidationError(errors)
    letter.explanation = texts["explanation"]
    save(letter, by=by)
    for pk in summaries:
        allegation = allegations[pk]
        allegation.letter_summary = texts[f"allegation_{pk}"]
        save(allegation, by=by)
    return letter


@transaction.atomic
def letter_make_final(*, letter: Letter, by) -> Letter:
    """Make the letter final once everything typed for it is there and passes the guards: it never changes again,
    and can go out."""
    complaint, letter = _letter_locked(letter, by)
    if letter.is_final:
        raise ValidationError("This letter is already final.")
    allegations = list(complaint.allegations.all())
    if missing := selectors.letter_missing(letter, allegations):
        raise ValidationError(f"Write {', '.join(missing)} in {letter.language_name} first.")
    texts = {"explanation": letter.explanation} | {f"allegation_{a.pk}": a.letter_summary for a in allegations}
    if problems := _text_problems(complaint, letter, texts):
        raise ValidationError([problem for found in problems.values() for problem in found])
    letter.final_at, letter.final_by = timezone.now(), by
    save(letter, by=by, validate_constraints=True)
    _event(complaint, kind=ComplaintEvent.Kind.LETTER_FINAL, by=by, note=letter.get_kind_display())
    return letter


@transaction.atomic
def letter_send(*, letter: Letter, by, delivery: str, sent_at: datetime) -> Letter:
    """Record how and when a final letter went out. The acknowledgement's deadline is met by its letter sent."""
    complaint, letter = _letter_locked(letter, by)
    if not letter.is_final:
        raise ValidationError("Make the letter final before recording it sent.")
    if letter.delivery:
        raise ValidationError(f"This letter was already recorded as sent {when(letter.sent_at)}.")
    if delivery not in Letter.SENDING:
        raise ValidationError({"delivery": "Choose how it went out: mailed, e-mailed or handed over."})
    if sent_at < letter.final_at.replace(second=0, microsecond=0):  # a clerk types the minute it went out
        raise ValidationError({"sent_at": f"A letter goes out after it is made final ({when(letter.final_at)})."})
    if sent_at > timezone.now():
        raise ValidationError({"sent_at": "The time it went out cannot be in the future."})
    letter.delivery, letter.sent_at, letter.sent_by = delivery, sent_at, by
    save(letter, by=by, validate_constraints=True)
    if letter.kind == Letter.Kind.ACKNOWLEDGEMENT and not complaint.acknowledged_at:
        complaint.acknowledged_at = sent_at
        save(complaint, by=by, validate_constraints=True)
    note = f"{letter.get_kind_display()}, {letter.get_delivery_display().lower()}"
    _event(complaint, kind=ComplaintEvent.Kind.LETTER_SENT, by=by, note=note, at=sent_at)
    return letter


# --- The scheduler ------------------------------------------------------------------------------------------


STEP_NAMES = {
    "acknowledgement": "acknowledgement",
    "post_forwarding": "POST forwarding",
    "investigation": "investigation",
}


def complaints_deadlines_notify(*, by, now: datetime | None = None) -> int:
    """Tell whoever works a complaint, once, that its POST forwarding is due by the next business day (or late),
    and once for each step that goes overdue. Returns how many notices went out."""
    require(by, "welcoming.run_scheduled_jobs", message="Only the scheduler sends the reminders.")
    now = now or timezone.now()
    _, calendar, municipality = selectors.deadline_settings()
    today = selectors.local_date(now, municipality)
    told = 0
    for complaint in selectors.complaints_post_due_soon(calendar.add_business_days(today, 1)):
        with transaction.atomic():
            _notify_workers(
                complaint,
                event=Notification.Event.POST_DEADLINE_NEAR,
                subject=f"Complaint {complaint.tracking_code}: forward to POST by {complaint.post_due_on:%Y-%m-%d}",
                body="G.L. c.6E §8: a complaint against an officer alleging bias or force goes to the POST "
                "Commission within the business days the law allows.",
            )
            Complaint.objects.filter(pk=complaint.pk).update(post_reminded_at=now)
            told += 1
    for complaint in selectors.complaints_overdue(today):
        late = rules.overdue(complaint, today).steps
        new = [step for step in late if step not in complaint.overdue_notified]
        if not new:
            continue
        with transaction.atomic():
            _notify_workers(
                complaint,
                event=Notification.Event.COMPLAINT_OVERDUE,
                subject=f"Complaint {complaint.tracking_code} is overdue: "
                + ", ".join(STEP_NAMES[step] for step in new),
                body="A deadline of clause 3 has passed with its step not taken.",
            )
            Complaint.objects.filter(pk=complaint.pk).update(overdue_notified=[*complaint.overdue_notified, *new])
            told += 1
    return told


def _notify_workers(complaint: Complaint, **message) -> None:
    """The coordinator always; internal affairs too when the complaint is with it (its investigator if one)."""
    recipients = list(selectors.users_with_permission(selectors.ROUTE))
    if complaint.about_police_officers and complaint.stage != Complaint.Stage.RECEIVED:
        recipients += [complaint.investigator] if complaint.investigator else list(selectors.investigators())
    notify(recipients=recipients, link=complaint.get_absolute_url(), **message)
