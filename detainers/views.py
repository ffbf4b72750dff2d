"""The records clerk's screens: thin views over `detainers.services` (writes) and `detainers.selectors` (reads).

Why one module over 400 lines: the lists, forms and record pages share the list, form and record helpers at the
top; split by kind they would import them back from one another.
"""

import csv
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from detainers import forms, imports, selectors, services
from detainers.models import Detainer, InformationItem, Person
from welcoming import attachments, views_support
from welcoming import search as core_search
from welcoming import selectors as core_selectors
from welcoming.attachments import attachment_add
from welcoming.audit import audit_export, audit_list, audit_view
from welcoming.findings import findings_raised
from welcoming.forms import apply_form_errors
from welcoming.local_time import when
from welcoming.middleware import DEFAULT_BODY_LIMIT, body_limit
from welcoming.models import Finding
from welcoming.pdf import render_pdf
from welcoming.spreadsheets import csv_safe

VIEW = "welcoming.view_police_records"
CHANGE = "welcoming.change_police_records"
PAGE_SIZE = 25
can_view = permission_required(VIEW, raise_exception=True)
can_change = permission_required(CHANGE, raise_exception=True)
form_submit = partial(views_support.form_submit, template="records/form.html")


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


# --- Lists --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    value: callable


def _record_list(
    request,
    *,
    title,
    records,
    columns,
    export_name,
    new_url=None,
    new_label="",
    intro="",
    empty="Nothing recorded yet.",
    search_help="",
    filters=None,
):
    """A searchable, paginated list with a CSV export of everything it matches (the export is logged)."""
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export_name}.csv"'
        writer = csv.writer(response)
        writer.writerow(["id", *(column.header for column in columns)])
        ids = []
        for record in records:
            ids.append(record.pk)
            writer.writerow([record.pk, *(csv_safe(column.value(record)) for column in columns)])
        audit_export(user=request.user, record_type=records.model._meta.label_lower, record_ids=ids)
        return response
    page = views_support.page_seen(request, records, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(record, [(column.header, column.value(record)) for column in columns]) for record in page.object_list]
    return render(
        request,
        "detainers/list.html",
        {
            "title": title,
            "intro": intro,
            "columns": columns,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "new_url": new_url if request.user.has_perm(CHANGE) else None,
            "new_label": new_label,
            "empty": empty,
            "search": request.GET.get("q", ""),
            "search_help": search_help,
            "filters": filters,
        },
        status=views_support.filters_status(filters),
    )


@can_view
def detainer_list(request):
    filters = forms.DetainerFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    records = selectors.detainers_search(user=request.user, query=request.GET.get("q", ""), **chosen)
    return _record_list(
        request,
        filters=filters,
        title="Detainers and requests",
        records=records,
        export_name="detainers",
        columns=[
            Column("Person", lambda d: d.custody.person.full_name),
            Column("Form", lambda d: capfirst(d.form_name)),
            Column("Kind", lambda d: d.get_kind_display()),
            Column("Lodged", lambda d: when(d.lodged_at)),
            Column("Reasons", lambda d: ", ".join(str(r) for r in d.reasons.all())),
            Column("Copy served", lambda d: when(d.copy_served_at) or "Not yet"),
            Column("Status", lambda d: "Void" if d.is_voided else ("Lifted" if d.lifted_at else "Lodged")),
        ],
        intro="Every ICE detainer, administrative warrant and notification request. Record a new one from the "
        "person's custody page, or book the person first.",
        new_url=reverse("detainers:book"),
        new_label="Book a person",
        search_help="Name, booking number or ICE ID",
    )


@can_view
def custody_list(request):
    records = selectors.custody_search(
        user=request.user, query=request.GET.get("q", ""), in_custody="held" in request.GET
    )
    return _record_list(
        request,
        title="Custody",
        records=records,
        export_name="custody",
        columns=[
            Column("Person", lambda c: c.person.full_name),
            Column("Booking", lambda c: c.booking_number),
            Column("Booked", lambda c: when(c.booked_at)),
            Column("Basis", lambda c: c.get_basis_display()),
            Column("Eligible for release", lambda c: when(c.eligible_for_release_at)),
            Column("Left", lambda c: when(c.left_at) or "In custody"),
        ],
        new_url=reverse("detainers:book"),
        new_label="Book a person",
        search_help="Name or booking number",
    )


