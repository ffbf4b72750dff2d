"""After signing: the municipal clerk's work on signed reports, meetings and the docket, and what council staff
read (DESIGN.md sections 1 and 5). Thin views over `reports.services` and `reports.selectors`."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reports import selectors, services, views
from reports.forms import (
    ActionForm,
    AgendaPostedForm,
    DocketForm,
    MeetingForm,
    PaperReportForm,
    PlaceOnAgendaForm,
    StepDateForm,
    WithdrawForm,
)
from reports.models import Meeting, Report
from welcoming.forms import apply_form_errors
from welcoming.middleware import DEFAULT_BODY_LIMIT, body_limit
from welcoming.pdf import render_pdf
from welcoming.selectors import municipality_get
from welcoming.views_support import form_submit

PROCESS = services.PROCESS
VIEW_MEETINGS = "welcoming.view_meetings"
can_process = permission_required(PROCESS, raise_exception=True)
can_view_meetings = permission_required(VIEW_MEETINGS, raise_exception=True)
can_change_meetings = permission_required(services.CHANGE_MEETINGS, raise_exception=True)
PAGE_SIZE = 25


def _refused(request, error: ValidationError, then):
    for message in error.messages:
        messages.error(request, message)
    return redirect(then)


@can_process
def queue(request):
    """Signed reports awaiting each of the clerk's steps, and docketed ones not yet on an agenda."""
    queue = selectors.clerk_queue()
    steps = [
        ("To receive", queue["to_receive"], "awaits receipt"),
        ("To forward to the executive", queue["to_forward"], "awaits forwarding"),
        ("To docket", queue["to_docket"], "awaits a docket number"),
    ]
    return render(request, "reports/clerk_queue.html", {"steps": steps, "to_place": queue["to_place"]})


def _dated_step(request, pk, step, done: str):
    """Receive or forward, on the day the form gives; a refusal shows on the report's page, at the top and
    beside the date, with nothing changed."""
    report = get_object_or_404(Report, pk=pk)
    form = StepDateForm(request.POST)
    if form.is_valid():
        try:
            step(report=report, by=request.user, on=form.cleaned_data["on"])
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(report.get_absolute_url())
    return views.report_version(request, pk, step_form=form)


@can_process
@require_POST
def report_receive(request, pk):
    return _dated_step(request, pk, services.report_receive, "Received. The chief was told.")


@can_process
@require_POST
def report_forward(request, pk):
    municipality = municipality_get()
    executive = municipality.executive_title if municipality else "executive"
    return _dated_step(request, pk, services.report_forward, f"Recorded as forwarded to the {executive}.")


@can_process
def report_docket(request, pk):
    report = get_object_or_404(Report, pk=pk)
    return form_submit(
        request,
        DocketForm(
            request.POST or None,
            initial={"title": selectors.docket_title(report), "number": selectors.next_docket_number()},
        ),
        save=lambda data: services.report_docket(report=report, by=request.user, **data),
        message=lambda item: f"Docketed as {item.number}. Now put it on a meeting's agenda.",
        then=lambda item: item.get_absolute_url(),
        template="reports/docket_form.html",
        context={"report": report},
        invalid_status=400,
    )


@body_limit(services.MAX_PAPER_BYTES + DEFAULT_BODY_LIMIT)
@can_process
def paper_report_new(request):
    return form_submit(
        request,
        PaperReportForm(
            request.POST or None, request.FILES or None, initial={"number": selectors.next_docket_number()}
        ),
        save=lambda data: services.paper_report_docket(
            number=data["number"], title=data["title"], upload=data["paper_report"], by=request.user
        ),
        message=lambda item: f"Docketed as {item.number}.",
        then=lambda item: item.get_absolute_url(),
        template="reports/docket_form.html",
        context={"paper": True},
        invalid_status=400,
    )


# --- Meetings -----------------------------------------------------------------------------------------------


@can_view_meetings
def meetings(request):
    listing = Paginator(selectors.meetings_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/meetings.html",
        {"page": listing, "upcoming": selectors.next_postable_meeting(now=timezone.now())},
    )


@can_change_meetings
def meeting_new(request):
    municipality = municipality_get()
    return form_submit(
        request,
        MeetingForm(request.POST or None, initial={"body": municipality.committee_name if municipality else ""}),
        save=lambda data: services.meeting_create(by=request.user, **data),
        message="Meeting added.",
        then=lambda meeting: meeting.get_absolute_url(),
        template="reports/meeting_form.html",
        invalid_status=400,
    )


@can_view_meetings
def meeting(request, pk):
    """A meeting and its agenda: the docket items placed on it."""
    found = get_object_or_404(Meeting, pk=pk)
    items = selectors.agenda(found)
    for item in items:  # a form per row, with ids of its own: one page, one id per field
        item.action_form = ActionForm(auto_id=f"id_{item.number}_%s")
    return render(
        request,
        "reports/meeting.html",
        {
            "meeting": found,
            "items": items,
            "deadline": selectors.posting_deadline(found),
            "posted_form": AgendaPostedForm(),
            "can_change": request.user.has_perm(services.CHANGE_MEETINGS),
            "now": timezone.now(),
        },
    )


