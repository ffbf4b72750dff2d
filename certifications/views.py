"""U visa certification screens: the records clerk logs and lists requests; the chief and the certifying
officials decide them from their queue. Thin views over `certifications.services` and `.selectors`."""

from functools import partial

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation

from certifications import forms, selectors, services
from certifications.models import UVisaRequest
from detainers.selectors import persons_for
from welcoming import views_support
from welcoming.audit import audit_export, audit_list, audit_view
from welcoming.models import Finding
from welcoming.pdf import render_pdf
from welcoming.selectors import attachments_of, municipality_of_request, today_local

PAGE_SIZE = 25
can_view = permission_required(selectors.VIEW, raise_exception=True)
form_submit = partial(views_support.form_submit, template="records/form.html")


@can_view
def request_list(request):
    filters = forms.FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    today = today_local(municipality=municipality_of_request(request))
    requests = selectors.requests_search(
        user=request.user,
        query=request.GET.get("q", ""),
        decision=chosen.get("decision", ""),
        overdue=chosen.get("overdue", False),
        today=today,
    )
    page = views_support.page_seen(request, requests, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certifications/list.html",
        {
            "page": page,
            "filters": filters,
            "search": request.GET.get("q", ""),
            "query": query.urlencode(),
            "today": today,
            "may_log": request.user.has_perm(services.CHANGE),
        },
        status=views_support.filters_status(filters),
    )


@can_view
def queue(request):
    """The certifying officials' queue: pending requests by due date."""
    requests = selectors.decision_queue(user=request.user)
    page = views_support.page_seen(request, requests, PAGE_SIZE)
    today = today_local(municipality=municipality_of_request(request))
    return render(request, "certifications/queue.html", {"page": page, "today": today})


@permission_required(services.CHANGE, raise_exception=True)
def request_new(request):
    persons = persons_for(user=request.user).active()
    if request.method == "GET":  # the victim's choices name everyone on record
        audit_list(user=request.user, records=persons)
    return form_submit(
        request,
        forms.RequestForm(request.POST or None, persons=persons),
        save=lambda data: services.u_visa_request_create(by=request.user, **data),
        message=lambda r: f"Request logged. A decision is due by {r.due_on:%B %-d, %Y}.",
        then=lambda r: r.get_absolute_url(),
        context={"title": "Log a U visa certification request", "back": "/u-visa/"},
    )


@can_view
def request_detail(request, pk):
    record = selectors.request_for(user=request.user, pk=pk)
    audit_view(user=request.user, record=record)
    facts = [
        ("Received", record.received_on),
        ("Sent by", f"{record.requester_name} ({record.get_requester_kind_display().lower()})"),
        ("Contact", record.requester_contact),
        ("Language of the letter", record.language_name),
        ("Victim", record.victim),
        ("Related case", record.case_number),
        ("Qualifying criminal activity", record.crime_label),
        ("Helpfulness", record.get_helpfulness_display()),
        ("Expedited", f"Yes: {record.expedite_reason}" if record.expedited else "No"),
        ("Due", record.due_on),
        ("Decision", record.get_decision_display()),
        ("Decided on", record.decided_on),
        ("Certifying official", record.certifying_official.get_full_name() if record.certifying_official else ""),
        ("Reason", record.reason),
    ]
    return render(
        request,
        "certifications/detail.html",
        {
            "title": f"U visa request for {record.victim}",
            "record": record,
            "facts": facts,
            "may_decide": request.user.has_perm(selectors.DECIDE) and record.decision == "pending",
            # Findings are the police side's (a certifying official does not read them).
            "findings": Finding.objects.of_record(record).order_by("-opened_at")
            if request.user.has_perm("welcoming.view_findings")
            else [],
            "shows_findings": request.user.has_perm("welcoming.view_findings"),
            "files": attachments_of(record),
            "history": record.history.select_related("history_user").order_by("-history_date")[:30],
        },
    )


@permission_required(selectors.DECIDE, raise_exception=True)
def request_decide(request, pk):
    record = selectors.request_for(user=request.user, pk=pk)
    if request.method == "GET":
        audit_view(user=request.user, record=record)
    return form_submit(
        request,
        forms.DecisionForm(
            request.POST or None,
            record=record,
            initial={
                "decided_on": today_local(municipality=municipality_of_request(request)),
                "helpfulness": record.helpfulness,
            },
        ),
        save=lambda data: services.u_visa_decide(request=record, by=request.user, **data),
        message=lambda r: f"Decision recorded: {r.get_decision_display().lower()}. Download the letter below.",
        then=lambda r: r.get_absolute_url(),
        context={"title": f"Decide the U visa request for {record.victim}", "back": record.get_absolute_url()},
    )


@can_view
def request_letter(request, pk):
    """A short decision letter to the requester."""
    record = selectors.request_for(user=request.user, pk=pk)
    if record.decision == UVisaRequest.Decision.PENDING:
        raise Http404("There is no decision yet.")
    with translation.override(record.language):  # the requester's language, fixed text and typed alike
        pdf = render_pdf(
            template="certifications/pdf/decision_letter.html",
            context={"request": record, "date": today_local(municipality=municipality_of_request(request))},
            title=translation.gettext("Your U visa certification request"),
            language=record.language,
        )
    audit_export(user=request.user, record_type="certifications.uvisarequest", record_ids=[record.pk])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="u-visa-decision-{record.pk}.pdf"'
    return response
