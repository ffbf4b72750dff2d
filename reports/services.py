"""Writes of the reports app: the chief signs a period's report (DESIGN.md section 5).

Signing freezes the figures, the supplement and the ids of the records behind each figure, renders the PDF once
and keeps its SHA-256. Nothing done to the records afterwards changes what was signed; a correction is a new
version that supersedes the standing one and says why.

Why one module over 400 lines: signing, the clerk's docket steps and the meetings all move one report through
its states under one row lock (`_step`), and read more plainly side by side.
"""

import hashlib
import logging
from bisect import bisect_left
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from detainers.figures import COUNTING_RULES_VERSION
from reports import charts, drift, selectors
from reports.models import AgendaChange, DocketItem, Meeting, Report
from welcoming import attachments
from welcoming.accounts import otp_code_was_used, otp_verify, otp_wait_seconds
from welcoming.acting import require, system_actor
from welcoming.drift import digest
from welcoming.models import Notification
from welcoming.notifications import notify
from welcoming.pdf import render_pdf
from welcoming.roles import SystemActor
from welcoming.saving import locked
from welcoming.selectors import municipality_get, town_zone, users_with_permission

SIGN = "welcoming.sign_report"
log = logging.getLogger(__name__)
PDF_TEMPLATE = "reports/pdf/report.html"
TREND_SERIES = [
    charts.Series("lodged", "Documents lodged, 4(a)"),
    charts.Series("detained", "People detained on a hold, 4(b)"),
    charts.Series("transferred", "People transferred to ICE, 4(c)"),
]


def report_sign(*, period_number: int, by, code: str, comment: str = "", correction_reason: str = "", now=None):
    """The chief signs a period's report after re-entering a one-time code.

    Everything that can be refused without the code is refused first, so a refusal does not spend it. The code
    is then checked on its own, outside the signing transaction, so that a wrong code counts towards the
    device's throttle even though nothing else is saved.
    """
    _sign_preconditions(period_number=period_number, by=by, correction_reason=correction_reason, now=now)
    if not code.strip():
        raise ValidationError({"code": "Enter the code your authenticator app shows now: signing needs it."})
    if wait := otp_wait_seconds(user=by):
        seconds = f"{wait} second{'s' if wait != 1 else ''}"
        raise ValidationError({"code": f"Too many wrong codes: wait {seconds}, then enter the code your app shows."})
    if otp_verify(user=by, code=code) is None:
        if otp_code_was_used(user=by, code=code):
            raise ValidationError(
                {
                    "code": "This code was already used, perhaps to sign in: each code works once. Wait for your "
                    "app to show the next code, then enter that one."
                }
            )
        raise ValidationError(
            {"code": "That code is not right, or was already used. Enter the code your authenticator app shows now."}
        )
    return report_freeze(
        period_number=period_number, by=by, comment=comment, correction_reason=correction_reason, now=now
    )


def _sign_preconditions(*, period_number: int, by, correction_reason: str, now=None, lock: bool = False):
    """(municipality, period, standing report) if this signature may happen, or the refusal that says why."""
    require(by, SIGN, message="Only the chief signs the report.")
    municipality = municipality_get()
    if municipality is None:
        raise ValidationError("The municipality profile is not set up yet.")
    today = selectors.today_local(municipality, now or timezone.now())
    period = selectors.reporting_period(municipality, period_number, today=today)
    if period_number < 0 or period.start < selectors.first_tracked_start(municipality):
        raise ValidationError("This period comes before the first period the app reports.")
    if period.end >= today:
        raise ValidationError(
            f"This period ends on {period.end:%B %-d, %Y}: its report is signed once the period is over."
        )
    reports = Report.objects.select_for_update(of=("self",)) if lock else Report.objects
    standing = reports.current().filter(period_start=period.start).first()
    if standing is not None and not correction_reason.strip():
        raise ValidationError(
            {
                "correction_reason": f"This period's report is already signed (version {standing.version}). "
                "To correct it, say why: the correction supersedes it."
            }
        )
    if standing is None and correction_reason.strip():
        raise ValidationError({"correction_reason": "There is no signed report to correct: sign the first version."})
    return municipality, period, standing


