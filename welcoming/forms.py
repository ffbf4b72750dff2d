from datetime import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from welcoming.local_time import in_repeated_hour, local_datetime, plausible
from welcoming.models import Finding
from welcoming.ordinance import CLAUSES
from welcoming.selectors import municipality_get, town_zone


class PlausibleDateField(forms.DateField):
    """A date in the range any record of this app has (local_time.plausible): a year outside is a typo, or a
    fuzzer, refused beside the field rather than carried into arithmetic that overflows."""

    def to_python(self, value):
        day = super().to_python(value)
        return None if day is None else plausible(day)


class SignInForm(AuthenticationForm):
    """Django's sign-in form in our own words, so the page reads in every language we promise (Django has no
    Haitian Creole)."""

    error_messages = {
        "invalid_login": _("That username and password do not match. Both are case-sensitive."),
        "inactive": _("This account is switched off. Ask the administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        for field in self.fields.values():
            field.error_messages["required"] = _("Please fill in this field.")


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


# --- Local times, shared by every app's forms ----------------------------------------------------------------

CHOOSE = ("", "Choose…")


def chosen(choices) -> list[tuple[str, str]]:
    """The choices after an empty "Choose…": a select shows no answer until the clerk gives one. Every field a
    finding turns on is drawn this way, so no record looks lawful because nobody changed what was shown."""
    return [CHOOSE, *choices]


class YesNoField(forms.TypedChoiceField):
    """A yes-or-no question answered on purpose: two radios, neither ticked, instead of a checkbox whose
    emptiness would be read as "no"."""

    def __init__(self, *, clause: str | None = None, required: bool = True, **kwargs):
        super().__init__(
            choices=[("yes", "Yes"), ("no", "No")],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            required=required,
            **kwargs,
        )
        if required:
            self.error_messages["required"] = "Choose yes or no."
        self.clause = clause


FOLD_CHOICES = [("", "—"), ("0", "The first time (daylight time)"), ("1", "The second time (standard time)")]


class LocalTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, clause: str | None = None, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)
        self.clause = clause

    def to_python(self, value):
        # Kept naive here (Django would refuse a daylight-saving gap with a vague message); the form then reads
        # it in the municipality's zone and says exactly what is wrong.
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return plausible(value.replace(tzinfo=None))
        for format_ in self.input_formats:
            try:
                parsed = datetime.strptime(str(value).strip(), format_)
            except ValueError:
                continue
            return plausible(parsed)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class LocalTimesForm(forms.Form):
    """A form whose LocalTimeFields become aware datetimes, refusing or asking about daylight-saving gaps."""

    def clean(self):
        cleaned = super().clean()
        zone = town_zone(municipality_get())
        for name, field in self.fields.items():
            if isinstance(field, LocalTimeField) and cleaned.get(name) is not None:
                fold = self.data.get(f"{name}_fold")
                try:
                    cleaned[name] = local_datetime(
                        cleaned[name], zone=zone, fold=int(fold) if fold else None, field=name
                    )
                except ValidationError as error:
                    self.add_error(None, error)
                    if in_repeated_hour(error, name):
                        self.ambiguous = [*getattr(self, "ambiguous", []), name]
        return cleaned
