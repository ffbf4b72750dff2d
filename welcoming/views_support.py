"""What the apps' form pages share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from welcoming import versions
from welcoming.audit import audit_list
from welcoming.findings import findings_raised
from welcoming.forms import apply_form_errors
from welcoming.models import Finding


def page_seen(request, records, per_page: int) -> Page:
    """The page of person-level records the request asks for, its look written to the audit log (the ids shown,
    once per reload: welcoming.audit.audit_list)."""
    page = Paginator(records, per_page).get_page(request.GET.get("page"))
    audit_list(user=request.user, records=page.object_list)
    return page


def filters_status(form) -> int:
    """A list answers 400 when its filters hold a value they refuse (the form says which, beside the field), as
    the API does; it still shows the list unfiltered below."""
    return 400 if form is not None and form.is_bound and not form.is_valid() else 200


def if_unchanged(request, record, save):
    """A form's save, refused (as a form error saying what changed) if the record moved on from the version the
    form was drawn from, which the form posts in its hidden `version` field.

    The form shown again carries the version posted, except after such a refusal: the user has now been shown the
    change, so a second try is checked against the record as it is now (`request.version_now`)."""

    def save_if_unchanged(data):
        try:
            with versions.saving(record, request.POST.get("version")):
                return save(data)
        except versions.StaleVersion:
            request.version_now = versions.version_of(record)
            raise

    return save_if_unchanged


def form_submit(request, form, *, save, message, then, template, context=None, invalid_status=200):
    """Save through a service, say `message` (or `message(record)`) and go to `then(record)`. A refusal is shown
    beside the field it names, with everything typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            with findings_raised() as raised:
                record = save(form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            say_saved(request, message(record) if callable(message) else message, list(raised.values()))
            return redirect(then(record))
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)


def say_saved(request, message: str, opened: list[Finding]) -> None:
    """Say what a save did. When it opened findings, say those first and in the warning style, each with its link:
    a green "Saved" under a fresh breach would read as "all is well"."""
    # Findings are for the roles that read them (DESIGN.md section 1): the certifying official's save says "Saved".
    if not opened or not request.user.has_perm("welcoming.view_findings"):
        messages.success(request, message)
        return
    said = format_html_join(
        " ",
        "{} clause {}: {}{}",
        (
            (
                "Violation of" if finding.severity == Finding.Severity.VIOLATION else "Warning under",
                finding.section,
                finding.message,
                format_html(
                    ' <a href="{}">Open the finding</a>.', reverse("welcoming:finding-detail", args=[finding.pk])
                ),
            )
            for finding in opened
        ),
    )
    violations = sum(finding.severity == Finding.Severity.VIOLATION for finding in opened)
    if violations:
        lead = (
            "This opens a violation of the ordinance." if violations == 1 else "This opens violations of the ordinance."
        )
        messages.warning(request, format_html("{} {} {}", lead, said, message))
    else:
        messages.info(request, format_html("{} {}", message, said))