@transaction.atomic
def report_freeze(*, period_number: int, by, comment: str = "", correction_reason: str = "", now=None) -> Report:
    """Freeze and render a period's report as signed by `by`. The screens reach this only through
    `report_sign`, which checks the one-time code; the demo seeder calls it directly."""
    now = now or timezone.now()
    municipality, period, standing = _sign_preconditions(
        period_number=period_number, by=by, correction_reason=correction_reason, now=now, lock=True
    )
    window = selectors.figures_window(municipality=municipality, start=period.start, end=period.end)
    document = selectors.figures(municipality=municipality, window=window, now=now)
    records = selectors.figure_record_ids(window, now=now)
    _check_ids_match(document, records)
    report = Report(
        period_number=period.number,
        period_start=period.start,
        period_end=period.end,
        version=standing.version + 1 if standing else 1,
        chief_comment=comment.strip(),
        snapshot={"figures": document, "records": records, "counting_rules": COUNTING_RULES_VERSION},
        signed_by=by,
        signed_at=now,
        signer_name=by.get_full_name() or municipality.chief_name or by.get_username(),
        signer_title=municipality.chief_title,
        supersedes=standing,
        correction_reason=correction_reason.strip(),
    )
    pdf = _render(report, municipality)
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    report.full_clean(exclude=["pdf", "signed_by", "supersedes"])
    report.pdf.save(f"report-{period.start:%Y-%m-%d}-v{report.version}.pdf", ContentFile(pdf), save=False)
    try:  # from here on, a failure must not leave a file behind with no report row
        with transaction.atomic():
            report.save()
        _notify_signed(report)
    except IntegrityError:
        report.pdf.delete(save=False)
        raise ValidationError("Someone signed this period's report at the same moment: reload the page.") from None
    except BaseException:
        report.pdf.delete(save=False)
        raise
    return report


def _check_ids_match(document: dict, records: dict) -> None:
    """The counts and the ids are read by separate queries: a record saved in between would make them disagree,
    and a signed report must not. Refuse, and let the chief sign again."""
    counts = [
        *((len(records["lodged"][kind]), counts["total"]) for kind, counts in document["lodged"].items()),
        (len(records["individuals_detained"]["persons"]), document["individuals_detained"]),
        (len(records["individuals_transferred"]["persons"]), document["individuals_transferred"]),
    ]
    if any(ids != count for ids, count in counts):
        raise ValidationError("The records changed while the report was being signed. Sign again.")


def _render(report: Report, municipality) -> bytes:
    """The report's PDF, or a refusal that leaves it unsigned."""
    document = report.snapshot["figures"]
    points = selectors.trend(until=report, extra=(selectors.period_label(report), selectors.trend_values(document)))
    title = f"Semiannual report, {report.period_start:%B %-d, %Y} to {report.period_end:%B %-d, %Y}"
    try:
        return render_pdf(
            template=PDF_TEMPLATE,
            context={
                "report": report,
                "document": document,
                "lodged": selectors.lodged_rows(document),
                "sentences": selectors.summary_sentences(document),
                "trend": points,
                "series": TREND_SERIES,
                "chart": charts.grouped_bars(
                    title="The figures across periods",
                    description="Documents lodged, people detained on a hold and people transferred to ICE, "
                    "for each signed period up to this one. The same numbers are in the table beside it.",
                    groups=points,
                    series=TREND_SERIES,
                ),
            },
            title=title,
            author=f"{municipality.police_department_name}",
            subject=f"{municipality.instrument_title}, clause 4: the semiannual report of {municipality.display_name}",
        )
    except Exception as error:  # any failure to render leaves the report unsigned, with a message
        raise ValidationError(
            f"The PDF could not be made ({type(error).__name__}); the report was not signed. Try again with the "
            "next code your app shows, and tell the administrator if it happens again."
        ) from error


