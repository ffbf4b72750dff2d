"""What the apps' form pages share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from welcoming.forms import apply_form_errors


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
