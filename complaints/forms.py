"""The complaints staff's forms. Thin: they parse what was typed; `complaints.services` decides what may be saved."""

from django import forms
from django.conf import settings

from complaints.models import ALLEGEABLE_CLAUSES, STAFF_CHANNELS, Allegation, Complaint, Letter
from complaints.selectors import Queue, investigators, linkable_record_types
from welcoming.forms import LocalTimeField, LocalTimesForm, PlausibleDateField
from welcoming.ordinance import clause

CLAUSE_CHOICES = [(code, f"{code} {clause(code).title}") for code in ALLEGEABLE_CLAUSES]
STAFF_CHANNEL_CHOICES = [(value, label) for value, label in Complaint.Channel.choices if value in STAFF_CHANNELS]
DATE = forms.DateInput(attrs={"type": "date"})


class ClassificationForm(forms.Form):
    """What the complaint is about: decides where it goes and who sees it."""

    department = forms.ChoiceField(
        label="Which department is it about?", choices=Complaint.Department.choices, widget=forms.RadioSelect
    )
    about = forms.ChoiceField(
        label="If the police: whom?",
        required=False,
        choices=[("", "—")] + Complaint.About.choices,
        help_text="A complaint about internal affairs or the chief stays with the complaints coordinator.",
    )
    department_name = forms.CharField(
        label="Which school or department", required=False, max_length=150, help_text="If not the police."
    )
    clauses = forms.MultipleChoiceField(
        label="Clauses allegedly broken", required=False, choices=CLAUSE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    alleges_bias = forms.BooleanField(
        label="Alleges bias (immigration status, national origin, race or the like)",
        required=False,
        help_text="Against a police officer, this must go to the POST Commission within 2 business days.",
    )
    alleges_force = forms.BooleanField(
        label="Alleges excessive, prohibited or deadly force", required=False, help_text="This too goes to POST."
    )


class IntakeForm(LocalTimesForm, ClassificationForm):
    """A complaint received by phone, mail, e-mail or in person."""

    received_at = LocalTimeField(label="Received")
    channel = forms.ChoiceField(label="Received by", choices=STAFF_CHANNEL_CHOICES)
    language = forms.ChoiceField(
        label="Complainant's language",
        choices=settings.LANGUAGES,
        initial="en",
        help_text="Letters to the complainant are written in it.",
    )
    anonymous = forms.BooleanField(label="The complainant wishes to stay anonymous", required=False)
    complainant_name = forms.CharField(label="Complainant's name", required=False, max_length=200)
    complainant_contact = forms.CharField(
        label="How to reach them",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Telephone, e-mail or postal address, for the letters. Optional.",
    )
    incident_date = PlausibleDateField(label="Date of the incident", required=False, widget=DATE)
    incident_place = forms.CharField(label="Where it happened", required=False, max_length=200)
    narrative = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 6}))
    person_name = forms.CharField(label="Person involved: name", required=False, max_length=200)
    person_badge = forms.CharField(label="Badge number", required=False, max_length=30)
    person_post = forms.CharField(label="POST certification number", required=False, max_length=30)
    file = forms.FileField(label="A file (PDF, JPEG or PNG)", required=False, help_text="A letter, a photo, a scan.")

    field_order = [
        "received_at",
        "channel",
        "language",
        "anonymous",
        "complainant_name",
        "complainant_contact",
        "incident_date",
        "incident_place",
        "narrative",
        "department",
        "about",
        "department_name",
        "clauses",
        "alleges_bias",
        "alleges_force",
        "person_name",
        "person_badge",
        "person_post",
        "file",
    ]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        person = {
            "name": data.pop("person_name"),
            "badge_number": data.pop("person_badge"),
            "post_certification_number": data.pop("person_post"),
        }
        upload = data.pop("file")
        data["people"] = [person] if any(person.values()) else []
        data["files"] = [upload] if upload else []
        return data


class QueueFilterForm(forms.Form):
    queue = forms.ChoiceField(label="Show", choices=Queue.CHOICES, required=False)
    department = forms.ChoiceField(
        label="Department", choices=[("", "Any")] + Complaint.Department.choices, required=False
    )
    mine = forms.BooleanField(label="Only those assigned to me", required=False)


class RouteForm(forms.Form):
    referred_to = forms.CharField(
        label="Refer to (the department's contact)",
        required=False,
        max_length=200,
        help_text="Needed only for a complaint about the schools or another department.",
    )


class ReferForm(forms.Form):
    referred_to = forms.CharField(
        label="Refer to", max_length=200, help_text="e.g. the Mayor's office, or the Town Manager."
    )


