"""The public side of clause 3 (no sign-in, in the visitor's language): file a complaint, leave with a tracking
code, a PIN and a PDF receipt, and later see its coarse status with the two.

Nothing about the visitor's connection is kept with a complaint: the rate limits count under a keyed hash of the
address, in the shared cache, for an hour at most.
"""

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from complaints import public_forms, rules, services
from complaints.models import Complaint
from welcoming import rate_limits
from welcoming.forms import apply_form_errors
from welcoming.pdf import render_pdf
from welcoming.selectors import municipality_of_request, municipality_words

SUBMISSIONS = "complaint-submissions"
SUBMISSION_LIMIT = 5  # complaints from one address in an hour: a family may send several; a flood may not
LOOKUPS = "complaint-lookups"
LOOKUP_LIMIT = 10  # status lookups and receipts from one address in 15 minutes
LOOKUP_WINDOW = timedelta(minutes=15)
RECEIPT_SESSION_KEY = "complaint_receipt"

FIELD_GROUPS = [
    (gettext_lazy("What happened"), ["narrative", "what_happened", "incident_date", "incident_place"]),
    (gettext_lazy("Who it is about"), ["department", "about", "department_name", "person_name", "person_badge"]),
    (gettext_lazy("About you"), ["anonymous", "complainant_name", "complainant_contact"]),
    (gettext_lazy("Photos or documents"), ["files"]),
]
STATUS_EXPLAINED = {
    Complaint.PublicStatus.RECEIVED: gettext_lazy("We have your complaint and will review it soon."),
    Complaint.PublicStatus.UNDER_REVIEW: gettext_lazy("Your complaint is being investigated."),
    Complaint.PublicStatus.REFERRED: gettext_lazy(
        "Your complaint was sent to the department it is about, which will answer us."
    ),
    Complaint.PublicStatus.CLOSED: gettext_lazy(
        "The review is finished. If you left a way to reach you, we wrote to you."
    ),
}


def _submit(request, form) -> tuple[Complaint | None, str, int]:
    """Validate and save a complaint from the public; (complaint, PIN, status). Shared by the page and the API."""
    if form.data.get("website"):
        rate_limits.hit(SUBMISSIONS, request, window=timedelta(hours=1))
        form.add_error(None, _("Your complaint could not be sent. Please call our office."))
        return None, "", 400
    if rate_limits.exceeded(SUBMISSIONS, request, limit=SUBMISSION_LIMIT):
        form.add_error(
            None,
            _(
                "Many complaints were sent from this connection in the last hour. Please try again later, or call "
                "%(office)s."
            )
            % {"office": municipality_words(municipality_of_request(request))["complaints_office"]},
        )
        return None, "", 429
    if not form.is_valid():
        return None, "", 400
    try:
        complaint, pin = services.complaint_create(
            received_at=timezone.now(),
            channel=Complaint.Channel.ONLINE,
            language=translation.get_language(),
            **form.service_arguments(),
        )
    except ValidationError as error:
        apply_form_errors(form, error)
        return None, "", 400
    rate_limits.hit(SUBMISSIONS, request, window=timedelta(hours=1))
    return complaint, pin, 201


@login_not_required
@require_http_methods(["GET", "POST"])
def new(request):
    form = public_forms.PublicComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        complaint, pin, status = _submit(request, form)
        if complaint is not None:
            # Held only until the confirmation page shows it, once; then only its hash remains.
            request.session[RECEIPT_SESSION_KEY] = {"code": complaint.tracking_code, "pin": pin}
            return redirect("complaints:public-done")
    groups = [(title, [form[name] for name in names]) for title, names in FIELD_GROUPS]
    return render(
        request,
        "complaints/public/new.html",
        {"form": form, "groups": groups, "had_files": bool(request.FILES), "max_files": public_forms.MAX_FILES},
        status=status,
    )


@login_not_required
@require_http_methods(["GET"])
def done(request):
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    return render(request, "complaints/public/done.html", {"receipt": receipt})


def _lookup(request, form) -> tuple[Complaint | None, int]:
    """The complaint matching a tracking code and PIN, or None: the same answer, after the same work (one query,
    one hash), whether the code or the PIN was wrong. Throttled by address."""
    if rate_limits.exceeded(LOOKUPS, request, limit=LOOKUP_LIMIT):
        form.add_error(None, _("Too many tries from this connection. Please wait 15 minutes, or call our office."))
        return None, 429
    if not form.is_valid():
        return None, 400
    rate_limits.hit(LOOKUPS, request, window=LOOKUP_WINDOW)
    code = rules.tracking_code_normalised(form.cleaned_data["tracking_code"])
    complaint = Complaint.objects.filter(tracking_code=code).first()
    if not services.pin_matches(complaint, form.cleaned_data["pin"]):
        form.add_error(None, _("We found no complaint with that tracking code and PIN. Check both and try again."))
        return None, 404
    return complaint, 200


@login_not_required
@require_http_methods(["GET", "POST"])
def status(request):
    form = public_forms.StatusForm(request.POST or None)
    complaint, code = (None, 200) if request.method == "GET" else _lookup(request, form)
    context = {"form": form, "complaint": complaint}
    if complaint is not None:
        context["status_label"] = Complaint.PublicStatus(complaint.public_status).label
        context["status_explained"] = STATUS_EXPLAINED[complaint.public_status]
    return render(request, "complaints/public/status.html", context, status=code)


@login_not_required
@require_POST
def receipt(request):
    """The PDF receipt, in the language the complaint was written in; it needs the code and the PIN."""
    form = public_forms.StatusForm(request.POST)
    complaint, code = _lookup(request, form)
    if complaint is None:
        return render(request, "complaints/public/status.html", {"form": form}, status=code)
    with translation.override(complaint.language):
        pdf = render_pdf(
            template="complaints/pdf/receipt.html",
            context={"complaint": complaint, "pin": form.cleaned_data["pin"].strip()},
            title=_("Receipt for your complaint %(code)s") % {"code": complaint.tracking_code},
            language=complaint.language,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="complaint-{complaint.tracking_code}-receipt.pdf"'
    response["Cache-Control"] = "no-store"  # it carries the PIN
    return response