@can_view
def person_list(request):
    records = selectors.persons_for(user=request.user, search=request.GET.get("q", ""))
    return _record_list(
        request,
        title="People",
        records=records,
        export_name="people",
        columns=[
            Column("Name", lambda p: p.full_name),
            Column("Date of birth", lambda p: p.date_of_birth or ""),
            Column("Department ID", lambda p: p.department_id),
        ],
        new_url=reverse("detainers:book"),
        new_label="Book a person",
        search_help="Name or department ID",
    )


@can_view
def information_request_list(request):
    return _record_list(
        request,
        title="Information requests",
        records=selectors.information_requests_search(user=request.user, query=request.GET.get("q", "")),
        export_name="information-requests",
        columns=[
            Column("Person", lambda r: r.custody.person.full_name),
            Column("Agency", lambda r: r.agency),
            Column("Received", lambda r: when(r.received_at)),
            Column(
                "Disclosed",
                lambda r: ", ".join(i.get_item_display() for i in r.items.all() if i.disclosed) or "Nothing",
            ),
        ],
        intro="Record a new request from the person's custody page.",
        search_help="Name or booking number",
    )


@can_view
def access_request_list(request):
    return _record_list(
        request,
        title="Access requests",
        records=selectors.access_requests_search(user=request.user, query=request.GET.get("q", "")),
        export_name="access-requests",
        columns=[
            Column("Person", lambda r: r.custody.person.full_name),
            Column("Agency", lambda r: r.agency),
            Column("Requested", lambda r: when(r.requested_at)),
            Column("Mode", lambda r: r.get_mode_display()),
            Column("Granted", lambda r: "Yes" if r.granted else "No"),
        ],
        intro="Record a new request from the person's custody page.",
        search_help="Name or booking number",
    )


@can_view
def assistance_request_list(request):
    return _record_list(
        request,
        title="Assistance requests",
        records=selectors.assistance_requests_for(user=request.user),
        export_name="assistance-requests",
        columns=[
            Column("Agency", lambda r: r.agency),
            Column("Requested", lambda r: when(r.requested_at)),
            Column("Operation", lambda r: r.operation),
            Column(
                "Provided",
                lambda r: ", ".join(s.get_kind_display() for s in r.supports.all() if s.provided) or "Nothing",
            ),
        ],
        new_url=reverse("detainers:assistance-new"),
        new_label="Record an assistance request",
    )


@can_view
def reimbursement_list(request):
    return _record_list(
        request,
        title="Federal reimbursements",
        records=selectors.reimbursements_for(user=request.user),
        export_name="reimbursements",
        columns=[
            Column("Received", lambda r: r.received_on),
            Column("Amount", lambda r: f"${r.amount:,.2f}"),
            Column("Program", lambda r: r.get_program_display()),
            Column("Case", lambda r: r.case_label or "—"),
        ],
        new_url=reverse("detainers:reimbursement-new"),
        new_label="Record a reimbursement",
    )


# --- One search over the police side -----------------------------------------------------------------------


@can_view
def search(request):
    """The header's search box: a name, booking number, department ID or ICE reference, across the kinds of record
    this user may read (welcoming/search.py), a few of each with the count and a link to the list filtered. Only
    what the page shows is logged, as each record's own page logs a look."""
    query = request.GET.get("q", "").strip()
    results = core_search.search(user=request.user, query=query)
    shown = [record for result in results for record in result.records]
    if shown:
        audit_list(user=request.user, records=shown)
    groups = [
        {
            "kind": result.kind.key,
            "title": result.kind.title,
            "row_template": result.kind.row_template,
            "count": result.count,
            "records": result.records,
            "more": result.count - len(result.records),
            "list_url": result.kind.list_url(query),
        }
        for result in results
    ]
    return render(
        request,
        "detainers/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(result.count for result in results),
            "header_search_query": query,
        },
    )


# --- The release board --------------------------------------------------------------------------------------


