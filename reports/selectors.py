"""Reads of the reports app: the reporting periods, and the figures of clause 4(a)–(d) with the records behind
each (DESIGN.md sections 5 and 8).

Each figure is counted and listed by the same selector, so the list behind a number always has that many
entries. Counting is done by aggregate queries whose number does not grow with the data.

Why one module over 400 lines: the periods, the figures' document (through `detainers.figures`), the signed
reports' states and the docket are what the reports pages read, each a few functions over one period.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.fields.json import KeyTransform
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from detainers import figures as police

# The records behind each figure are the police records' own selectors (`detainers.figures`); these names let the
# figures' pages, the signing and the tests read them from here.
from detainers.figures import (  # noqa: F401
    KINDS,
    NO_CASE,
    REASONS,
    detained_people,
    figure_record_ids,
    kind_label,
    lodged_records,
    reason_label,
    reimbursement_records,
    transferred_people,
)
from reports import charts
from reports.models import DocketItem, Meeting, Report
from welcoming import supplement
from welcoming.models import Municipality
from welcoming.periods import Period, Window, period, period_containing, window
from welcoming.selectors import business_calendar, municipality_get, today_local, town_zone

MAX_RANGE_YEARS = 10


# --- Periods ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingPeriod:
    period: Period
    due_on: date
    is_current: bool

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def number(self) -> int:
        return self.period.number

    def __str__(self):
        return str(self.period)


def first_tracked_start(municipality: Municipality) -> date:
    """The first day the app reports: the first tracked period's, or else the date of passage."""
    return municipality.first_tracked_period_start or municipality.date_of_passage


def reporting_period(municipality: Municipality, number: int, *, today: date) -> ReportingPeriod:
    found = period(municipality.date_of_passage, number)
    return ReportingPeriod(
        period=found,
        due_on=found.end + relativedelta(days=municipality.report_due_days),
        is_current=found.start <= today <= found.end,
    )


def reporting_periods(municipality: Municipality, *, today: date) -> list[ReportingPeriod]:
    """The current period and every past one the app reports, newest first, from the first tracked period."""
    first = period_containing(municipality.date_of_passage, first_tracked_start(municipality))
    current = period_containing(municipality.date_of_passage, today)
    if first is None or current is None:
        return []
    return [reporting_period(municipality, n, today=today) for n in range(current.number, first.number - 1, -1)]


def current_period(municipality: Municipality, *, today: date) -> ReportingPeriod | None:
    periods = reporting_periods(municipality, today=today)
    return periods[0] if periods else None


def figures_window(*, municipality: Municipality, start: date | None, end: date | None, today: date | None = None):
    """The window of a requested range — neither date: the current period — or a ValidationError naming the
    field that is wrong. The page, the downloads and the API all ask here."""
    if start is None and end is None:
        current = current_period(municipality, today=today or today_local(municipality))
        if current is None:
            raise ValidationError("No reporting period has begun yet.")
        start, end = current.start, current.end
    elif start is None or end is None:
        raise ValidationError(
            {"start" if start is None else "end": "Give both dates, or neither for the current period."}
        )
    first = first_tracked_start(municipality)
    if end < start:
        raise ValidationError({"end": f"The end ({end:%Y-%m-%d}) comes before the start ({start:%Y-%m-%d})."})
    if start < first:
        raise ValidationError(
            {"start": f"The first period this app reports begins on {first:%Y-%m-%d}; choose a later start."}
        )
    if end >= start + relativedelta(years=MAX_RANGE_YEARS):
        raise ValidationError({"end": f"A range may span at most {MAX_RANGE_YEARS} years."})
    return window(start, end, zone=municipality.time_zone)


# --- Figures 4(a)–(d): the records behind each --------------------------------------------------------------


# --- The figures as counts: DESIGN.md section 8 ------------------------------------------------------------


def money(amount) -> str:
    return f"{Decimal(amount or 0).quantize(Decimal('0.01'))}"


def reimbursement_counts(window: Window) -> dict:
    rows = police.reimbursement_sums(window)
    # Cases in order of their labels; the money tied to no case last, on its own line.
    by_case = [
        {"case": label or None, "amount": money(amount)}
        for label, amount in sorted(rows, key=lambda r: (not r[0], r[0]))
    ]
    return {"total": money(sum((amount for _, amount in rows), Decimal(0))), "by_case": by_case}


