"""The complaints staff's screens: thin views over `complaints.services` (writes) and `complaints.selectors` (reads).

Every page first fetches the complaint for the user (404 alike for missing and not yours); a step the user may
not take is refused with 403 before its form is shown, and again by the service when it is saved.

Why one module over 400 lines: each step's page is a dozen lines over the same fetch-for-user and refusal, and
the queue, detail and steps are read together when a step changes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from complaints import forms, rules, selectors, services
from complaints.models import Allegation, Complaint, Letter
from welcoming import attachments, views_support
from welcoming.audit import audit_export, audit_view
from welcoming.forms import apply_form_errors
from welcoming.local_time import when
from welcoming.middleware import DEFAULT_BODY_LIMIT, body_limit
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
    """Every complaint the user may see, in a queue: the open ones by deadline, the most urgent first."""
    filters = forms.QueueFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    # Every open complaint by default, the coordinator's too: triage alone hid the overdue ones from the office
    # that answers for every deadline.
    default_queue = selectors.Queue.OPEN
    today = _today(request)
    complaints = selectors.complaints_queue(
        user=request.user,
        queue=chosen.get("queue") or default_queue,
        department=chosen.get("department", ""),
        mine=chosen.get("mine", False),
        query=request.GET.get("q", ""),
        today=today,
    )
    page = views_support.page_seen(request, complaints, PAGE_SIZE)
    for complaint in page.object_list:
        complaint.late = rules.overdue(complaint, today)
    counts = selectors.queue_counts(user=request.user, today=today)
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
            "queue": chosen.get("queue") or default_queue,
            "queues": [(value, label, counts.get(value)) for value, label in selectors.Queue.CHOICES],
        },
        status=views_support.filters_status(filters),
    )


@body_limit(attachments.MAX_BYTES + DEFAULT_BODY_LIMIT)  # one file with what was reported
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
    audit_view(user=request.user, record=complaint)
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
            # Letters go out after closing too: whoever works the complaint still writes and sends them.
            "letters_waiting": [letter for letter in complaint.letters.all() if not letter.delivery]
            if may_work
            else [],
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
        what_happened=True,  # read what happened before deciding what it is about
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


@dataclass(frozen=True)
class Step:
    """One step of a complaint's life as a form page: who may open it, when it applies, its form and its service."""

    title: str  # "{code}" is the tracking code
    form: Callable  # (request, complaint) -> the bound form
    save: Callable  # (complaint, user, cleaned data) -> what was saved
    message: str
    routing: bool = False  # the coordinator's own steps; otherwise whoever works the complaint
    police_side: bool = False  # it shows police records or findings
    applies: Callable = lambda complaint: True
    not_applicable: str = ""
    intro: Callable = lambda complaint: ""
    submit: str = "Save"


def step_view(step: Step):
    @complaints_staff
    def view(request, pk):
        complaint = (_routable if step.routing else _workable)(request, pk)
        if step.police_side and not selectors.reads_police_records(request.user):
            raise PermissionDenied
        return _step(
            request,
            complaint,
            step.title.format(code=complaint.tracking_code),
            step.form(request, complaint),
            lambda data: step.save(complaint, request.user, data),
            step.message,
            available=step.applies(complaint),
            unavailable=step.not_applicable,
            intro=step.intro(complaint),
            submit=step.submit,
        )

    return view


def _at_now(form_class, field):
    return lambda request, complaint: form_class(request.POST or None, initial={field: _now_local()})