@can_view
def release_board(request):
    """Everyone in custody with an open detainer or administrative warrant, and what the ordinance asks next."""
    hours = core_selectors.with_defaults(core_selectors.municipality_of_request(request)).detainer_copy_hours
    now = timezone.now()
    rows = selectors.release_board_rows(user=request.user, copy_hours=hours, now=now)
    # The board names everyone held: each look is logged like a look at their records (why it never reloads itself).
    if rows:
        audit_list(user=request.user, records=[row["custody"] for row in rows])
    return render(
        request,
        "detainers/board.html",
        {"rows": rows, "now": now, "copy_hours": hours, "can_change": request.user.has_perm(CHANGE)},
    )


# --- Booking and custody ------------------------------------------------------------------------------------


@can_change
def book(request):
    """Book a person: a new person record (with a check for duplicates) and the custody."""
    form = forms.BookingForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        probe = Person(
            full_name=data["full_name"], date_of_birth=data["date_of_birth"], department_id=data["department_id"]
        )
        duplicates = list(selectors.person_possible_duplicates(probe))
        if duplicates and not data["not_a_duplicate"]:
            form.add_error(
                None,
                "This may be someone already recorded. Book them from their own page below, or "
                "tick “This is a different person” to go on.",
            )
        else:
            try:
                with findings_raised() as raised:
                    custody = services.book_person(
                        full_name=data["full_name"],
                        date_of_birth=data["date_of_birth"],
                        department_id=data["department_id"],
                        booked_at=data["booked_at"],
                        basis=data["basis"],
                        booking_number=data["booking_number"],
                        by=request.user,
                    )
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                views_support.say_saved(request, f"{custody.person} is booked.", list(raised.values()))
                return redirect("detainers:custody-detail", pk=custody.pk)
    return render(request, "detainers/book.html", {"form": form, "duplicates": duplicates})


@can_change
def book_again(request, pk):
    person = selectors.person_for(user=request.user, pk=pk)
    if request.method == "GET":
        audit_view(user=request.user, record=person)
    return form_submit(
        request,
        forms.BookAgainForm(request.POST or None),
        save=lambda data: services.custody_create(person=person, by=request.user, **data),
        message=f"{person} is booked.",
        then=lambda custody: custody.get_absolute_url(),
        context={"title": f"Book {person} again", "back": person.get_absolute_url()},
    )


def _findings_and_files(record, user):
    history = list(record.history.select_related("history_user").order_by("-history_date", "-history_id")[:30])
    return {
        "can_void": not record.is_voided
        and (user.has_perm("welcoming.void_own_records") or user.has_perm("welcoming.void_any_record")),
        "void_form": forms.VoidForm(),
        "findings": Finding.objects.of_record(record).order_by("-opened_at"),
        "files": core_selectors.attachments_of(record),
        "history": history,
        # The version the action forms were drawn from (no lost updates: welcoming/versions.py).
        "version": max((row.history_id for row in history), default=None),
    }


@can_view
def custody_detail(request, pk):
    custody = selectors.custody_for(user=request.user, pk=pk)
    audit_view(user=request.user, record=custody)
    return render(
        request,
        "detainers/custody_detail.html",
        {
            "custody": custody,
            **_findings_and_files(custody, request.user),
            "detainers": custody.detainers.prefetch_related("reasons"),
            "information_requests": custody.information_requests.all(),
            "access_requests": custody.access_requests.all(),
            "can_change": request.user.has_perm(CHANGE) and not custody.is_voided,
            "judicial_authorities": [
                (
                    authority,
                    forms.JudicialAuthorityConfirmForm(auto_id=f"confirm{authority.pk}_%s"),
                    forms.VoidForm(auto_id=f"void{authority.pk}_%s"),
                )
                for authority in custody.judicial_authorities.select_related("came_with")
            ],
            # Each form's ids carry its own prefix: the page holds several, and a label must reach its own box.
            "eligible_form": forms.EligibleForm(auto_id="eligible_%s"),
            "release_form": forms.ReleaseForm(auto_id="release_%s"),
            "transfer_form": forms.TransferForm(auto_id="transfer_%s"),
            "authority_form": forms.JudicialAuthorityForm(auto_id="authority_%s"),
        },
    )


