"""The public side of clause 3 (no sign-in, in the visitor's language): file a complaint, leave with a tracking
code, a PIN and a PDF receipt, and later see its coarse status with the two.

Nothing about the visitor's connection is kept with a complaint: the rate limits count under a keyed hash of the
address, in the shared cache, for an hour at most.
"""

import hashlib
from datetime import timedelta

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import public_forms, rules, services
from complaints.models import Complaint
from welcoming import attachments, rate_limits
from welcoming.acting import PUBLIC
from welcoming.forms import apply_form_errors
from welcoming.middleware import DEFAULT_BODY_LIMIT, body_limit
from welcoming.pdf import render_pdf
from welcoming.selectors import municipality_of_request, municipality_words

SUBMISSIONS = "complaint-submissions"
SUBMISSION_LIMIT = 5  # complaints from one address in an hour: a family may send several; a flood may not
SUBMISSION_WINDOW = timedelta(hours=1)
LOOKUPS = "complaint-lookups"
LOOKUP_LIMIT = 10  # status lookups and receipts from one address in 15 minutes
LOOKUP_WINDOW = timedelta(minutes=15)
# Wrong PINs for one tracking code in a day, from any address: 6 digits must not be guessed from many places.
# Past the limit the code is slowed, not closed: one try an hour, so whoever knows someone's code cannot keep its
# owner out for the day, and a million PINs take a century.
CODE_FAILURES = "complaint-code-failures"
CODE_FAILURE_LIMIT = 10
CODE_FAILURE_WINDOW = timedelta(days=1)
CODE_SLOWED = "complaint-code-slowed"
CODE_SLOWED_WINDOW = timedelta(hours=1)
RECEIPT_SESSION_KEY = "complaint_receipt"
RECEIPT_SHOWN_FOR = 600  # seconds the confirmation may still show the PIN after filing

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


# The service names the person involved's fields as the record does; the form names them as the page does.
PERSON_FIELDS = {"name": "person_name", "badge_number": "person_badge"}


def _submit(request, form) -> tuple[Complaint | None, str, int]:
    """Validate and save a complaint from the public; (complaint, PIN, status). Shared by the page and the API."""
    address = rate_limits.client_address(request)
    if form.data.get(public_forms.HONEYPOT):
        rate_limits.hit(SUBMISSIONS, address, window=SUBMISSION_WINDOW)
        form.add_error(None, _("Your complaint could not be sent. Please call our office."))
        return None, "", 400
    if rate_limits.count(SUBMISSIONS, address, window=SUBMISSION_WINDOW) >= SUBMISSION_LIMIT:
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
            by=PUBLIC,
            received_at=timezone.now(),
            channel=Complaint.Channel.ONLINE,
            language=translation.get_language(),
            **form.service_arguments(),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            error = ValidationError({PERSON_FIELDS.get(name, name): e for name, e in error.error_dict.items()})
        apply_form_errors(form, error)
        return None, "", 400
    rate_limits.hit(SUBMISSIONS, address, window=SUBMISSION_WINDOW)
    return complaint, pin, 201


