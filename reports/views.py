"""The police side's report pages: the periods, the live figures with the records behind each, downloads."""

import csv
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from reports import drift, selectors, services
from reports.forms import CorrectionForm, FigureRecordsForm, FiguresRangeForm, SignForm, StepDateForm
from welcoming import selectors as core_selectors
from welcoming import views_support
from welcoming.forms import apply_form_errors
from welcoming.spreadsheets import csv_safe

DRAFTS = "welcoming.view_report_drafts"
can_view_drafts = permission_required(DRAFTS, raise_exception=True)
PAGE_SIZE = 50


def _municipality_or_page(request):
    """The profile, or the page that says reports need it (the administrator sets it up)."""
    municipality = core_selectors.municipality_of_request(request)
    if municipality is None:
        return None, render(request, "reports/unconfigured.html", status=503)
    return municipality, None


def _range_form(request, form_class=FiguresRangeForm):
    municipality = core_selectors.municipality_of_request(request)
    # Always bound: an empty query means the current period, and goes through the same checks.
    return form_class(request.GET, municipality=municipality, today=selectors.today_local(municipality))


@can_view_drafts
def periods(request):
    municipality, page = _municipality_or_page(request)
    if page:
        return page
    today = selectors.today_local(municipality)
    periods = selectors.reporting_periods(municipality, today=today)
    status = selectors.report_status_of_periods(periods, today=today)
    return render(request, "reports/periods.html", {"rows": [(p, status[p.start]) for p in periods]})


def _records_url(window, **params) -> str:
    query = {"start": window.start.isoformat(), "end": window.end.isoformat(), **params}
    return reverse("reports:figure-records") + "?" + urlencode({k: v for k, v in query.items() if v is not None})


def _figure_tables(document: dict, window) -> dict:
    """The figures as the page shows them: each number with the link to the records behind it."""
    lodged = [
        {
            **kind,
            "url": _records_url(window, figure="lodged", kind=kind["kind"]),
            "reasons": [
                {**reason, "url": _records_url(window, figure="lodged", kind=kind["kind"], reason=reason["code"])}
                for reason in kind["reasons"]
            ],
        }
        for kind in selectors.lodged_rows(document)
    ]
    cases = [
        {
            **case,
            "url": _records_url(window, figure="reimbursements", case=case["case"])
            if case["case"]
            else _records_url(window, figure="reimbursements", without_case="on"),
        }
        for case in document["reimbursements"]["by_case"]
    ]
    return {
        "lodged": lodged,
        "detained_url": _records_url(window, figure="detained"),
        "transferred_url": _records_url(window, figure="transferred"),
        "reimbursements_url": _records_url(window, figure="reimbursements"),
        "cases": cases,
    }


@can_view_drafts
def figures(request):
    """The four figures for the current period or any range, live from the records, and the supplement."""
    municipality, page = _municipality_or_page(request)
    if page:
        return page
    form = _range_form(request)
    context = {"form": form, "periods": selectors.reporting_periods(municipality, today=form.today)}
    if not form.is_valid():
        return render(request, "reports/figures.html", context, status=400)
    window = form.cleaned_data["window"]
    document = selectors.figures(municipality=municipality, window=window)
    tables = _figure_tables(document, window)
    links = {kind["kind"]: kind["url"] for kind in tables["lodged"]} | {
        "detained": tables["detained_url"],
        "transferred": tables["transferred_url"],
        "reimbursements": tables["reimbursements_url"],
    }
    query = urlencode({"start": window.start.isoformat(), "end": window.end.isoformat()})
    return render(
        request,
        "reports/figures.html",
        {
            **context,
            "window": window,
            "document": document,
            "tables": tables,
            "comparison": selectors.beside_previous(window, document, links=links),
            "json_url": reverse("reports:figures-download", args=["json"]) + "?" + query,
            "csv_url": reverse("reports:figures-download", args=["csv"]) + "?" + query,
        },
    )


