"""The complaints staff's screens: thin views over `complaints.services` (writes) and `complaints.selectors` (reads).

Every page first fetches the complaint for the user (404 alike for missing and not yours); a step the user may
not take is refused with 403 before its form is shown, and again by the service when it is saved.
"""

from functools import partial, wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from complaints import forms, rules, selectors, services
from complaints.models import Allegation, Complaint
from welcoming import services as core_services
from welcoming import views_support
from welcoming.forms import apply_form_errors
from welcoming.pdf import render_pdf
from welcoming.selectors import attachments_of, municipality_of_request

PAGE_SIZE = 25
form_submit = partial(views_support.form_submit, template="complaints/form.html")


def complaints_staff(view):
    """Anyone who may see some complaints; everyone else is refused (403), whatever the complaint."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.may_see_complaints(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _workable(request, pk) -> Complaint:
    complaint = selectors.complaint_for(user=request.user, pk=pk)
    if not selectors.may_work(request.user, complaint):
        raise PermissionDenied
    return complaint


def _routable(request, pk) -> Complaint:
    complaint = selectors.complaint_for(user=request.user, pk=pk)
    if not selectors.may_route(request.user):
        raise PermissionDenied
    return complaint


def _today(request):
    return selectors.today_local(municipality_of_request(request))


def _step(request, complaint, title, form, save, message, *, available=True, unavailable="", **context):
    """A step's form page. A step that does not apply to the complaint as it stands (it is closed, or the step is
    done or belongs to another stage) sends the user back to the complaint with the reason, form unseen."""
    if complaint.stage == Complaint.Stage.CLOSED or not available:
        messages.info(
            request, "This complaint is closed." if complaint.stage == Complaint.Stage.CLOSED else unavailable
        )
        return redirect(complaint)
    return form_submit(
        request,
        form,
        save=save,
        message=message,
        then=lambda _: complaint.get_absolute_url(),
        context={"title": title, "complaint": complaint, "back": complaint.get_absolute_url(), **context},
    )


# --- Queue and intake ---------------------------------------------------------------------------------------


@complaints_staff
def queue(request):
    """Every complaint the user may see, the most urgent deadline first."""
    filters = forms.QueueFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    default_queue = selectors.Queue.AWAITING_TRIAGE if selectors.may_route(request.user) else selectors.Queue.OPEN
    today = _today(request)
    complaints = selectors.complaints_queue(
        user=request.user,
        queue=chosen.get("queue") or default_queue,
        department=chosen.get("department", ""),
        mine=chosen.get("mine", False),
        query=request.GET.get("q", ""),
        today=today,
    )
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    for complaint in page.object_list:
        complaint.late = rules.overdue(complaint, today)
    query = request.GET.copy()
    query.pop("page", None)
    if not filters.is_bound:
        filters = forms.QueueFilterForm(initial={"queue": default_queue})
    return render(
        request,
        "complaints/queue.html",
        {
            "page": page,
            "filters": filters,
            "search": request.GET.get("q", ""),
            "query": query.urlencode(),
            "may_take_in": selectors.may_take_in(request.user),
            "today": today,
        },
    )


@complaints_staff
def intake(request):
    if not selectors.may_take_in(request.user):
        raise PermissionDenied
    form = forms.IntakeForm(request.POST or None, request.FILES or None, initial={"received_at": _now_local()})

    def save(data):
        complaint, pin = services.complaint_create(by=request.user, **form.service_arguments())
        complaint.pin = pin
        return complaint

    return form_submit(
        request,
        form,
        save=save,
        # The PIN is shown this once, to read to the complainant; only its hash is kept.
        message=lambda c: (
            f"Complaint recorded. Give the complainant the tracking code {c.tracking_code} and the "
            f"PIN {c.pin}: the PIN is shown only now and cannot be recovered."
        ),
        # Internal affairs may take in a complaint it will only see once the coordinator routes it to them.
        then=lambda c: c.get_absolute_url() if _visible(request.user, c) else "complaints:queue",
        context={"title": "Take in a complaint", "back": "/complaints/", "intro": INTAKE_INTRO},
    )


INTAKE_INTRO = (
    "For a complaint received by telephone, mail, e-mail or in person. Record no immigration status, citizenship, "
    "national origin, race or ethnicity: whether the complaint alleges bias is enough."
)


def _visible(user, complaint) -> bool:
    return selectors.complaints_for(user=user).filter(pk=complaint.pk).exists()


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


# --- One complaint ------------------------------------------------------------------------------------------


@complaints_staff
def detail(request, pk):
    complaint = selectors.complaint_for(user=request.user, pk=pk)
    core_services.audit_view(user=request.user, record=complaint)
    today = _today(request)
    may_work = selectors.may_work(request.user, complaint)
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "late": rules.overdue(complaint, today),
            "next_deadline": rules.next_deadline(complaint),
            "links": selectors.linked_records(complaint),
            "reads_police_records": selectors.reads_police_records(request.user),
            "files": attachments_of(complaint),
            "may_work": may_work and complaint.stage != Complaint.Stage.CLOSED,
            "may_route": selectors.may_route(request.user) and complaint.stage != Complaint.Stage.CLOSED,
            "investigating": complaint.stage in (Complaint.Stage.INVESTIGATING, Complaint.Stage.KEPT),
            "route": rules.route_for(department=complaint.department, about=complaint.about),
        },
    )


@complaints_staff
def triage(request, pk):
    """Check what the complaint is about and send it where it belongs."""
    complaint = _routable(request, pk)
    if complaint.stage != Complaint.Stage.RECEIVED:
        messages.info(request, "This complaint has already been routed.")
        return redirect(complaint)
    form = TriageForm(request.POST or None, initial=_classification_initial(complaint))

    def save(data):
        referred_to = data.pop("referred_to")
        return services.complaint_triage(complaint=complaint, by=request.user, referred_to=referred_to, **data)

    return _step(
        request,
        complaint,
        f"Triage complaint {complaint.tracking_code}",
        form,
        save,
        lambda c: f"Complaint {c.get_stage_display().lower()}.",
        intro="A police complaint goes to internal affairs; one about internal affairs or the chief stays with you; "
        "one about the schools or another department is referred to its contact.",
        submit="Route",
    )


class TriageForm(forms.ClassificationForm, forms.RouteForm):
    pass


def _classification_initial(complaint):
    return {
        "department": complaint.department,
        "about": complaint.about,
        "department_name": complaint.department_name,
        "clauses": complaint.clauses,
        "alleges_bias": complaint.alleges_bias,
        "alleges_force": complaint.alleges_force,
    }


@complaints_staff
def classify(request, pk):
    complaint = _routable(request, pk)
    form = forms.ClassificationForm(request.POST or None, initial=_classification_initial(complaint))
    return _step(
        request,
        complaint,
        f"What complaint {complaint.tracking_code} is about",
        form,
        lambda data: services.complaint_classify(complaint=complaint, by=request.user, **data),
        "Classification saved.",
        intro="If the department or the person it is about changes, the complaint returns to triage.",
    )


@complaints_staff
def refer(request, pk):
    complaint = _routable(request, pk)
    return _step(
        request,
        complaint,
        f"Refer complaint {complaint.tracking_code}",
        forms.ReferForm(request.POST or None),
        lambda data: services.complaint_refer(complaint=complaint, by=request.user, **data),
        "Complaint referred.",
        available=complaint.stage == Complaint.Stage.KEPT,
        unavailable="Only a complaint the coordinator keeps is referred from here.",
    )


@complaints_staff
def answer(request, pk):
    complaint = _routable(request, pk)
    return _step(
        request,
        complaint,
        f"The answer to complaint {complaint.tracking_code}",
        forms.AnswerForm(request.POST or None, initial={"answered_at": _now_local()}),
        lambda data: services.complaint_answer_record(complaint=complaint, by=request.user, **data),
        "Answer recorded.",
        available=complaint.stage == Complaint.Stage.REFERRED and not complaint.department_answered_at,
        unavailable="There is no referral awaiting an answer.",
    )


@complaints_staff
def acknowledge(request, pk):
    complaint = _workable(request, pk)
    return _step(
        request,
        complaint,
        f"Acknowledge complaint {complaint.tracking_code}",
        forms.AcknowledgeForm(request.POST or None, initial={"acknowledged_at": _now_local()}),
        lambda data: services.complaint_acknowledge(complaint=complaint, by=request.user, **data),
        "Acknowledgement recorded.",
        available=bool(complaint.acknowledgement_due_on and not complaint.acknowledged_at),
        unavailable="There is no acknowledgement to record.",
        intro="Send the acknowledgement letter (download it from the complaint's page), then record it here.",
    )


@complaints_staff
def assign(request, pk):
    complaint = _workable(request, pk)
    return _step(
        request,
        complaint,
        f"Assign complaint {complaint.tracking_code}",
        forms.AssignForm(request.POST or None, initial={"investigator": complaint.investigator_id}),
        lambda data: services.complaint_assign(complaint=complaint, by=request.user, **data),
        "Investigator assigned.",
        available=complaint.stage == Complaint.Stage.INVESTIGATING,
        unavailable="Only a complaint with internal affairs is assigned to an investigator.",
    )


@complaints_staff
def post_forward(request, pk):
    complaint = _workable(request, pk)
    return _step(
        request,
        complaint,
        f"Forward complaint {complaint.tracking_code} to the POST Commission",
        forms.PostForwardForm(request.POST or None, initial={"forwarded_at": _now_local()}),
        lambda data: services.complaint_post_forward(complaint=complaint, by=request.user, **data),
        "Forwarding to POST recorded.",
        available=bool(complaint.post_due_on and not complaint.post_forwarded_at),
        unavailable="There is no forwarding to POST to record.",
        intro=f"Due by {complaint.post_due_on:%A, %B %-d, %Y} (G.L. c.6E §8)." if complaint.post_due_on else "",
    )


@complaints_staff
def link_record(request, pk):
    complaint = _workable(request, pk)
    if not selectors.reads_police_records(request.user):
        raise PermissionDenied
    return _step(
        request,
        complaint,
        f"Link a police record to complaint {complaint.tracking_code}",
        forms.LinkRecordForm(request.POST or None),
        lambda data: services.complaint_link_record(complaint=complaint, by=request.user, **data),
        "Record linked.",
    )


@complaints_staff
def link_finding(request, pk):
    complaint = _workable(request, pk)
    if not selectors.reads_police_records(request.user):
        raise PermissionDenied
    return _step(
        request,
        complaint,
        f"Link a finding to complaint {complaint.tracking_code}",
        forms.LinkFindingForm(
            request.POST or None,
            findings=selectors.findings_linkable(complaint=complaint, today=_today(request)),
        ),
        lambda data: services.complaint_link_finding(complaint=complaint, by=request.user, **data),
        "Finding linked.",
    )


@complaints_staff
def person_new(request, pk):
    complaint = _workable(request, pk)
    return _step(
        request,
        complaint,
        f"A person involved in complaint {complaint.tracking_code}",
        forms.PersonForm(request.POST or None),
        lambda data: services.person_add(complaint=complaint, by=request.user, **data),
        "Person added.",
    )


@complaints_staff
def allegation_new(request, pk):
    complaint = _workable(request, pk)
    return _step(
        request,
        complaint,
        f"An allegation in complaint {complaint.tracking_code}",
        forms.AllegationForm(request.POST or None, complaint=complaint),
        lambda data: services.allegation_add(complaint=complaint, by=request.user, **data),
        "Allegation added.",
        available=complaint.stage in (Complaint.Stage.INVESTIGATING, Complaint.Stage.KEPT),
        unavailable="Allegations are recorded on a complaint being investigated.",
    )


@complaints_staff
def allegation_dispose(request, pk, allegation_pk):
    complaint = _workable(request, pk)
    allegation = get_object_or_404(Allegation, pk=allegation_pk, complaint=complaint)
    initial = {"disposition": allegation.disposition, "action_taken": allegation.action_taken}
    return _step(
        request,
        complaint,
        f"Disposition: {allegation}",
        forms.DispositionForm(request.POST or None, initial=initial),
        lambda data: services.allegation_dispose(allegation=allegation, by=request.user, **data),
        "Disposition recorded.",
        available=complaint.stage in (Complaint.Stage.INVESTIGATING, Complaint.Stage.KEPT),
        unavailable="Dispositions are recorded on a complaint being investigated.",
    )


@complaints_staff
def close(request, pk):
    complaint = _workable(request, pk)
    return _step(
        request,
        complaint,
        f"Close complaint {complaint.tracking_code}",
        forms.CloseForm(request.POST or None),
        lambda data: services.complaint_close(complaint=complaint, by=request.user, **data),
        "Complaint closed. Send the outcome letter from its page.",
        available=complaint.stage != Complaint.Stage.RECEIVED,
        unavailable="Route the complaint before closing it.",
        intro="Closing records that the outcome goes to the complainant in writing.",
        submit="Close and send the outcome",
    )


@complaints_staff
@require_POST
def attach(request, pk):
    complaint = _workable(request, pk)
    form = forms.AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complaint_attach(complaint=complaint, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "File attached.")
            return redirect(complaint)
    messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(complaint)


# --- Letters ------------------------------------------------------------------------------------------------

LETTERS = {
    "acknowledgement": "complaints/pdf/acknowledgement.html",
    "outcome": "complaints/pdf/outcome.html",
}


@complaints_staff
def letter(request, pk, kind):
    """The acknowledgement or the outcome letter, in the complainant's language."""
    complaint = selectors.complaint_for(user=request.user, pk=pk)
    if kind not in LETTERS or (kind == "outcome" and complaint.stage != Complaint.Stage.CLOSED):
        raise Http404("No such letter.")
    with translation.override(complaint.language):
        title = translation.gettext("Your complaint %(code)s") % {"code": complaint.tracking_code}
        pdf = render_pdf(
            template=LETTERS[kind],
            context={"complaint": complaint, "date": _today(request), "allegations": complaint.allegations.all()},
            title=title,
            language=complaint.language,
        )
    core_services.audit_export(user=request.user, record_type="complaints.complaint", record_ids=[complaint.pk])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="complaint-{complaint.tracking_code}-{kind}.pdf"'
    return response