def figures(*, municipality: Municipality, window: Window, now=None) -> dict:
    """The report's machine-readable form (DESIGN.md section 8), computed live from the records."""
    now = now or timezone.now()
    return {
        "municipality": municipality.display_name,
        "period": {"start": window.start.isoformat(), "end": window.end.isoformat()},
        "lodged": police.lodged_counts(window),
        "individuals_detained": police.individuals_detained(window, now=now).count(),
        "individuals_transferred": police.individuals_transferred(window).count(),
        "reimbursements": reimbursement_counts(window),
        "supplement": {
            "beyond_the_ordinance": True,
            "note": supplement.BEYOND_THE_ORDINANCE,
            "sections": supplement.compute(window),
        },
    }


def figures_csv_rows(document: dict) -> list[list[str]]:
    """The same numbers as the JSON, one per row: part, figure, category, item, value. Categories are the JSON's
    keys, so a free-text case label never shares a category with a total."""
    rows = [["part", "figure", "category", "item", "value"]]
    for kind, counts in document["lodged"].items():
        rows.append(["ordinance", "4(a)", kind, "total", str(counts["total"])])
        rows += [["ordinance", "4(a)", kind, code, str(n)] for code, n in counts["by_reason"].items()]
    rows.append(["ordinance", "4(b)", "individuals_detained", "total", str(document["individuals_detained"])])
    rows.append(["ordinance", "4(c)", "individuals_transferred", "total", str(document["individuals_transferred"])])
    rows.append(["ordinance", "4(d)", "reimbursements", "total", document["reimbursements"]["total"]])
    for case in document["reimbursements"]["by_case"]:  # the item is the case label; empty: tied to no case
        rows.append(["ordinance", "4(d)", "reimbursements_by_case", case["case"] or "", case["amount"]])
    for section in document["supplement"]["sections"]:
        rows += [
            ["supplement", "beyond the ordinance", section["key"], line["key"], _csv_value(line)]
            for line in section["lines"]
        ]
    return rows


def _csv_value(line: dict) -> str:
    # An empty cell, not "None" or a 0: a spreadsheet then leaves the line out of a sum or an average.
    return "" if line["value"] is None else str(line["value"])


# --- Drill-down: the lists behind the numbers ----------------------------------------------------------------


def period_panel(user) -> dict:
    """For the police side's dashboards: the current period, and past periods whose report is not signed yet
    (two queries)."""
    municipality = municipality_get()
    if municipality is None:
        return {"current": None, "unsigned": []}
    today = today_local(municipality)
    periods = reporting_periods(municipality, today=today)
    status = report_status_of_periods(periods, today=today)
    unsigned = [(p, status[p.start]["state"]) for p in periods if status[p.start]["state"] in ("due", "late")]
    return {"current": periods[0] if periods else None, "unsigned": unsigned}


# --- Signed reports -----------------------------------------------------------------------------------------


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_sentences(document: dict) -> list[str]:
    """The four figures in words, so a period in which nothing happened says so plainly."""
    lodged = document["lodged"]
    total = sum(kind["total"] for kind in lodged.values())
    if total == 0:
        first = (
            "ICE lodged no immigration detainer, administrative warrant or notification request with the department."
        )
    else:
        first = (
            f"ICE lodged {_count(total, 'document', 'documents')} with the department: "
            f"{_count(lodged['immigration_detainer']['total'], 'immigration detainer', 'immigration detainers')}, "
            f"{_count(lodged['administrative_warrant']['total'], 'administrative warrant', 'administrative warrants')} "
            f"and {_count(lodged['notification_request']['total'], 'notification request', 'notification requests')}."
        )
    detained, moved = document["individuals_detained"], document["individuals_transferred"]
    money_total = Decimal(document["reimbursements"]["total"])
    return [
        first,
        "Nobody was detained on an ICE hold or administrative warrant."
        if detained == 0
        else f"{_count(detained, 'person was', 'people were')} detained on an ICE hold or administrative warrant.",
        "Nobody was transferred to ICE custody."
        if moved == 0
        else f"{_count(moved, 'person was', 'people were')} transferred to ICE custody.",
        "No reimbursement was received from the federal government."
        if money_total == 0
        else f"${money_total:,.2f} was received from the federal government in reimbursements.",
    ]