@can_view_drafts
def figures_download(request, fmt):
    """The same document as the API, as a JSON or CSV file."""
    municipality, page = _municipality_or_page(request)
    if page:
        return page
    form = _range_form(request)
    if not form.is_valid():
        return HttpResponse(_errors_text(form), status=400, content_type="text/plain; charset=utf-8")
    window = form.cleaned_data["window"]
    document = selectors.figures(municipality=municipality, window=window)
    name = f"figures-{window.start:%Y-%m-%d}-to-{window.end:%Y-%m-%d}.{fmt}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(document, indent=2, cls=DjangoJSONEncoder), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        for row in selectors.figures_csv_rows(document):
            writer.writerow([csv_safe(cell) for cell in row])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _errors_text(form) -> str:
    lines = [f"{field}: {message}" for field, messages in form.errors.items() for message in messages]
    return "\n".join(line.replace("__all__: ", "") for line in lines) + "\n"


# The lists name people: the figures' readers who may also read the police records (today the same roles).
@permission_required([DRAFTS, "welcoming.view_police_records"], raise_exception=True)
def figure_records(request):
    """The records behind one number; the same selector counts them, so the list is as long as the number."""
    municipality, page = _municipality_or_page(request)
    if page:
        return page
    form = _range_form(request, FigureRecordsForm)
    if not form.is_valid():
        return render(request, "reports/figure_records.html", {"form": form}, status=400)
    data, window, now = form.cleaned_data, form.cleaned_data["window"], timezone.now()
    figure, detail = data["figure"], ""
    if figure == "lodged":
        records = selectors.lodged_records(window, kind=data["kind"], reason=data["reason"] or None)
        detail = selectors.kind_label(data["kind"])
        if data["reason"]:
            detail += f", {selectors.reason_label(data['reason']).lower()}"
    elif figure == "detained":
        records = selectors.detained_people(window, now=now)
    elif figure == "transferred":
        records = selectors.transferred_people(window)
    else:
        case = selectors.NO_CASE if data["without_case"] else data["case"] or None
        records = selectors.reimbursement_records(window, case=case)
        detail = "tied to no case" if case is selectors.NO_CASE else f"case {case}" if case else ""
    listing = views_support.page_seen(request, records, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/figure_records.html",
        {
            "form": form,
            "figure": figure,
            "figure_label": dict(FigureRecordsForm.FIGURES)[figure],
            "detail": detail,
            "window": window,
            "page": listing,
            "query": query.urlencode(),
            "figures_url": reverse("reports:figures") + "?" + urlencode({"start": window.start, "end": window.end}),
        },
    )


# --- The period's report: draft, signing, signed versions ---------------------------------------------------


def _period_or_404(municipality, number: int, today):
    periods = {p.number: p for p in selectors.reporting_periods(municipality, today=today)}
    if number not in periods:
        raise Http404("No such reporting period.")
    return periods[number]


@can_view_drafts
def report(request, number):
    """A period's report: live figures and the chief's signature while it is a draft; the signed snapshot, its
    PDF and hash, any drift of the records since, and any earlier versions once signed."""
    municipality, page = _municipality_or_page(request)
    if page:
        return page
    today = selectors.today_local(municipality)
    period = _period_or_404(municipality, number, today)
    versions = list(selectors.reports_of_period(period.start))
    standing = next((r for r in versions if not r.is_superseded), None)
    can_sign = request.user.has_perm(services.SIGN) and period.end < today
    if request.method == "POST" and not can_sign:
        raise PermissionDenied("Only the chief signs the report, once its period is over.")
    if request.method == "POST" and standing:
        messages.error(
            request, f"This report was already signed (version {standing.version}). To change it, sign a correction."
        )
        return redirect("reports:report", number=period.number)
    form, status = (SignForm(request.POST or None) if can_sign and not standing else None), 200
    if request.method == "POST":
        if signed := _sign(request, form, period):
            messages.success(request, f"Report signed (version {signed.version}). The municipal clerk was told.")
            return redirect("reports:report", number=period.number)
        status = 400
    context = {"period": period, "versions": versions, "standing": standing, "form": form, "can_sign": can_sign}
    if standing:
        context.update(_snapshot_context(standing))
        context["drift"] = _drift_shown(request, standing)
    else:
        window = selectors.figures_window(municipality=municipality, start=period.start, end=period.end)
        document = selectors.figures(municipality=municipality, window=window)
        context.update(
            {
                "document": document,
                "tables": _figure_tables(document, window),
                "sentences": selectors.summary_sentences(document),
                "window": window,
                "state": selectors.period_state(period, None, today=today),
            }
        )
    return render(request, "reports/report.html", context, status=status)