def _notify_signed(report: Report) -> None:
    """The municipal clerk receives the report next; the chief (and any other signer) hears it was signed."""
    subject = f"Report signed: {report.period_start:%B %-d, %Y} to {report.period_end:%B %-d, %Y}"
    if report.supersedes_id:
        subject += f" (version {report.version}, a correction)"
    recipients = users_with_permission("welcoming.process_signed_reports") | users_with_permission(SIGN)
    notify(
        recipients=recipients.distinct(),
        event=Notification.Event.REPORT_SIGNED,
        subject=subject,
        body=f"{report.signer_title} {report.signer_name} signed the semiannual report. "
        f"SHA-256 of the PDF: {report.pdf_sha256}",
        link=reverse("reports:report-version", args=[report.pk]),
    )
    if report.supersedes_id is None:
        return
    replaced = selectors.docketed_ancestor(report)
    if replaced is not None:
        _notify_replaced(replaced, report)


def _notify_replaced(item: DocketItem, report: Report) -> None:
    """The municipal clerk is told that a docketed report was replaced, and what to do with its agenda item."""
    if item.meeting is None:
        step = "It is on no agenda: docket the new version and place that instead."
    elif item.meeting.agenda_posted_at is None:
        step = (
            f"It is on the agenda of {item.meeting}, not yet posted: withdraw it, then docket the new version and "
            "place it there."
        )
    else:
        step = (
            f"It is on the posted agenda of {item.meeting}: the agenda stands. Docket the new version and, after the "
            "meeting, record what the committee did with each."
        )
    notify(
        recipients=users_with_permission(PROCESS),
        event=Notification.Event.AGENDA_CHANGED,
        subject=f"Docket {item.number} was replaced by version {report.version} of the report",
        body=f"The report for {_period_words(report)} was corrected. {step}",
        link=reverse("reports:docket-item", args=[item.number]),
    )


# --- After signing: the municipal clerk's docket and the committee's agenda (DESIGN.md section 5) ------------

PROCESS = "welcoming.process_signed_reports"
CHANGE_MEETINGS = "welcoming.change_meetings"


def _step(report: Report, *, expected: str, doing: str) -> None:
    """Steps come in order, on the version that stands."""
    if Report.objects.filter(supersedes_id=report.pk).exists():
        raise ValidationError(
            f"Version {report.version} was superseded by a correction: {doing} the newest version instead."
        )
    if report.status != expected:
        raise ValidationError(
            f"This report is “{report.get_status_display().lower()}”, so it cannot be {doing} now. "
            f"It must first be {Report.Status(expected).label.lower()}."
        )


def _step_moment(*, on, after, now, field: str, follows: str):
    """When a step the clerk dates is recorded: now if it is today (or no day is given); an earlier day at noon,
    town time, kept after the step it follows. Never in the future, never before that step's day."""
    municipality = municipality_get()
    today = selectors.today_local(municipality, now)
    if on is None or on == today:
        return now
    if on > today:
        raise ValidationError({field: f"{on:%B %-d, %Y} is in the future: give the day it happened."})
    since = selectors.today_local(municipality, after)
    if on < since:
        raise ValidationError({field: f"The report was {follows} on {since:%B %-d, %Y}: give that day or a later one."})
    noon = datetime.combine(on, time(12), tzinfo=ZoneInfo(town_zone(municipality)))
    return max(noon, after)  # on the day of the step it follows: not before that step, and still that day