def reports_of_period(period_start: date, *, user=None):
    """Every version of a period's report, newest first; with `user`, only those that user may read."""
    reports = (
        signed_reports_for(user=user)
        if user is not None
        else Report.objects.select_related("signed_by", "supersedes", "superseded_by")
    )
    return reports.filter(period_start=period_start).order_by("-version")


def standing_reports(*, before: date | None = None):
    """The versions that stand (signed, not superseded), oldest period first."""
    reports = Report.objects.current().order_by("period_start")
    return reports.filter(period_start__lt=before) if before else reports


def with_figures_only(reports):
    """Reports with their frozen figures as `figures`, without the record ids frozen beside them: a large town's
    come to over 100 KB a period, and the pages that chart every period read them all on each request."""
    return reports.defer("snapshot", "drift").annotate(figures=KeyTransform("figures", "snapshot"))


def trend(*, until: Report | None = None, extra: tuple[str, dict] | None = None) -> list[tuple[str, dict]]:
    """The figures of every standing report up to a period, as (label, values) for a chart and its table."""
    reports = with_figures_only(standing_reports(before=until.period_start if until else None))
    points = [(period_label(r), trend_values(r.figures)) for r in reports]
    return points + ([extra] if extra else [])


def period_label(report) -> str:
    """“Dec 2025–May 2026”: a period as a chart's axis and its table name it, in the reader's language."""
    return f"{date_format(report.period_start, 'M Y')}–{date_format(report.period_end, 'M Y')}"


def trend_values(document: dict) -> dict:
    return {
        "lodged": sum(kind["total"] for kind in document["lodged"].values()),
        "detained": document["individuals_detained"],
        "transferred": document["individuals_transferred"],
    }


def period_state(period: ReportingPeriod, report: Report | None, *, today: date) -> str:
    """ "signed", "open" (still running), "due" (over, awaiting the signature) or "late" (past its due date)."""
    if report is not None:
        return "signed"
    if period.end >= today:
        return "open"
    return "late" if today > period.due_on else "due"


def report_status_of_periods(periods: list[ReportingPeriod], *, today: date) -> dict:
    """For the list of periods: each period's standing report, and its state (one query)."""
    # Without the snapshots: a large town's holds the ids of every record behind every figure (over 100 KB each).
    reports = Report.objects.current().defer("snapshot", "drift").filter(period_start__in=[p.start for p in periods])
    standing = {r.period_start: r for r in reports}
    return {
        p.start: {"report": standing.get(p.start), "state": period_state(p, standing.get(p.start), today=today)}
        for p in periods
    }


def lodged_rows(document: dict) -> list[dict]:
    """4(a) as a table reads it: each kind with its label and total, then its reasons with theirs."""
    return [
        {
            "kind": kind,
            "label": kind_label(kind),
            "total": counts["total"],
            "reasons": [
                {
                    "code": code,
                    "label": "Other reasons" if code == "other" else reason_label(code),
                    "count": count,
                }
                for code, count in _in_order(counts["by_reason"], REASONS)
            ],
        }
        for kind, counts in _in_order(document["lodged"], KINDS)
    ]


