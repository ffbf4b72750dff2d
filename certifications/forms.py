"""The records clerk's and the certifying officials' forms: thin, the services decide what may be saved."""

from django import forms
from django.conf import settings

from certifications.models import QUALIFYING_CRIMES, UVisaRequest
from detainers.models import Person
from welcoming.forms import PlausibleDateField, YesNoField, chosen

DATE = forms.DateInput(attrs={"type": "date"})


class RequestForm(forms.Form):
    received_on = PlausibleDateField(label="Received on", widget=DATE)
    requester_kind = forms.ChoiceField(label="Sent by", choices=UVisaRequest.Requester.choices)
    requester_name = forms.CharField(label="Requester's name", max_length=200)
    requester_contact = forms.CharField(
        label="Requester's address, telephone or e-mail", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    language = forms.ChoiceField(
        label="Requester's language",
        choices=settings.LANGUAGES,
        initial="en",
        help_text="The decision letter is written in it.",
    )
    victim = forms.ModelChoiceField(
        label="Victim",
        queryset=Person.objects.none(),
        help_text="The person's record (book or find them under People first).",
    )
    case_number = forms.CharField(label="Related incident or case number", required=False, max_length=60)
    qualifying_crime = forms.ChoiceField(label="Qualifying criminal activity", choices=chosen(QUALIFYING_CRIMES))
    crime_other = forms.CharField(label="If other: the similar activity", required=False, max_length=200)
    helpfulness = forms.ChoiceField(label="The victim's helpfulness", choices=chosen(UVisaRequest.Helpfulness.choices))
    expedited = YesNoField(label="Was an expedited decision asked for?")
    expedite_reason = forms.CharField(
        label="Why expedition was asked",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the victim is in removal proceedings.",
    )

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = persons
        self.fields["victim"].label_from_instance = lambda p: (
            f"{p.full_name}" + (f" ({p.date_of_birth})" if p.date_of_birth else "")
        )
        for name in ("qualifying_crime", "expedited"):
            self.fields[name].clause = "2(i)"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[c for c in UVisaRequest.Decision.choices if c[0] != UVisaRequest.Decision.PENDING],
        widget=forms.RadioSelect,
    )
    decided_on = PlausibleDateField(label="Decided on", widget=DATE)
    helpfulness = forms.ChoiceField(
        label="Your determination of the victim's helpfulness",
        # Left as it is, the request's own statement stands: nothing here is changed unseen.
        choices=[("", "As the request stated it"), *UVisaRequest.Helpfulness.choices],
        required=False,
        help_text="As the request stated it, unless you found otherwise.",
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to decline; the report gives it, and an English letter states it.",
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is not None and record.language != "en":
            # Typed for the letter, in the requester's language: the guards refuse the English reason pasted in.
            self.fields["letter_reason"] = forms.CharField(
                label=f"Reason, as the letter states it — in {record.language_name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": record.language}),
                help_text=f"Required to decline: the requester reads {record.language_name}.",
            )


class FilterForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", required=False, choices=[("", "Any")] + UVisaRequest.Decision.choices
    )
    overdue = forms.BooleanField(label="Only those past their due date", required=False)
