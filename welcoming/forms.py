from django import forms
from django.core.exceptions import ValidationError

from welcoming.models import Finding
from welcoming.ordinance import CLAUSES


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label="One-time code",
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        help_text="After adding this site to the app, type the 6-digit code it shows.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the name of the program that will use it.",
        max_length=100,
    )


class FindingFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("unresolved", "Needing action (open, acknowledged, referred)"), ("", "All")] + Finding.Status.choices,
        initial="unresolved",
    )
    severity = forms.ChoiceField(required=False, choices=[("", "Any")] + Finding.Severity.choices)
    section = forms.ChoiceField(
        required=False, label="Clause", choices=[("", "Any")] + [(c.code, f"{c.code} {c.title}") for c in CLAUSES]
    )


class FindingActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("acknowledge", "Acknowledge: it happened, and it is being dealt with"),
            ("dismiss", "Dismiss: it is not a breach (say why)"),
            ("refer", "Refer to internal affairs as a complaint"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False,
        label="Reason or note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to dismiss. Kept with the finding and counted in the report.",
    )


def apply_form_errors(form, error: ValidationError) -> None:
    """Put a service's refusal beside the field it names, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)