def _in_order(mapping: dict, order: list[str]) -> list[tuple]:
    """A snapshot's entries in the ordinance's and the form's order: PostgreSQL stores JSON objects with their
    keys sorted by length, so a signed report read back no longer has them in the order they were written."""
    return sorted(mapping.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


# --- Meetings and the docket --------------------------------------------------------------------------------


def posting_deadline(meeting, *, municipality=None) -> datetime:
    """When the meeting's notice and agenda must be posted: 48 hours before it, not counting Saturdays, Sundays,
    Massachusetts legal holidays and the municipality's own (Open Meeting Law, G.L. c.30A §20(b)). Pass the
    profile when asking for many meetings, so it is read once."""
    municipality = municipality or municipality_get()
    zone = ZoneInfo(town_zone(municipality))
    return business_calendar(municipality).subtract_business_hours(meeting.starts_at.astimezone(zone), 48)


def postable_meetings(*, now):
    """Upcoming meetings whose agenda can still be posted in time, soonest first (two queries)."""
    municipality = municipality_get()
    upcoming = Meeting.objects.filter(starts_at__gt=now).order_by("starts_at")[:50]
    return [meeting for meeting in upcoming if posting_deadline(meeting, municipality=municipality) > now]


def next_postable_meeting(*, now):
    meetings = postable_meetings(now=now)
    return meetings[0] if meetings else None


def docket_title(report: Report) -> str:
    municipality = municipality_get()
    chief = municipality.chief_title if municipality else "Chief of Police"
    title = (
        f"{chief}: semiannual report under clause 4, {report.period_start:%B %-d, %Y} to {report.period_end:%B %-d, %Y}"
    )
    return title + (f" (version {report.version}, a correction)" if report.version > 1 else "")


def clerk_queue() -> dict:
    """Standing signed reports awaiting each of the municipal clerk's steps (two queries)."""
    standing = list(Report.objects.current().exclude(status=Report.Status.DOCKETED).order_by("period_start"))
    return {
        "to_receive": [r for r in standing if r.status == Report.Status.SIGNED],
        "to_forward": [r for r in standing if r.status == Report.Status.RECEIVED],
        "to_docket": [r for r in standing if r.status == Report.Status.FORWARDED],
        "to_place": list(
            DocketItem.objects.filter(meeting__isnull=True).select_related("report").order_by("docketed_at")
        ),
    }


def corrected_versions(report_id: int) -> list[int]:
    """The versions a report corrects, nearest first: a correction of a correction replaces both (one query per
    version, and a period has few)."""
    found, current = [], Report.objects.filter(pk=report_id).values_list("supersedes_id", flat=True).first()
    while current is not None:
        found.append(current)
        current = Report.objects.filter(pk=current).values_list("supersedes_id", flat=True).first()
    return found


def docketed_ancestor(report: Report) -> DocketItem | None:
    """The docket item of the nearest earlier version that was docketed, if any."""
    corrected = corrected_versions(report.pk)
    items = {i.report_id: i for i in DocketItem.objects.filter(report_id__in=corrected).select_related("meeting")}
    return next((items[pk] for pk in corrected if pk in items), None)


def replaces_an_item_of(item: DocketItem, meeting: Meeting) -> bool:
    """Whether the item's report corrects a version that is, or was until withdrawn, on this meeting's agenda."""
    if not item.report_id:
        return False
    corrected = corrected_versions(item.report_id)
    return bool(corrected) and (
        DocketItem.objects.filter(report_id__in=corrected, meeting=meeting).exists()
        or meeting.changes.filter(item__report_id__in=corrected).exists()
    )


def replaced_on(item: DocketItem, *, now) -> list:
    """Upcoming meetings whose agenda holds, or held until withdrawn, a version this item's report corrects: a
    correction may join them after their posting deadline."""
    corrected = corrected_versions(item.report_id) if item.report_id else []
    if not corrected:
        return []
    return list(
        Meeting.objects.filter(starts_at__gt=now)
        .filter(Q(items__report_id__in=corrected) | Q(changes__item__report_id__in=corrected))
        .distinct()
        .order_by("starts_at")
    )


def meetings_to_offer(item: DocketItem, *, now) -> list:
    """The meetings the clerk may put an item on, the one proposed first: for a correction, the meetings of the
    version it replaces (it may still join them late); then every meeting whose agenda can still be posted."""
    postable = postable_meetings(now=now)
    replaced = replaced_on(item, now=now)
    return replaced + [m for m in postable if m not in replaced]


def added_after_posting(item: DocketItem, meeting: Meeting, *, deadline) -> bool:
    """Placed once the agenda had to be posted (48 hours before the meeting, not counting weekends and holidays):
    the notice says so beside the item."""
    return item.placed_at is not None and item.placed_at > deadline


def meetings_list():
    return Meeting.objects.annotate(item_count=Count("items")).order_by("-starts_at", "-pk")


# A docket item's report and the corrections after it, read with the item: "Replaced by version N" names the
# version that stands, and two corrections of one period are already rare.
REPLACED = ("report", "report__superseded_by", "report__superseded_by__superseded_by")


def agenda(meeting: Meeting):
    """The items on a meeting's agenda in the order placed, each with the correction that replaced it, if any."""
    return list(meeting.items.select_related(*REPLACED).order_by("placed_at", "pk"))


def agenda_title(item: DocketItem, municipality) -> str:
    """What the notice calls an item, specific enough for the public to know what will be discussed (Open Meeting
    Law): the committee, the report, the ordinance and clause, the period, the version and the docket number. A
    paper filed on paper keeps the title it was docketed under."""
    report = item.report
    if report is None or municipality is None:
        return item.title
    return (
        f"{municipality.committee_name}: semiannual report of the {municipality.police_department_name} under the "
        f"{municipality.instrument_title}, clause 4, {report.period_start:%B %-d, %Y}–{report.period_end:%B %-d, %Y}, "
        f"version {report.version} (docket {item.number})"
    )


def meeting_document(meeting: Meeting, *, municipality) -> dict:
    """The notice and agenda of a meeting as the print page and the PDF show it: each item with its title, the
    correction that replaced it and whether it came after posting; the amendments made since posting (three
    queries)."""
    deadline = posting_deadline(meeting, municipality=municipality)
    changes = agenda_changes(meeting)
    posted = meeting.agenda_posted_at
    return {
        "meeting": meeting,
        "deadline": deadline,
        "items": [
            {
                "item": item,
                "title": agenda_title(item, municipality),
                "replaced_by": item.replaced_by,
                "late": added_after_posting(item, meeting, deadline=deadline),
            }
            for item in agenda(meeting)
        ],
        "amendments": [change for change in changes if posted is not None and change.at > posted],
    }


def agenda_changes(meeting: Meeting):
    """Every placing and withdrawal, with who made it, oldest first: after posting, the notice's amendments."""
    return list(meeting.changes.select_related("item", "by").order_by("at", "pk"))


def next_docket_number(*, today: date | None = None) -> str:
    """The next free docket number in the clerk's own pattern: the latest number with its last run of digits
    counted on, keeping its width ("2026-318" then "2026-319"; "PS-09" then "PS-10"); with none yet, the year
    and 1 (two queries)."""
    latest = DocketItem.objects.order_by("-docketed_at", "-pk").values_list("number", flat=True).first()
    prefix, digits = (f"{(today or today_local()):%Y}-", "0") if latest is None else _split_number(latest)
    taken = {n.lower() for n in DocketItem.objects.filter(number__istartswith=prefix).values_list("number", flat=True)}
    n = int(digits) + 1
    while f"{prefix}{n:0{len(digits)}d}".lower() in taken:
        n += 1
    return f"{prefix}{n:0{len(digits)}d}"


def _split_number(number: str) -> tuple[str, str]:
    """("2026-", "318") from "2026-318"; a number that ends in no digit goes on with "-1"."""
    head = number.rstrip("0123456789")
    return (head, number[len(head) :]) if head != number else (f"{number}-", "0")


def docket_list(*, query: str = ""):
    items = DocketItem.objects.select_related(*REPLACED, "meeting").order_by("-docketed_at", "-pk")
    if query:
        items = items.filter(Q(number__icontains=query) | Q(title__icontains=query))
    return items


def docket_item(number: str) -> DocketItem:
    item = DocketItem.objects.select_related(*REPLACED, "meeting").filter(number=number).first()
    if item is None:
        raise Http404("No such docket item.")
    return item


# --- Public pages: only signed, standing, docketed reports --------------------------------------------------


def public_reports():
    """Signed reports the public may read: standing (not superseded) and docketed, oldest period first."""
    return Report.objects.current().filter(docket_item__isnull=False).order_by("period_start")


def public_docket():
    return list(DocketItem.objects.select_related(*REPLACED, "meeting").order_by("-docketed_at", "-pk"))


def figure_row(label: str, document: dict, *, links: dict | None = None) -> dict:
    """One period's four figures as a chart and its table read them; `links` opens the records behind each."""
    lodged = document["lodged"]
    return {
        "label": label,
        "immigration_detainer": lodged["immigration_detainer"]["total"],
        "administrative_warrant": lodged["administrative_warrant"]["total"],
        "notification_request": lodged["notification_request"]["total"],
        "detained": document["individuals_detained"],
        "transferred": document["individuals_transferred"],
        "reimbursements": Decimal(document["reimbursements"]["total"]),
        "dollars": int(Decimal(document["reimbursements"]["total"])),
        "links": links or {},
    }


def figure_charts(rows: list[dict], *, prefix: str = "chart") -> dict:
    """The public page's three charts over these rows, with the series their tables name."""
    groups = [(row["label"], row) for row in rows]
    lodged_series = [
        charts.Series("immigration_detainer", _("Immigration detainers")),
        charts.Series("administrative_warrant", _("Administrative warrants")),
        charts.Series("notification_request", _("Notification requests")),
    ]
    people_series = [
        charts.Series("detained", _("Detained on a hold")),
        charts.Series("transferred", _("Transferred to ICE")),
    ]
    money_series = [charts.Series("dollars", _("Reimbursements (dollars)"))]
    return {
        "rows": rows,
        "lodged_series": lodged_series,
        "people_series": people_series,
        "lodged_chart": charts.grouped_bars(
            chart_id=f"{prefix}-lodged",
            title=_("4(a) Documents lodged, by kind"),
            description=_(
                "Documents ICE lodged with the department in each period; the table below gives the numbers."
            ),
            groups=groups,
            series=lodged_series,
        ),
        "people_chart": charts.grouped_bars(
            chart_id=f"{prefix}-people",
            title=_("4(b) and 4(c) People detained on a hold and transferred to ICE"),
            description=_("People detained on an ICE hold and people transferred to ICE custody in each period."),
            groups=groups,
            series=people_series,
        ),
        "money_chart": charts.grouped_bars(
            chart_id=f"{prefix}-money",
            title=_("4(d) Reimbursements received"),
            description=_("Money received from the federal government in each period, in whole dollars."),
            groups=groups,
            series=money_series,
        ),
    }


def public_figures() -> dict:
    """The figures by period with a chart of each and the table of the same numbers (one query)."""
    return figure_charts([figure_row(period_label(r), r.figures) for r in with_figures_only(public_reports())])


def beside_previous(window: Window, document: dict, *, links: dict) -> dict:
    """The chief's figures page: the window's live figures beside the last signed period before it, drawn as the
    public page draws them (one query)."""
    previous = with_figures_only(standing_reports().filter(period_end__lt=window.start)).order_by("-period_start")
    previous = previous.first()
    live = f"{date_format(window.start, 'M j, Y')}–{date_format(window.end, 'M j, Y')} (live)"
    rows = [figure_row(f"{period_label(previous)} (signed)", previous.figures)] if previous else []
    return {"previous": previous, **figure_charts([*rows, figure_row(live, document, links=links)], prefix="live")}


def clerk_panel(user) -> dict:
    """For the municipal clerk's dashboard: how many reports await each step, and the next meeting."""
    queue = clerk_queue()
    return {
        "counts": [(label, len(queue[key])) for key, label in CLERK_STEPS],
        "next_meeting": next_postable_meeting(now=timezone.now()),
    }


CLERK_STEPS = [
    ("to_receive", "to receive"),
    ("to_forward", "to forward"),
    ("to_docket", "to docket"),
    ("to_place", "to put on an agenda"),
]


def council_panel(user) -> dict:
    """For council staff (and the chief): the next meeting and what is on its agenda."""
    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    return {"meeting": upcoming, "items": agenda(upcoming) if upcoming else []}


# --- Who reads which signed report (DESIGN.md section 1) ---------------------------------------------------

SIGNED_READERS = "welcoming.view_signed_reports"
DOCKETED_READERS = "welcoming.view_docketed_reports"


def signed_reports_for(*, user):
    """The signed reports a user may read: every one for the police side and the municipal clerk, docketed ones
    for council staff, none for anyone else. Pages, version lists and the API all ask here."""
    reports = Report.objects.select_related("signed_by", "supersedes", "superseded_by", "docket_item")
    if user.has_perm(SIGNED_READERS):
        return reports
    if user.has_perm(DOCKETED_READERS):
        return reports.filter(docket_item__isnull=False)
    return reports.none()


def signed_report_for(*, user, pk) -> Report:
    """One signed report its reader may see; someone who may read none is refused, and a council reader sees an
    undocketed report as missing."""
    if not (user.has_perm(SIGNED_READERS) or user.has_perm(DOCKETED_READERS)):
        raise PermissionDenied
    report = signed_reports_for(user=user).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    return report