def _custody_action(request, pk, form_class, service):
    custody = selectors.custody_for(user=request.user, pk=pk)
    return form_submit(
        request,
        form_class(request.POST),
        save=views_support.if_unchanged(
            request, custody, lambda data: service(custody=custody, by=request.user, **data)
        ),
        message="Saved. The record was checked against the ordinance.",
        then=lambda _: _safe_next(request) or custody.get_absolute_url(),
        invalid_status=400,
        context={
            "title": f"{form_class.__name__.removesuffix('Form')} — {custody.person}",
            "back": custody.get_absolute_url(),
            "action": request.path,
        },
    )


@can_change
@require_POST
def custody_eligible(request, pk):
    return _custody_action(request, pk, forms.EligibleForm, services.custody_eligible)


@can_change
@require_POST
def custody_release(request, pk):
    return _custody_action(request, pk, forms.ReleaseForm, services.custody_release)


@can_change
@require_POST
def custody_transfer(request, pk):
    return _custody_action(request, pk, forms.TransferForm, services.custody_transfer_to_ice)


@can_change
@require_POST
def custody_judicial_authority(request, pk):
    return _custody_action(request, pk, forms.JudicialAuthorityForm, services.judicial_authority_record)


@can_change
@require_POST
def judicial_authority_confirm(request, pk):
    authority = selectors.judicial_authority_for(user=request.user, pk=pk)
    custody = authority.custody
    return form_submit(
        request,
        forms.JudicialAuthorityConfirmForm(request.POST),
        save=lambda data: services.judicial_authority_confirm(authority=authority, by=request.user, **data),
        message="Saved. The time is confirmed and the record was checked against the ordinance.",
        then=lambda _: custody.get_absolute_url(),
        invalid_status=400,
        context={
            "title": f"When the {authority.get_kind_display().lower()} for {custody.person} was received",
            "back": custody.get_absolute_url(),
            "action": request.path,
        },
    )


# --- Detainers ----------------------------------------------------------------------------------------------


@body_limit(attachments.MAX_BYTES + DEFAULT_BODY_LIMIT)  # the scan and the form
@can_change
def detainer_new(request, custody_pk):
    custody = selectors.custody_for(user=request.user, pk=custody_pk)
    if request.method == "GET":  # the form names the person held
        audit_view(user=request.user, record=custody)
    form = forms.DetainerForm(request.POST or None, request.FILES or None, custody=custody)

    def save(data):
        fields = {name: value for name, value in data.items() if name not in ("reasons", "other_reason")}
        return services.detainer_create(custody=custody, reasons=form.reason_pairs(), by=request.user, **fields)

    return form_submit(
        request,
        form,
        save=save,
        message="Recorded. The record was checked against the ordinance.",
        then=lambda detainer: detainer.get_absolute_url(),
        template="detainers/detainer_form.html",
        context={"custody": custody},
    )


@can_view
def detainer_detail(request, pk):
    detainer = selectors.detainer_for(user=request.user, pk=pk)
    audit_view(user=request.user, record=detainer)
    hours = core_selectors.with_defaults(core_selectors.municipality_of_request(request)).detainer_copy_hours
    return render(
        request,
        "detainers/detainer_detail.html",
        {
            "detainer": detainer,
            **_findings_and_files(detainer, request.user),
            "copy_due": selectors.copy_deadline(detainer, hours),
            "copy_hours": hours,
            "lodged_together": Detainer.objects.filter(lodging=detainer.lodging).exclude(pk=detainer.pk),
            "can_change": request.user.has_perm(CHANGE) and not detainer.is_voided,
            # Each form its own ids: three of them have an `at` field, and a label must focus its own form's box.
            "copy_form": forms.CopyServedForm(auto_id="copy_%s"),
            "lift_form": forms.LiftForm(auto_id="lift_%s"),
            "respond_form": forms.RespondForm(auto_id="respond_%s"),
            "attachment_form": forms.AttachmentForm(auto_id="attach_%s"),
        },
    )