@body_limit(
    public_forms.MAX_FILES * attachments.MAX_BYTES + DEFAULT_BODY_LIMIT, counts_toward=(SUBMISSIONS, SUBMISSION_WINDOW)
)
@login_not_required
@never_cache  # what was typed, sent back with an error, must not stay in a shared computer's cache
@require_http_methods(["GET", "POST"])
def new(request):
    form = public_forms.PublicComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        complaint, pin, status = _submit(request, form)
        if complaint is not None:
            # Held in the session only until the confirmation page shows it, once, and for ten minutes at most.
            request.session[RECEIPT_SESSION_KEY] = {
                "code": complaint.tracking_code,
                "pin": pin,
                "until": int(timezone.now().timestamp()) + RECEIPT_SHOWN_FOR,
            }
            return redirect("complaints:public-done")
    groups = [(title, [form[name] for name in names]) for title, names in FIELD_GROUPS]
    return render(
        request,
        "complaints/public/new.html",
        {"form": form, "groups": groups, "had_files": bool(request.FILES), "max_files": public_forms.MAX_FILES},
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def done(request):
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    if receipt and receipt.get("until", 0) < timezone.now().timestamp():
        receipt = None
    return render(request, "complaints/public/done.html", {"receipt": receipt})


def _slowed_message(request) -> str:
    municipality = municipality_of_request(request)
    office = municipality_words(municipality)["complaints_office"]
    phone = municipality.complaints_office_phone if municipality else ""
    if phone:
        return _(
            "Too many wrong PINs were tried for this tracking code today, so it takes one try an hour for now. "
            "Try again later, or call %(office)s at %(phone)s."
        ) % {"office": office, "phone": phone}
    return _(
        "Too many wrong PINs were tried for this tracking code today, so it takes one try an hour for now. "
        "Try again later, or call %(office)s."
    ) % {"office": office}


def _lookup(request, form) -> tuple[Complaint | None, int]:
    """The complaint matching a tracking code and PIN, or None: the same answer, after the same work (one query,
    one hash), whether the code or the PIN was wrong. Throttled by address, and wrong PINs by tracking code."""
    tries = rate_limits.hit(LOOKUPS, rate_limits.client_address(request), window=LOOKUP_WINDOW)
    if tries > LOOKUP_LIMIT:
        form.add_error(None, _("Too many tries from this connection. Please wait 15 minutes, or call our office."))
        return None, 429
    if not form.is_valid():
        return None, 400
    code = rules.tracking_code_normalised(form.cleaned_data["tracking_code"])
    if (
        rate_limits.count(CODE_FAILURES, code, window=CODE_FAILURE_WINDOW) >= CODE_FAILURE_LIMIT
        and rate_limits.count(CODE_SLOWED, code, window=CODE_SLOWED_WINDOW) > 0
    ):
        form.add_error(None, _slowed_message(request))
        return None, 429
    complaint = Complaint.objects.filter(tracking_code=code).first()
    if not services.pin_matches(complaint, form.cleaned_data["pin"]):
        rate_limits.hit(CODE_FAILURES, code, window=CODE_FAILURE_WINDOW)
        rate_limits.hit(CODE_SLOWED, code, window=CODE_SLOWED_WINDOW)
        form.add_error(None, _("We found no complaint with that tracking code and PIN. Check both and try again."))
        return None, 404
    return complaint, 200


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    form = public_forms.StatusForm(request.POST or None)
    complaint, code = (None, 200) if request.method == "GET" else _lookup(request, form)
    context = {"form": form, "complaint": complaint}
    if complaint is not None:
        context["status_label"] = Complaint.PublicStatus(complaint.public_status).label
        context["status_explained"] = STATUS_EXPLAINED[complaint.public_status]
    return render(request, "complaints/public/status.html", context, status=code)


POSTER_KEPT = 24 * 3600  # seconds; a new release's wording shows by the next day


def _poster_says(municipality) -> tuple:
    """Everything of the profile and the settings that the poster prints."""
    fields = [
        "name",
        "kind",
        "police_department_name",
        "complaints_office",
        "complaints_office_phone",
        "town_hall_phone",
        "complaints_office_address",
        "complaints_office_web",
        "complaints_office_days",
        "complaints_office_opens",
        "complaints_office_closes",
    ]
    profile = tuple(getattr(municipality, name) for name in fields) if municipality else ()
    return settings.PUBLIC_BASE_URL, tuple(settings.LANGUAGES), profile


@login_not_required
@require_GET
def poster(request):
    """The poster for the station lobby and town hall (PDF): a page in each language, with the office's contact and
    a QR code that opens the complaint form in that language. Nothing in it is personal: anyone may print it."""
    # Rendered once and kept: a public address that drew six pages and six QR codes on every request would let
    # anyone keep a worker busy. What it prints is in the key, so a changed profile draws a new one.
    key = (
        "complaints-poster-" + hashlib.sha256(repr(_poster_says(municipality_of_request(request))).encode()).hexdigest()
    )
    pdf = cache.get(key)
    if pdf is None:
        pages = []
        for code, _name in settings.LANGUAGES:
            link = f"{settings.PUBLIC_BASE_URL}{reverse('complaints:public-new')}?lang={code}"
            pages.append({"language": code, "link": link, "qr": segno.make(link, error="m").svg_inline(border=0)})
        pdf = render_pdf(
            template="complaints/pdf/poster.html",
            context={"pages": pages},
            title="Complaints poster",
            author=municipality_words(municipality_of_request(request))["complaints_office"],
            variant=None,
        )
        cache.set(key, pdf, POSTER_KEPT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="complaints-poster.pdf"'
    return response


@login_not_required
@never_cache
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
            # The code and PIN, and the coarse facts: nothing the complaint says (the PIN may be guessed).
            context={"complaint": complaint, "pin": form.cleaned_data["pin"].strip()},
            title=_("Receipt for your complaint %(code)s") % {"code": complaint.tracking_code},
            language=complaint.language,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="complaint-{complaint.tracking_code}-receipt.pdf"'
    return response
