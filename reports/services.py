"""Writes of the reports app: the chief signs a period's report (DESIGN.md section 5).

Signing freezes the figures, the supplement and the ids of the records behind each figure, renders the PDF once
and keeps its SHA-256. Nothing done to the records afterwards changes what was signed; a correction is a new
version that supersedes the standing one and says why.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reports import charts, selectors
from reports.models import Report
from welcoming.models import Notification
from welcoming.pdf import render_pdf
from welcoming.selectors import municipality_get, users_with_permission
from welcoming.services import notify, otp_verify, otp_wait_seconds

SIGN = "welcoming.sign_report"
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
        raise ValidationError(
            {"code": "That code is not right, or was already used. Enter the code your authenticator app shows now."}
        )
    return report_freeze(
        period_number=period_number, by=by, comment=comment, correction_reason=correction_reason, now=now
    )


def _sign_preconditions(*, period_number: int, by, correction_reason: str, now=None, lock: bool = False):
    """(municipality, period, standing report) if this signature may happen, or the refusal that says why."""
    if not by.has_perm(SIGN):
        raise PermissionDenied("Only the chief signs the report.")
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
        snapshot={"figures": document, "records": records},
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