def _detainer_action(request, pk, form_class, apply, *, versioned=True):
    """One of the detainer page's actions. A versioned one (a change to the detainer itself) is refused if the
    detainer changed since the page was drawn; attaching a file changes nothing another clerk could overwrite."""
    detainer = selectors.detainer_for(user=request.user, pk=pk)
    save = lambda data: apply(detainer, data)  # noqa: E731
    return form_submit(
        request,
        form_class(request.POST, request.FILES or None),
        save=views_support.if_unchanged(request, detainer, save) if versioned else save,
        message="Saved. The record was checked against the ordinance.",
        then=lambda _: detainer.get_absolute_url(),
        invalid_status=400,
        context={
            "title": f"{detainer.get_form_display()} — {detainer.custody.person}",
            "back": detainer.get_absolute_url(),
            "action": request.path,
        },
    )


@can_change
@require_POST
def detainer_copy_served(request, pk):
    return _detainer_action(
        request,
        pk,
        forms.CopyServedForm,
        # The other papers only when the clerk named some: the service changes what it is given, on the row as it
        # is now, and an empty box must not put back what this page showed before someone else's change.
        lambda d, data: services.detainer_update(
            detainer=d,
            copy_served_at=data["at"],
            **({"documents_served": data["documents_served"]} if data["documents_served"] else {}),
            by=request.user,
        ),
    )


@can_change
@require_POST
def detainer_lift(request, pk):
    return _detainer_action(
        request,
        pk,
        forms.LiftForm,
        lambda d, data: services.detainer_update(detainer=d, lifted_at=data["at"], by=request.user),
    )


@can_change
@require_POST
def detainer_respond(request, pk):
    return _detainer_action(
        request,
        pk,
        forms.RespondForm,
        lambda d, data: services.notification_respond(
            detainer=d, response=data["response"], at=data["at"], by=request.user
        ),
    )


@body_limit(attachments.MAX_BYTES + DEFAULT_BODY_LIMIT)
@can_change
@require_POST
def detainer_attach(request, pk):
    return _detainer_action(
        request,
        pk,
        forms.AttachmentForm,
        lambda d, data: attachment_add(record=d, upload=data["file"], by=request.user),
        versioned=False,
    )


# --- Voiding (any record) -----------------------------------------------------------------------------------

VOID_TARGETS = {
    "person": selectors.person_for,
    "custody": selectors.custody_for,
    "detainer": selectors.detainer_for,
    "judicial-authority": selectors.judicial_authority_for,
    "information-request": selectors.information_request_for,
    "access-request": selectors.access_request_for,
    "assistance-request": selectors.assistance_request_for,
    "reimbursement": selectors.reimbursement_for,
}