class AnswerForm(LocalTimesForm):
    answered_at = LocalTimeField(label="Answer received")
    answer = forms.CharField(label="What the department reported", widget=forms.Textarea(attrs={"rows": 4}))


class PostForwardForm(LocalTimesForm):
    forwarded_at = LocalTimeField(label="Forwarded to the POST Commission")
    reference = forms.CharField(label="POST's reference", required=False, max_length=60)


class AssignForm(forms.Form):
    investigator = forms.ModelChoiceField(label="Investigator", queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = investigators().order_by("username")
        self.fields["investigator"].label_from_instance = lambda user: user.get_full_name() or user.username


class LinkRecordForm(forms.Form):
    record_type = forms.ChoiceField(label="Kind of record")
    record_id = forms.IntegerField(label="Record number", min_value=1, help_text="The number in the record's address.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [
            (label, name.capitalize()) for label, name in linkable_record_types().items()
        ]


class LinkFindingForm(forms.Form):
    finding = forms.ModelChoiceField(label="Finding", queryset=None)

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = findings
        self.fields["finding"].label_from_instance = lambda f: f"{f.section} — {f.message[:90]}"


class PersonForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=200)
    title = forms.CharField(label="Title", required=False, max_length=100, help_text="e.g. Officer, Sergeant.")
    badge_number = forms.CharField(label="Badge number", required=False, max_length=30)
    post_certification_number = forms.CharField(label="POST certification number", required=False, max_length=30)


class AllegationForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Against", queryset=None, required=False, empty_label="The department (no one person)"
    )
    clause = forms.ChoiceField(label="Clause", choices=CLAUSE_CHOICES)
    summary = forms.CharField(label="What is alleged", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = complaint.people.all()
        # The clauses the complaint already names come first, the first of them chosen.
        named = [choice for choice in CLAUSE_CHOICES if choice[0] in complaint.clauses]
        if named:
            others = [choice for choice in CLAUSE_CHOICES if choice[0] not in complaint.clauses]
            self.fields["clause"].choices = [("The complaint names", named), ("Other clauses", others)]
            self.fields["clause"].initial = named[0][0]


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label="Disposition",
        choices=[c for c in Allegation.Disposition.choices if c[0] != Allegation.Disposition.PENDING],
        widget=forms.RadioSelect,
        help_text="Sustained: it happened and broke the rules. Not sustained: the evidence cannot tell. "
        "Exonerated: it happened and was proper. Unfounded: it did not happen. Policy failure: the policy itself "
        "is wrong.",
    )
    action_taken = forms.CharField(
        label="Action taken",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when sustained: discipline, training, a policy change…",
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome, for the record",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was decided, in your words. The letter to the complainant is written next, in their "
        "language, without names or the action taken.",
    )


class LetterWriteForm(forms.Form):
    """What a person types for the outcome letter, in the complainant's language: each field names the language,
    and shows the staff's own words it stands for, to translate from (never to paste)."""

    def __init__(self, *args, letter, allegations, **kwargs):
        super().__init__(*args, **kwargs)
        language = letter.language_name
        self.allegations = allegations
        for number, allegation in enumerate(allegations, start=1):
            self.fields[f"allegation_{allegation.pk}"] = forms.CharField(
                label=f"Allegation {number} ({allegation.clause}), as the letter states it — in {language}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "lang": letter.language}),
                initial=allegation.letter_summary or (allegation.summary if letter.language == "en" else ""),
                help_text=f"Found: {allegation.get_disposition_display().lower()}. The staff's words: "
                f"“{allegation.summary}”. No names or badge numbers.",
            )
        self.fields["explanation"] = forms.CharField(
            label=f"The outcome, explained — in {language}",
            required=False,
            widget=forms.Textarea(attrs={"rows": 5, "lang": letter.language}),
            initial=letter.explanation or (letter.complaint.outcome if letter.language == "en" else ""),
            help_text=f"The staff's words: “{letter.complaint.outcome}”. Leave out the action taken and who: "
            "they are personnel matters.",
        )

    def service_arguments(self) -> dict:
        return {
            "explanation": self.cleaned_data["explanation"],
            "summaries": {a.pk: self.cleaned_data[f"allegation_{a.pk}"] for a in self.allegations},
        }


class LetterSendForm(LocalTimesForm):
    delivery = forms.ChoiceField(
        label="How it went out",
        choices=[(value, label) for value, label in Letter.Delivery.choices if value in Letter.SENDING],
        widget=forms.RadioSelect,
    )
    sent_at = LocalTimeField(label="When it went out")


class AttachForm(forms.Form):
    file = forms.FileField(label="File (PDF, JPEG or PNG)")