@transaction.atomic
def report_receive(*, report: Report, by, on=None, now=None) -> Report:
    """The municipal clerk receives the signed report, today or on the day given."""
    require(by, PROCESS, message="Only the municipal clerk receives signed reports.")
    report = locked(report)
    _step(report, expected=Report.Status.SIGNED, doing="received")
    at = _step_moment(on=on, after=report.signed_at, now=now or timezone.now(), field="on", follows="signed")
    report.status, report.received_at, report.received_by = Report.Status.RECEIVED, at, by
    report.save(update_fields=["status", "received_at", "received_by"])
    notify(
        recipients=users_with_permission(SIGN),
        event=Notification.Event.REPORT_RECEIVED,
        subject=f"The {_clerk_title()} received the report for {_period_words(report)}",
        link=reverse("reports:report-version", args=[report.pk]),
    )
    return report


@transaction.atomic
def report_forward(*, report: Report, by, on=None, now=None) -> Report:
    """The municipal clerk forwards the received report to the executive (the Mayor, Town Manager…), today or on
    the day given."""
    require(by, PROCESS, message="Only the municipal clerk forwards signed reports.")
    report = locked(report)
    _step(report, expected=Report.Status.RECEIVED, doing="forwarded")
    at = _step_moment(on=on, after=report.received_at, now=now or timezone.now(), field="on", follows="received")
    report.status, report.forwarded_at, report.forwarded_by = Report.Status.FORWARDED, at, by
    report.save(update_fields=["status", "forwarded_at", "forwarded_by"])
    return report


@transaction.atomic
def report_docket(*, report: Report, number: str, title: str, by, now=None) -> DocketItem:
    """The municipal clerk gives the forwarded report a docket number; council staff and the public see it."""
    require(by, PROCESS, message="Only the municipal clerk dockets signed reports.")
    report = locked(report)
    _step(report, expected=Report.Status.FORWARDED, doing="docketed")
    docketed_at = now or timezone.now()
    item = DocketItem(
        report=report, number=number.strip(), title=title.strip(), docketed_at=docketed_at, docketed_by=by
    )
    item = _docket_item_save(item)
    report.status = Report.Status.DOCKETED
    report.save(update_fields=["status"])
    notify(
        recipients=users_with_permission("welcoming.view_docketed_reports"),
        event=Notification.Event.REPORT_DOCKETED,
        subject=f"Docketed as {item.number}: the report for {_period_words(report)}",
        link=reverse("reports:docket-item", args=[item.number]),
    )
    return item


@transaction.atomic
def paper_report_docket(*, number: str, title: str, upload, by, now=None) -> DocketItem:
    """An earlier report, from before the app, filed on the docket as the PDF it was (no figures)."""
    require(by, PROCESS, message="Only the municipal clerk dockets reports.")
    if upload.size > MAX_PAPER_BYTES:
        raise ValidationError({"paper_report": f"The file is over {MAX_PAPER_BYTES // 1_048_576} MB."})
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"paper_report": "This is not a PDF file (whatever its name says)."})
    if not attachments.opens_as(upload, "application/pdf"):
        raise ValidationError({"paper_report": "This PDF does not open: it may be cut short or damaged."})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    item = DocketItem(
        number=number.strip(),
        title=title.strip(),
        docketed_at=now or timezone.now(),
        docketed_by=by,
        paper_sha256=digest.hexdigest(),
    )
    item.paper_report.save("paper.pdf", upload, save=False)
    try:
        return _docket_item_save(item)
    except BaseException:
        item.paper_report.delete(save=False)
        raise


MAX_PAPER_BYTES = 20 * 1024 * 1024


def _docket_item_save(item: DocketItem) -> DocketItem:
    if DocketItem.objects.filter(number__iexact=item.number).exists():
        raise ValidationError({"number": _number_taken(item.number)})
    item.full_clean(exclude=["report", "docketed_by", "paper_report"])
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise ValidationError({"number": _number_taken(item.number)}) from None
    return item


def _number_taken(number: str) -> str:
    return f"Docket number {number} is already used. The next free number is {selectors.next_docket_number()}."