@can_view
@require_POST
def record_void(request, kind, pk):
    if kind not in VOID_TARGETS:
        raise PermissionDenied
    record = VOID_TARGETS[kind](user=request.user, pk=pk)
    form = forms.VoidForm(request.POST)
    if form.is_valid():
        try:
            services.record_void(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The record is void. It counts nowhere from now on; the void is reported.")
    else:
        messages.error(request, "Say why the record is void.")
    return redirect(record.get_absolute_url())


# --- Persons ------------------------------------------------------------------------------------------------


@can_view
def person_detail(request, pk):
    person = selectors.person_for(user=request.user, pk=pk)
    audit_view(user=request.user, record=person)
    custody_records = person.custody_records.prefetch_related(
        "detainers__reasons", "information_requests", "access_requests"
    )
    return render(
        request,
        "detainers/person_detail.html",
        {
            "person": person,
            "custody_records": custody_records,
            "duplicates": selectors.person_possible_duplicates(person),
            "history": person.history.select_related("history_user").order_by("-history_date")[:30],
            "can_change": request.user.has_perm(CHANGE),
            "void_form": forms.VoidForm(),
        },
    )


@can_change
def person_merge(request, pk):
    person = selectors.person_for(user=request.user, pk=pk)
    candidates = selectors.person_possible_duplicates(person)
    if request.method == "GET":  # the comparison: the person and each possible duplicate, side by side
        audit_list(user=request.user, records=[person, *candidates])
    return form_submit(
        request,
        forms.MergeForm(request.POST or None, candidates=candidates),
        save=lambda data: services.person_merge(keep=person, duplicate=data["duplicate"], by=request.user),
        message="Merged. The duplicate's custody records are now on this person's page.",
        then=lambda kept: kept.get_absolute_url(),
        template="detainers/merge.html",
        context={"person": person, "candidates": candidates},
    )


# --- Information requests: the screener and its letter --------------------------------------------------------


@can_change
def information_request_new(request, custody_pk):
    custody = selectors.custody_for(user=request.user, pk=custody_pk)
    if request.method == "GET":
        audit_view(user=request.user, record=custody)
    form = forms.InformationScreenerForm(request.POST or None)

    def save(data):
        return services.information_request_create(
            custody=custody,
            agency=data["agency"],
            received_at=data["received_at"],
            received_via=data["received_via"],
            federal_reference=data["federal_reference"],
            items=form.items(),
            notes=data["notes"],
            by=request.user,
        )

    return form_submit(
        request,
        form,
        save=save,
        message="Information request recorded. Print the response letter below.",
        then=lambda info: info.get_absolute_url(),
        template="detainers/screener.html",
        context={"custody": custody},
    )


def _letter_items(info):
    items = list(info.items.all())
    return {
        "declined": [i for i in items if i.asked and not i.disclosed],
        "provided": [i for i in items if i.disclosed],
        "restricted": InformationItem.RESTRICTED,
    }


@can_view
def information_request_detail(request, pk):
    info = selectors.information_request_for(user=request.user, pk=pk)
    audit_view(user=request.user, record=info)
    return render(
        request,
        "detainers/information_request_detail.html",
        {
            "info": info,
            **_findings_and_files(info, request.user),
            **_letter_items(info),
            "can_change": request.user.has_perm(CHANGE) and not info.is_voided,
        },
    )


@can_view
def information_request_letter(request, pk):
    """The response letter to the requesting agency: what is declined and why, in the municipality's words."""
    info = selectors.information_request_for(user=request.user, pk=pk)
    pdf = render_pdf(
        template="detainers/pdf/information_letter.html",
        title="Response to a request for information",
        context={"info": info, **_letter_items(info), "date": timezone.localdate()},
    )
    audit_export(user=request.user, record_type=info._meta.label_lower, record_ids=[info.pk])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="information-request-{info.pk}-response.pdf"'
    return response


# --- Access, assistance, reimbursements ---------------------------------------------------------------------


def _simple_create(request, *, form, title, create, back):
    return form_submit(
        request,
        form,
        save=lambda data: create(form),
        message="Recorded. The record was checked against the ordinance.",
        then=lambda record: record.get_absolute_url(),
        context={"title": title, "back": back},
    )


@can_change
def access_request_new(request, custody_pk):
    custody = selectors.custody_for(user=request.user, pk=custody_pk)
    if request.method == "GET":
        audit_view(user=request.user, record=custody)
    return _simple_create(
        request,
        form=forms.AccessRequestForm(request.POST or None),
        title=f"ICE asks for access to {custody.person}",
        create=lambda f: services.access_request_create(custody=custody, by=request.user, **f.cleaned_data),
        back=reverse("detainers:custody-detail", args=[custody.pk]),
    )


@can_change
def assistance_request_new(request):
    def create(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "asked" and not k.startswith("provided_")}
        return services.assistance_request_create(supports=form.supports(), by=request.user, **data)

    return _simple_create(
        request,
        form=forms.AssistanceRequestForm(request.POST or None),
        title="A request to help with a federal operation",
        create=create,
        back=reverse("detainers:assistance-request-list"),
    )


@can_change
def reimbursement_new(request):
    return _simple_create(
        request,
        form=forms.ReimbursementForm(request.POST or None),
        title="A federal reimbursement",
        create=lambda f: services.reimbursement_create(by=request.user, **f.cleaned_data),
        back=reverse("detainers:reimbursement-list"),
    )


def _simple_detail(request, record, *, title, facts, kind):
    audit_view(user=request.user, record=record)
    return render(
        request,
        "records/detail.html",
        {
            "record": record,
            "title": title,
            "facts": facts,
            "void_action": reverse("detainers:void", args=[kind, record.pk]),
            **_findings_and_files(record, request.user),
        },
    )


@can_view
def access_request_detail(request, pk):
    r = selectors.access_request_for(user=request.user, pk=pk)
    return _simple_detail(
        request,
        r,
        kind="access-request",
        title=f"Access request — {r.custody.person}",
        facts=[
            ("Person", r.custody.person),
            ("Agency", r.agency),
            ("Requested", when(r.requested_at)),
            ("Access asked for", r.get_mode_display()),
            ("Judicial warrant or court order", "Yes" if r.judicial_warrant_or_court_order else "No"),
            ("Granted", "Yes" if r.granted else "No"),
            ("Notes", r.notes),
        ],
    )


@can_view
def assistance_request_detail(request, pk):
    r = selectors.assistance_request_for(user=request.user, pk=pk)
    supports = r.supports.all()
    return _simple_detail(
        request,
        r,
        kind="assistance-request",
        title=f"Assistance request — {r.agency}",
        facts=[
            ("Agency", r.agency),
            ("Requested", when(r.requested_at)),
            ("Operation", r.operation),
            ("Asked for", ", ".join(s.get_kind_display() for s in supports if s.asked) or "Nothing"),
            ("Provided", ", ".join(s.get_kind_display() for s in supports if s.provided) or "Nothing"),
            ("Acted as immigration officers", "Yes" if r.deputized_functions else "No"),
            ("Notes", r.notes),
        ],
    )


@can_view
def reimbursement_detail(request, pk):
    r = selectors.reimbursement_for(user=request.user, pk=pk)
    return _simple_detail(
        request,
        r,
        kind="reimbursement",
        title=f"Reimbursement of ${r.amount:,.2f}",
        facts=[
            ("Amount", f"${r.amount:,.2f}"),
            ("Received on", r.received_on),
            ("Program", r.get_program_display()),
            ("Case label", r.case_label or "None (not tied to a case)"),
            ("Notes", r.notes),
        ],
    )


# --- Import -------------------------------------------------------------------------------------------------


@body_limit(imports.MAX_BYTES + DEFAULT_BODY_LIMIT)
@can_change
def import_records(request):
    """Upload a records-system CSV: every row checked; all saved, or nothing and a list of what to fix."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report, refused = None, None
    if request.method == "POST" and form.is_valid():
        try:
            report = imports.import_records(
                data=form.cleaned_data["file"].read(), by=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except imports.ImportRefused as error:
            refused = str(error)
        else:
            form = forms.ImportForm()  # a fresh form: the next upload is a new decision (check, or import)
    created = _import_created(report) if report and report.saved else []
    return render(
        request, "detainers/import.html", {"form": form, "report": report, "refused": refused, "created": created}
    )


# Each kind an import creates: how its records read in the result, and the list that holds them all.
IMPORTED_KINDS = {
    "person": (lambda p: p.full_name, "detainers:person-list"),
    "custody": (lambda c: f"{c.person.full_name}, booked {when(c.booked_at)}", "detainers:custody-list"),
    "detainer": (
        lambda d: f"{capfirst(d.form_name)} for {d.custody.person.full_name}, lodged {when(d.lodged_at)}",
        "detainers:detainer-list",
    ),
}


def _import_created(report) -> list[dict]:
    """What a saved import created, kind by kind: how many, the first few as links, and the list of them all."""
    sections = []
    for kind, records in report.first_created.items():
        label, list_url = IMPORTED_KINDS[kind]
        sections.append(
            {
                "title": capfirst(imports.counted(Counter({kind: report.created[kind]}))),
                "links": [(label(record), record.get_absolute_url()) for record in records],
                "more": report.created[kind] - len(records),
                "list_url": reverse(list_url),
                "list_name": imports.KIND_NAMES[kind][1],
            }
        )
    return sections


@can_view
def import_format(request):
    context = {
        "columns": imports.COLUMNS,
        "max_mb": imports.MAX_BYTES // 1_048_576,
        "example": imports.worked_example(),
    }
    return render(request, "detainers/import_format.html", context)


@can_view
def import_sample(request):
    response = HttpResponse(imports.SAMPLE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="records-sample.csv"'
    return response