classify = step_view(
    Step(
        "What complaint {code} is about",
        lambda request, c: forms.ClassificationForm(request.POST or None, initial=_classification_initial(c)),
        lambda c, user, data: services.complaint_classify(complaint=c, by=user, **data),
        "Classification saved.",
        routing=True,
        intro=lambda c: "If the department or the person it is about changes, the complaint returns to triage.",
    )
)
refer = step_view(
    Step(
        "Refer complaint {code}",
        lambda request, c: forms.ReferForm(request.POST or None),
        lambda c, user, data: services.complaint_refer(complaint=c, by=user, **data),
        "Complaint referred.",
        routing=True,
        applies=lambda c: c.stage == Complaint.Stage.KEPT,
        not_applicable="Only a complaint the coordinator keeps is referred from here.",
    )
)
answer = step_view(
    Step(
        "The answer to complaint {code}",
        _at_now(forms.AnswerForm, "answered_at"),
        lambda c, user, data: services.complaint_answer_record(complaint=c, by=user, **data),
        "Answer recorded.",
        routing=True,
        applies=lambda c: c.stage == Complaint.Stage.REFERRED and not c.department_answered_at,
        not_applicable="There is no referral awaiting an answer.",
    )
)
assign = step_view(
    Step(
        "Assign complaint {code}",
        lambda request, c: forms.AssignForm(request.POST or None, initial={"investigator": c.investigator_id}),
        lambda c, user, data: services.complaint_assign(complaint=c, by=user, **data),
        "Investigator assigned.",
        applies=lambda c: c.stage == Complaint.Stage.INVESTIGATING,
        not_applicable="Only a complaint with internal affairs is assigned to an investigator.",
    )
)
post_forward = step_view(
    Step(
        "Forward complaint {code} to the POST Commission",
        _at_now(forms.PostForwardForm, "forwarded_at"),
        lambda c, user, data: services.complaint_post_forward(complaint=c, by=user, **data),
        "Forwarding to POST recorded.",
        applies=lambda c: bool(c.post_due_on and not c.post_forwarded_at),
        not_applicable="There is no forwarding to POST to record.",
        intro=lambda c: f"Due by {c.post_due_on:%A, %B %-d, %Y} (G.L. c.6E §8)." if c.post_due_on else "",
    )
)
link_record = step_view(
    Step(
        "Link a police record to complaint {code}",
        lambda request, c: forms.LinkRecordForm(request.POST or None),
        lambda c, user, data: services.complaint_link_record(complaint=c, by=user, **data),
        "Record linked.",
        police_side=True,
    )
)
link_finding = step_view(
    Step(
        "Link a finding to complaint {code}",
        lambda request, c: forms.LinkFindingForm(
            request.POST or None, findings=selectors.findings_linkable(complaint=c, today=_today(request))
        ),
        lambda c, user, data: services.complaint_link_finding(complaint=c, by=user, **data),
        "Finding linked.",
        police_side=True,
    )
)
person_new = step_view(
    Step(
        "A person involved in complaint {code}",
        lambda request, c: forms.PersonForm(request.POST or None),
        lambda c, user, data: services.person_add(complaint=c, by=user, **data),
        "Person added.",
    )
)
allegation_new = step_view(
    Step(
        "An allegation in complaint {code}",
        lambda request, c: forms.AllegationForm(request.POST or None, complaint=c),
        lambda c, user, data: services.allegation_add(complaint=c, by=user, **data),
        "Allegation added.",
        applies=lambda c: c.stage in (Complaint.Stage.INVESTIGATING, Complaint.Stage.KEPT),
        not_applicable="Allegations are recorded on a complaint being investigated.",
    )
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


close = step_view(
    Step(
        "Close complaint {code}",
        lambda request, c: forms.CloseForm(request.POST or None),
        lambda c, user, data: services.complaint_close(complaint=c, by=user, **data),
        "Complaint closed. Now write its outcome letter in the complainant's language.",
        applies=lambda c: c.stage != Complaint.Stage.RECEIVED,
        not_applicable="Route the complaint before closing it.",
        intro=lambda c: (
            f"Closing records the outcome; the letter that tells the complainant is written next, in {c.language_name}."
        ),
        submit="Close",
    )
)


@body_limit(attachments.MAX_BYTES + DEFAULT_BODY_LIMIT)
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

LETTER_BODIES = {
    Letter.Kind.ACKNOWLEDGEMENT: "complaints/letters/acknowledgement.html",
    Letter.Kind.OUTCOME: "complaints/letters/outcome.html",
}
LETTER_PDFS = {
    Letter.Kind.ACKNOWLEDGEMENT: "complaints/pdf/acknowledgement.html",
    Letter.Kind.OUTCOME: "complaints/pdf/outcome.html",
}


def _letter_words(request, letter) -> dict:
    """What the letter says, for its PDF and its preview: dated the day it went out, or today until then."""
    sent = letter.is_sent and timezone.localdate(letter.sent_at)
    return {
        "letter": letter,
        "complaint": letter.complaint,
        "allegations": letter.complaint.allegations.all(),
        "date": sent or _today(request),
    }


def _letter_workable(request, pk, kind) -> Letter:
    letter = selectors.letter_for(user=request.user, pk=pk, kind=kind)
    if not selectors.may_work(request.user, letter.complaint):
        raise PermissionDenied
    return letter


@complaints_staff
def letter_page(request, pk, kind):
    """A letter as the complainant will read it, where it stands (waiting for its text, final, sent), and its
    next step."""
    letter = selectors.letter_for(user=request.user, pk=pk, kind=kind)
    audit_view(user=request.user, record=letter.complaint)
    return render(
        request,
        "complaints/letter.html",
        {
            **_letter_words(request, letter),
            "body": LETTER_BODIES[letter.kind],
            "missing": selectors.letter_missing(letter, letter.complaint.allegations.all()),
            "may_work": selectors.may_work(request.user, letter.complaint),
        },
    )


@complaints_staff
def letter_write(request, pk, kind):
    letter = _letter_workable(request, pk, kind)
    if letter.kind != Letter.Kind.OUTCOME or letter.is_final or letter.delivery:
        messages.info(request, "This letter has nothing left to write.")
        return redirect(letter)
    form = forms.LetterWriteForm(
        request.POST or None, letter=letter, allegations=list(letter.complaint.allegations.all())
    )
    return form_submit(
        request,
        form,
        save=lambda data: services.letter_write(letter=letter, by=request.user, **form.service_arguments()),
        message="Saved. Read the whole letter below, then make it final.",
        then=lambda saved: saved.get_absolute_url(),
        context={
            "title": f"Write the outcome letter in {letter.language_name}",
            "complaint": letter.complaint,
            "back": letter.get_absolute_url(),
            "intro": f"The complainant reads {letter.language_name}: type each part in {letter.language_name}, for "
            "this letter. Names, badge numbers and the action taken stay out of it; the fixed parts are "
            "translated already.",
            "submit": "Save and preview",
        },
    )


@complaints_staff
@require_POST
def letter_final(request, pk, kind):
    letter = _letter_workable(request, pk, kind)
    try:
        services.letter_make_final(letter=letter, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The letter is final. Download it, send it, then record how it went out.")
    return redirect(letter)


@complaints_staff
def letter_send(request, pk, kind):
    letter = _letter_workable(request, pk, kind)
    if not letter.is_final or letter.delivery:
        messages.info(request, "This letter is sent already." if letter.delivery else "Make the letter final first.")
        return redirect(letter)
    return form_submit(
        request,
        forms.LetterSendForm(request.POST or None, initial={"sent_at": _now_local()}),
        save=lambda data: services.letter_send(letter=letter, by=request.user, **data),
        message="Recorded as sent.",
        then=lambda _: letter.complaint.get_absolute_url(),
        context={
            "title": f"Record the {letter.get_kind_display().lower()} sent",
            "complaint": letter.complaint,
            "back": letter.get_absolute_url(),
            "intro": f"Made final {when(letter.final_at)}. Download it from its page, send it, then record here "
            "how and when it went out.",
            "submit": "Record it sent",
        },
    )


@complaints_staff
def letter(request, pk, kind):
    """A final letter as a PDF, in the complainant's language. A letter still waiting for its text has none: it
    cannot go out half in another language."""
    letter = selectors.letter_for(user=request.user, pk=pk, kind=kind)
    if not letter.is_final:
        raise Http404("This letter is not final yet.")
    complaint = letter.complaint
    with translation.override(letter.language):
        title = translation.gettext("Your complaint %(code)s") % {"code": complaint.tracking_code}
        pdf = render_pdf(
            template=LETTER_PDFS[letter.kind],
            context=_letter_words(request, letter),
            title=title,
            language=letter.language,
        )
    audit_export(user=request.user, record_type="complaints.complaint", record_ids=[complaint.pk])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="complaint-{complaint.tracking_code}-{kind}.pdf"'
    return response