@can_view_meetings
def meeting_document(request, pk, *, notice: bool, pdf: bool = False):
    """A meeting's agenda, or its Open Meeting Law notice, as a page that prints on its own or as a PDF made by
    the same service as the report's."""
    found = get_object_or_404(Meeting.objects.select_related("agenda_posted_by"), pk=pk)
    municipality = municipality_get()
    context = {"notice": notice, **selectors.meeting_document(found, municipality=municipality)}
    if not pdf:
        return render(request, "reports/meeting_print.html", context)
    kind = "Notice of public meeting" if notice else "Agenda"
    data = render_pdf(
        template="reports/pdf/meeting.html",
        context=context,
        title=f"{kind}: {found}",
        author=municipality.clerk_title if municipality else "",
        subject=f"{kind} of {found.body}",
    )
    name = f"{'notice' if notice else 'agenda'}-{timezone.localtime(found.starts_at):%Y-%m-%d}.pdf"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type="application/pdf")


@can_change_meetings
@require_POST
def meeting_posted(request, pk):
    found = get_object_or_404(Meeting, pk=pk)
    form = AgendaPostedForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_agenda_posted(meeting=found, at=form.cleaned_data["agenda_posted_at"], by=request.user)
        except ValidationError as error:
            return _refused(request, error, found.get_absolute_url())
        messages.success(request, "Recorded when the agenda was posted.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(found.get_absolute_url())


# --- The docket ---------------------------------------------------------------------------------------------


@can_view_meetings
def docket(request):
    listing = Paginator(selectors.docket_list(query=request.GET.get("q", "")), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reports/docket.html", {"page": listing, "search": request.GET.get("q", "")})


@can_view_meetings
def docket_item(request, number):
    return _item_page(request, selectors.docket_item(number))


def _item_page(request, item, *, action_form=None, withdraw_form=None, status=200):
    """The item's page; with the committee-action or withdrawal form as it was sent, when it was refused."""
    now = timezone.now()
    can_change = request.user.has_perm(services.CHANGE_MEETINGS)
    meetings = selectors.meetings_to_offer(item, now=now) if can_change else []
    return render(
        request,
        "reports/docket_item.html",
        {
            "item": item,
            "place_form": PlaceOnAgendaForm(meetings=meetings) if can_change else None,
            "action_form": (action_form or ActionForm()) if can_change else None,
            "withdraw_form": (withdraw_form or WithdrawForm()) if can_change else None,
            "refused_form": withdraw_form or action_form,
            "awaits_action": item.awaits_action(now=now),
            "now": now,
        },
        status=status,
    )


@can_change_meetings
@require_POST
def docket_place(request, number):
    item = selectors.docket_item(number)
    form = PlaceOnAgendaForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError("Choose a meeting."), item.get_absolute_url())
    try:
        services.docket_place_on_agenda(item=item, meeting=form.cleaned_data["meeting"], by=request.user)
    except ValidationError as error:
        return _refused(request, error, item.get_absolute_url())
    messages.success(request, f"On the agenda of {form.cleaned_data['meeting']}.")
    return redirect(item.get_absolute_url())


@can_change_meetings
@require_POST
def docket_withdraw(request, number):
    """Take an item off an agenda not yet posted, with the reason; refused, the item's page says why at the top
    and beside the reason."""
    item = selectors.docket_item(number)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.docket_withdraw(item=item, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Docket {item.number} was withdrawn from the agenda of {item.meeting}.")
            return redirect(item.get_absolute_url())
    return _item_page(request, selectors.docket_item(number), withdraw_form=form, status=400)


@can_change_meetings
@require_POST
def docket_action(request, number):
    item = selectors.docket_item(number)
    from_agenda = request.POST.get("back") == "meeting"
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.docket_action_record(
                item=item, action=data["action"], note=data["action_note"], by=request.user
            )
        except ValidationError as error:
            apply_form_errors(form, error)
    if form.is_valid():
        messages.success(request, f"The committee's action is recorded: {item.get_action_display()}.")
        return redirect(item.meeting.get_absolute_url() if from_agenda else item.get_absolute_url())
    item = selectors.docket_item(number)  # as it is now: another clerk may have recorded the action meanwhile
    if from_agenda or form.non_field_errors() or not item.awaits_action(now=timezone.now()):
        # Sent from a row of the agenda, or refused for a reason no field holds (recorded meanwhile, no meeting
        # yet): said at the top of the page it came from.
        refusal = ValidationError([message for messages_ in form.errors.values() for message in messages_])
        return _refused(request, refusal, item.meeting.get_absolute_url() if from_agenda else item.get_absolute_url())
    return _item_page(request, item, action_form=form, status=400)  # beside its field, the form there in full


@can_view_meetings
def docket_paper(request, number):
    """An earlier report filed on paper, as the clerk uploaded it."""
    item = selectors.docket_item(number)
    if not item.paper_report:
        raise Http404("This item has no uploaded paper.")
    return FileResponse(item.paper_report.open("rb"), as_attachment=True, filename=f"docket-{item.number}.pdf")
