"""The public complaint form and the status lookup: plain words in the visitor's language, every message
(Django's own included) translated here, so a resident never meets English she did not choose."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from welcoming import attachments
from welcoming.forms import PlausibleDateField
from welcoming.validators import no_markup

MAX_FILES = 3
# The field people never see (hidden from sight and from screen readers) that automated senders fill in; a name
# no browser or password manager fills in by itself.
HONEYPOT = "entry_reference"

# Django's own messages, in our words and translated with the rest of these pages.
ERRORS = {
    "required": _("Please fill in this field."),
    "invalid": _("Please check this: it is not in the expected form."),
    "invalid_choice": _("Please choose one of the options."),
    "max_length": _("Please shorten this: it is too long."),
    "null_characters_not_allowed": _("Please remove the unusual characters from this field."),
    "invalid_list": _("Please choose one of the options."),
}
DATE_ERRORS = {**ERRORS, "invalid": _("Please enter a date, like 2026-05-31.")}

# What happened, in plain words, each mapped to the clause it would break.
WHAT_HAPPENED = [
    ("2(b)", _("Someone asked about my immigration status or citizenship")),
    ("2(a)", _("I was treated differently because of my immigration status, national origin, race or ethnicity")),
    (
        "2(e)",
        _("The police gave information about me or someone else (a release date, an address) to immigration agents"),
    ),
    ("2(d)", _("Someone was kept in jail because immigration agents asked for it")),
    ("2(c)", _("The police helped immigration agents (ICE) in some other way")),
    (
        "2(f)",
        _("A driver without a license was arrested, or the car was towed without a chance to call a licensed driver"),
    ),
    ("2(l)", _("A school asked about a child's immigration status or citizenship")),
]
DEPARTMENTS = [
    (Complaint.Department.POLICE, _("The police department")),
    (Complaint.Department.SCHOOLS, _("A school")),
    (Complaint.Department.OTHER, _("Another town or city department")),
]
ABOUT = [
    (Complaint.About.OFFICERS, _("A police officer or employee")),
    (Complaint.About.INTERNAL_AFFAIRS, _("The internal affairs office")),
    (Complaint.About.CHIEF, _("The chief of police")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def _text(label, *, required=False, max_length=200, help_text="", textarea=False, rows=3, plain=True):
    """A text field; `plain` ones refuse markup here, with everything else, rather than after the rest passes."""
    widget = forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=widget,
        error_messages=ERRORS,
        validators=[no_markup] if plain else [],
    )


class PublicComplaintForm(forms.Form):
    narrative = _text(
        _("What happened?"),
        required=True,
        max_length=10000,
        textarea=True,
        rows=8,
        plain=False,  # a narrative may quote anything; it is shown escaped everywhere
        help_text=_(
            "Tell us in your own words: what happened, and who was there. You do not need to tell us your "
            "immigration status."
        ),
    )
    what_happened = forms.MultipleChoiceField(
        label=_("Which of these describe it? (optional)"),
        required=False,
        choices=WHAT_HAPPENED,
        widget=forms.CheckboxSelectMultiple,
        error_messages=ERRORS,
    )
    department = forms.ChoiceField(
        label=_("Who is your complaint about?"),
        choices=DEPARTMENTS,
        initial=Complaint.Department.POLICE,
        widget=forms.RadioSelect,
        error_messages=ERRORS,
    )
    about = forms.ChoiceField(
        label=_("If it is about the police: who?"),
        choices=ABOUT,
        required=False,
        initial=Complaint.About.OFFICERS,
        widget=forms.RadioSelect(attrs={"data-follows": "department", "data-when": Complaint.Department.POLICE}),
        error_messages=ERRORS,
    )
    department_name = _text(_("Which school or department? (optional)"), max_length=150)
    incident_date = PlausibleDateField(
        label=_("When did it happen? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )
    incident_place = _text(_("Where did it happen? (optional)"))
    person_name = _text(_("Name of a person involved, if you know it (optional)"))
    person_badge = _text(_("Their badge number, if you know it (optional)"), max_length=30)
    anonymous = forms.BooleanField(
        label=_("I want to stay anonymous: do not ask for my name"), required=False, error_messages=ERRORS
    )
    complainant_name = _text(_("Your name (optional)"))
    complainant_contact = _text(
        _("How can we reach you? (optional)"),
        max_length=300,
        textarea=True,
        rows=2,
        help_text=_("A telephone number, an e-mail or a postal address, if you want a letter about the outcome."),
    )
    files = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("Up to 3 files: PDF, JPEG or PNG, 10 MB each at most."),
        error_messages={**ERRORS, "empty": _("This file is empty."), "invalid": _("Please choose a file.")},
    )
    entry_reference = forms.CharField(required=False, label=_("Leave this empty"), widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only about a school or another department (static/js/follow-ups.js; without it, always asked).
        self.fields["department_name"].widget.attrs.update(
            {"data-follows": "department", "data-when": f"{Complaint.Department.SCHOOLS} {Complaint.Department.OTHER}"}
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anonymous") and (cleaned.get("complainant_name") or "").strip():
            self.add_error(
                "complainant_name", _("You chose to stay anonymous: please leave your name empty, or untick the box.")
            )
        return cleaned

    def clean_incident_date(self):
        day = self.cleaned_data.get("incident_date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Please check it."))
        return day

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Please attach at most %(count)s files.") % {"count": MAX_FILES})
        for upload in files:
            if upload.size > attachments.MAX_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is too large (%(size)s MB). Each file may be at most 10 MB.")
                    % {"name": upload.name, "size": f"{upload.size / 1_048_576:.1f}"}
                )
            head = upload.read(16)
            upload.seek(0)
            if attachments.sniff(head) is None:
                raise forms.ValidationError(
                    _("“%(name)s” is not a PDF, JPEG or PNG file, whatever its name says.") % {"name": upload.name}
                )
        return files

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        department = data["department"]
        clauses = data["what_happened"]
        person = {"name": data["person_name"], "badge_number": data["person_badge"]}
        return {
            "narrative": data["narrative"],
            "department": department,
            "about": (data["about"] or Complaint.About.OFFICERS) if department == Complaint.Department.POLICE else "",
            "department_name": data["department_name"],
            "clauses": clauses,
            "alleges_bias": "2(a)" in clauses,
            "incident_date": data["incident_date"],
            "incident_place": data["incident_place"],
            "anonymous": data["anonymous"],
            "complainant_name": "" if data["anonymous"] else data["complainant_name"],
            "complainant_contact": data["complainant_contact"],
            "people": [person] if any(person.values()) else [],
            "files": data["files"],
        }


class StatusForm(forms.Form):
    tracking_code = _text(_("Tracking code"), required=True, max_length=20, help_text=_("For example ABCD-1234-EFGH."))
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        error_messages=ERRORS,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("The 6 digits you were given with the tracking code."),
    )