@transaction.atomic
def meeting_create(*, body: str, starts_at, place: str, by, agenda_posted_at=None) -> Meeting:
    """A committee meeting; past ones may be recorded for history."""
    require(by, CHANGE_MEETINGS, message="Only the municipal clerk manages meetings.")
    if agenda_posted_at is not None and agenda_posted_at > starts_at:
        raise ValidationError({"agenda_posted_at": "The agenda is posted before the meeting, not after it."})
    meeting = Meeting(body=body.strip(), starts_at=starts_at, place=place.strip(), created_by=by)
    meeting.agenda_posted_at, meeting.agenda_posted_by = agenda_posted_at, by if agenda_posted_at else None
    meeting.full_clean(exclude=["created_by", "agenda_posted_by"])
    meeting.save()
    return meeting


@transaction.atomic
def meeting_agenda_posted(*, meeting: Meeting, at, by) -> Meeting:
    require(by, CHANGE_MEETINGS, message="Only the municipal clerk manages meetings.")
    if at > meeting.starts_at:
        raise ValidationError({"agenda_posted_at": "The agenda is posted before the meeting, not after it."})
    meeting.agenda_posted_at, meeting.agenda_posted_by = at, by
    meeting.save(update_fields=["agenda_posted_at", "agenda_posted_by"])
    return meeting


@transaction.atomic
def docket_place_on_agenda(*, item: DocketItem, meeting: Meeting, by, now=None) -> DocketItem:
    """Put a docketed paper on a meeting's agenda, if that agenda can still be posted in time (Open Meeting Law:
    48 hours before the meeting, not counting Saturdays, Sundays and legal holidays). A correction of a report
    on that agenda may still go on it later, marked as added after posting: the chair could not have foreseen
    it (G.L. c.30A §20(b))."""
    require(by, CHANGE_MEETINGS, message="Only the municipal clerk sets agendas.")
    now = now or timezone.now()
    item = DocketItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.action:
        raise ValidationError({"meeting": "The committee already acted on this item: it stays on that agenda."})
    if item.meeting_id is not None:
        raise ValidationError({"meeting": f"This item is already on the agenda of {item.meeting}."})
    if item.report_id and Report.objects.filter(supersedes_id=item.report_id).exists():
        raise ValidationError({"meeting": "A correction superseded this report: docket the correction instead."})
    deadline = selectors.posting_deadline(meeting)
    if deadline <= now and not selectors.replaces_an_item_of(item, meeting):
        upcoming = selectors.next_postable_meeting(now=now)
        advice = f" The next meeting that can still be posted is {upcoming}." if upcoming else " Add a later meeting."
        raise ValidationError(
            {
                "meeting": f"The agenda of {meeting} had to be posted by {_when(deadline)} (48 hours before, not "
                f"counting weekends and holidays).{advice}"
            }
        )
    if meeting.starts_at <= now:
        raise ValidationError({"meeting": f"{meeting} has already begun: choose a later meeting."})
    item.meeting, item.placed_at = meeting, now
    item.save(update_fields=["meeting", "placed_at"])
    AgendaChange.objects.create(meeting=meeting, item=item, kind=AgendaChange.Kind.PLACED, at=now, by=by)
    notify(
        recipients=users_with_permission("welcoming.view_meetings"),
        event=Notification.Event.AGENDA_CHANGED,
        subject=f"Docket {item.number} is on the agenda of {meeting}",
        link=reverse("reports:meeting", args=[meeting.pk]),
    )
    return item