def _sign(request, form, period):
    """The signature (or correction) the form asks for, or None with the refusal on the form."""
    if not form.is_valid():
        return None
    try:
        return services.report_sign(
            period_number=period.number,
            by=request.user,
            code=form.cleaned_data["code"],
            comment=form.cleaned_data["chief_comment"],
            correction_reason=form.cleaned_data.get("correction_reason", ""),
        )
    except ValidationError as error:
        apply_form_errors(form, error)
        return None


def _drift_shown(request, report):
    return drift.drift_shown(report, may_open_records=request.user.has_perm("welcoming.view_police_records"))


@permission_required(services.SIGN, raise_exception=True)
def report_correct(request, number):
    """A correction signed with eyes open: before the code is asked, every figure the correction would freeze
    beside the standing version's, each difference marked, and the records that changed since."""
    municipality, page = _municipality_or_page(request)
    if page:
        return page
    today = selectors.today_local(municipality)
    period = _period_or_404(municipality, number, today)
    standing = next((r for r in selectors.reports_of_period(period.start) if not r.is_superseded), None)
    if standing is None:
        messages.info(request, "This period's report is not signed yet: there is nothing to correct.")
        return redirect("reports:report", number=period.number)
    form, status = CorrectionForm(request.POST or None), 200
    if request.method == "POST":
        if signed := _sign(request, form, period):
            messages.success(
                request,
                f"Correction signed: version {signed.version} supersedes version {standing.version}. The municipal "
                "clerk was told.",
            )
            return redirect("reports:report", number=period.number)
        status = 400
    window = selectors.figures_window(municipality=municipality, start=period.start, end=period.end)
    rows = drift.compared(standing.snapshot["figures"], selectors.figures(municipality=municipality, window=window))
    context = {
        "period": period,
        "standing": standing,
        "form": form,
        "rows": rows,
        "differences": sum(row["changed"] for row in rows),
        "drift": _drift_shown(request, standing),
    }
    return render(request, "reports/correct.html", context, status=status)


def _snapshot_context(report) -> dict:
    document = report.snapshot["figures"]
    return {
        "document": document,
        "lodged": selectors.lodged_rows(document),
        "sentences": selectors.summary_sentences(document),
    }


def report_version(request, pk, *, step_form=None):
    """One signed version, as it was signed, and the municipal clerk's next step on it (dated, today unless the
    clerk says otherwise); `step_form` is that step refused, shown with its errors."""
    signed = selectors.signed_report_for(user=request.user, pk=pk)
    versions = list(selectors.reports_of_period(signed.period_start, user=request.user))
    today = selectors.today_local(core_selectors.municipality_of_request(request))
    step_form = step_form or StepDateForm(initial={"on": today})
    step_form.fields["on"].label = "Received on" if signed.status == signed.Status.SIGNED else "Forwarded on"
    context = {
        "show_supersession": signed.is_superseded and signed.superseded_by in versions,
        "report": signed,
        "versions": versions,
        "can_process": request.user.has_perm(services.PROCESS),
        "drift": None if signed.is_superseded else _drift_shown(request, signed),
        "step_form": step_form,
        **_snapshot_context(signed),
    }
    return render(request, "reports/report_version.html", context, status=400 if step_form.is_bound else 200)


def report_pdf(request, pk):
    """The signed PDF, byte for byte the file whose hash the report page shows."""
    signed = selectors.signed_report_for(user=request.user, pk=pk)
    name = f"report-{signed.period_start:%Y-%m-%d}-to-{signed.period_end:%Y-%m-%d}-v{signed.version}.pdf"
    return FileResponse(signed.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


def report_json(request, pk):
    """The signed figures as JSON: the same document as the figures API, as it was signed."""
    signed = selectors.signed_report_for(user=request.user, pk=pk)
    response = HttpResponse(
        json.dumps(signed.snapshot["figures"], indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    name = f"figures-{signed.period_start:%Y-%m-%d}-to-{signed.period_end:%Y-%m-%d}-v{signed.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
