"""What the apps' form pages share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from welcoming import versions
from welcoming.forms import apply_form_errors


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
            record = save(form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, message(record) if callable(message) else message)
            return redirect(then(record))
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)