@transaction.atomic
def docket_withdraw(*, item: DocketItem, reason: str, by, now=None) -> DocketItem:
    """Take an item off a meeting's agenda before that agenda is posted, saying why (a replaced version, say).
    Once posted, the agenda stands as posted: the committee's action on each item is recorded instead."""
    require(by, CHANGE_MEETINGS, message="Only the municipal clerk sets agendas.")
    now = now or timezone.now()
    item = DocketItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    meeting = item.meeting
    if meeting is None:
        raise ValidationError({"reason": "This item is on no meeting's agenda."})
    if item.action:
        raise ValidationError({"reason": "The committee already acted on this item: it stays on that agenda."})
    if meeting.starts_at <= now:
        raise ValidationError({"reason": f"{meeting} has already begun: record what the committee did instead."})
    if meeting.agenda_posted_at is not None:
        raise ValidationError(
            {
                "reason": f"The agenda of {meeting} was posted on {_when(meeting.agenda_posted_at)}: a posted "
                "agenda stands. After the meeting, record what the committee did with this item."
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the item is withdrawn: the reason is kept with the agenda."})
    item.meeting, item.placed_at = None, None
    item._history_user = by  # the item's history, and through it the audit log, name who withdrew it
    item.save(update_fields=["meeting", "placed_at"])
    AgendaChange.objects.create(
        meeting=meeting, item=item, kind=AgendaChange.Kind.WITHDRAWN, reason=reason.strip(), at=now, by=by
    )
    notify(
        recipients=users_with_permission("welcoming.view_meetings"),
        event=Notification.Event.AGENDA_CHANGED,
        subject=f"Docket {item.number} was withdrawn from the agenda of {meeting}",
        link=reverse("reports:meeting", args=[meeting.pk]),
    )
    return item


@transaction.atomic
def docket_action_record(*, item: DocketItem, action: str, note: str = "", by, now=None) -> DocketItem:
    """What the committee did with the item, recorded by the municipal clerk after the meeting."""
    require(by, CHANGE_MEETINGS, message="Only the municipal clerk records the committee's action.")
    now = now or timezone.now()
    item = DocketItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    if item.action:
        raise ValidationError({"action": f"The committee's action is already recorded: {item.get_action_display()}."})
    if item.meeting is None:
        raise ValidationError({"action": "Put the item on a meeting's agenda first: the committee acts at a meeting."})
    if item.meeting.starts_at > now:
        raise ValidationError(
            {"action": f"The meeting is on {_when(item.meeting.starts_at)}: record the action after it."}
        )
    if action not in DocketItem.Action.values:
        raise ValidationError({"action": "Choose what the committee did."})
    if action == DocketItem.Action.OTHER and not note.strip():
        raise ValidationError({"action_note": "Say what the committee did."})
    item.action, item.action_note, item.action_recorded_at, item.action_recorded_by = action, note.strip(), now, by
    item.save(update_fields=["action", "action_note", "action_recorded_at", "action_recorded_by"])
    return item


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%A, %B %-d, %Y at %-I:%M %p}"


def _clerk_title() -> str:
    municipality = municipality_get()
    return municipality.clerk_title if municipality else "municipal clerk"


def _period_words(report: Report) -> str:
    return f"{report.period_start:%B %-d, %Y} to {report.period_end:%B %-d, %Y}"


def reports_awaiting_signature_notify(*, by, now=None) -> int:
    """Tell whoever signs that a period is over and its report awaits the signature: once per period (the
    scheduler runs this every few minutes). Returns how many periods were announced."""
    require(by, "welcoming.run_scheduled_jobs", message="Only the scheduler sends the reminders.")
    municipality = municipality_get()
    if municipality is None:
        return 0
    today = selectors.today_local(municipality, now)
    periods = selectors.reporting_periods(municipality, today=today)
    status = selectors.report_status_of_periods(periods, today=today)
    awaiting = [p for p in periods if status[p.start]["state"] in ("due", "late")]
    links = {p.start: reverse("reports:report", args=[p.number]) for p in awaiting}
    told = set(
        Notification.objects.filter(
            event=Notification.Event.REPORT_AWAITING_SIGNATURE, link__in=list(links.values())
        ).values_list("link", flat=True)
    )
    announced = 0
    for period in awaiting:
        if links[period.start] in told:
            continue
        notify(
            recipients=users_with_permission(SIGN),
            event=Notification.Event.REPORT_AWAITING_SIGNATURE,
            subject=f"The report for {period.start:%B %-d, %Y} to {period.end:%B %-d, %Y} awaits your signature "
            f"(due {period.due_on:%B %-d, %Y})",
            link=links[period.start],
        )
        announced += 1
    return announced


# --- Drift: a signed report whose records changed since (DESIGN.md section 5) ----------------------------

RUN = "welcoming.run_scheduled_jobs"


def report_drift_check(*, report: Report, by, now=None) -> dict:
    """Compare a signed report with its records now, store what differs, and tell whoever signs the first time
    each new set of differences is found. The report itself is not touched: drift is kept beside it."""
    require(by, RUN, message="Only the scheduler checks signed reports against their records.")
    now = now or timezone.now()
    found = drift.report_drift(report, now=now)
    report.drift, report.drift_checked_at, report.drift_digest = found, now, digest(found)
    # An update, not a save: drift is derived, so it is neither a change to the signed report nor in its history.
    Report.objects.filter(pk=report.pk).update(drift=found, drift_checked_at=now, drift_digest=report.drift_digest)
    if report.drift_digest:
        _notify_drift(report, found)
    return found


def _notify_drift(report: Report, found: dict) -> None:
    """Once per digest: the link carries it, so the same differences found again tell no one twice. Figures only,
    so the notice (which may be e-mailed) names no person."""
    link = reverse("reports:report", args=[report.period_number]) + f"#drift-{report.drift_digest[:12]}"
    if Notification.objects.filter(event=Notification.Event.REPORT_DRIFTED, link=link).exists():
        return
    lines = [
        f"{drift.figure_label(key)}: signed {values['signed'] if values['signed'] is not None else 'none'}, "
        f"now {values['now'] if values['now'] is not None else 'none'}."
        for key, values in found["figures"].items()
    ]
    if found["rule_changed"]:
        lines.append("Some of the difference comes from a change in how the app counts, not from the records.")
    notify(
        recipients=users_with_permission(SIGN),
        event=Notification.Event.REPORT_DRIFTED,
        subject=f"The signed report for {_period_words(report)} no longer matches the records",
        body="\n".join(
            [
                *lines,
                f"{len(found['records'])} record(s) changed since you signed it. Open the report to see which, and "
                "sign a correction if the report should say otherwise.",
            ]
        ),
        link=link,
    )


def reports_drift_check(*, by, now=None) -> int:
    """The scheduler's pass: every signed report that stands, checked against its records. Returns how many have
    drifted."""
    require(by, RUN, message="Only the scheduler checks signed reports against their records.")
    return _check_each(Report.objects.current(), by=by, now=now)


def reports_touched_check(moments) -> int:
    """After a transaction saved records the figures count (`welcoming.drift`): check the signed reports whose
    window holds a moment those records had or have. Most saves are of the running period and check nothing."""
    zone = ZoneInfo(town_zone(municipality_get()))
    days = sorted({timezone.localtime(m, zone).date() if isinstance(m, datetime) else m for m in moments})
    windows = Report.objects.current().values_list("pk", "period_start", "period_end")
    touched = [pk for pk, start, end in windows if (i := bisect_left(days, start)) < len(days) and days[i] <= end]
    if not touched:
        return 0
    return _check_each(Report.objects.filter(pk__in=touched), by=system_actor(SystemActor.SCHEDULER))


def _check_each(reports, *, by, now=None) -> int:
    """Each report on its own: one that cannot be checked is logged and does not stop the others."""
    drifted = 0
    for report in reports:
        try:
            drifted += bool(report_drift_check(report=report, by=by, now=now)["changed"])
        except Exception:
            log.exception("The drift check of report %s failed.", report.pk)
    return drifted
