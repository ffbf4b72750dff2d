from django import forms

from reports import selectors
from reports.models import DocketItem, Meeting
from welcoming.forms import LocalTimeField, LocalTimesForm, PlausibleDateField

DATE_HELP = "YYYY-MM-DD, in local time; both days included."


class DateInput(forms.DateInput):
    input_type = "date"


class FiguresRangeForm(forms.Form):
    """A range of local dates; empty means the current period. The checks are the API's (`figures_window`)."""

    start = PlausibleDateField(label="From", required=False, widget=DateInput, help_text=DATE_HELP)
    end = PlausibleDateField(label="To", required=False, widget=DateInput, help_text=DATE_HELP)

    def __init__(self, *args, municipality, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality, self.today = municipality, today

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["window"] = selectors.figures_window(
            municipality=self.municipality, start=data.get("start"), end=data.get("end"), today=self.today
        )
        return data


class FigureRecordsForm(FiguresRangeForm):
    """Which number's records to list."""

    FIGURES = [
        ("lodged", "4(a) Documents lodged"),
        ("detained", "4(b) Individuals detained on a hold"),
        ("transferred", "4(c) Individuals transferred to ICE"),
        ("reimbursements", "4(d) Reimbursements"),
    ]
    figure = forms.ChoiceField(choices=FIGURES)
    kind = forms.ChoiceField(choices=[("", "")] + [(k, k) for k in selectors.KINDS], required=False)
    reason = forms.ChoiceField(choices=[("", "")] + [(r, r) for r in selectors.REASONS], required=False)
    case = forms.CharField(required=False, max_length=60)
    without_case = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("figure") == "lodged" and not data.get("kind"):
            self.add_error("kind", "Say which kind of document.")
        return data


class SignForm(forms.Form):
    """The chief's signature: a comment for the report, and the one-time code re-entered."""

    chief_comment = forms.CharField(
        label="Your comment for the report",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Printed in the report under the figures, which the public reads: name no one. Optional.",
    )
    code = forms.CharField(
        label="One-time code",
        max_length=20,
        help_text="The code your authenticator app shows now. Signing cannot be undone: a later change is a "
        "correction, with a reason.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CorrectionForm(SignForm):
    correction_reason = forms.CharField(
        label="Why this correction",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Printed on the new version, which supersedes the one signed before.",
    )
    field_order = ["correction_reason", "chief_comment", "code"]


class StepDateForm(forms.Form):
    """The day the municipal clerk received or forwarded the report: today unless said otherwise."""

    on = PlausibleDateField(
        label="On",
        widget=DateInput,
        help_text="The day it happened: today unless you are recording an earlier day.",
    )


class DocketForm(forms.Form):
    number = forms.CharField(
        label="Docket number",
        max_length=40,
        help_text="The next free number in your numbering is filled in; change it if your docket says otherwise.",
    )
    title = forms.CharField(label="Title on the docket", max_length=300)


class PaperReportForm(DocketForm):
    paper_report = forms.FileField(label="The report, as a PDF", help_text="An earlier report, filed before the app.")


class MeetingForm(LocalTimesForm):
    body = forms.CharField(label="Body", max_length=200)
    starts_at = LocalTimeField(label="Date and time")
    place = forms.CharField(label="Place", max_length=200, help_text="A room and address, or how to join remotely.")
    agenda_posted_at = LocalTimeField(label="Agenda posted at", required=False, help_text="If already posted.")


class AgendaPostedForm(LocalTimesForm):
    agenda_posted_at = LocalTimeField(label="Agenda posted at")


class PlaceOnAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="Meeting", queryset=Meeting.objects.none(), help_text="Only meetings whose agenda can still be posted."
    )

    def __init__(self, *args, meetings=None, **kwargs):
        """`meetings`: the ones to offer, soonest first (the first is proposed); None accepts any meeting, and
        the service decides whether its agenda can still be posted."""
        super().__init__(*args, **kwargs)
        if meetings is None:
            self.fields["meeting"].queryset = Meeting.objects.all()
            return
        self.fields["meeting"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("starts_at")
        if meetings:
            self.fields["meeting"].initial = meetings[0].pk  # the next one the agenda can still be posted for


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why it is withdrawn",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Kept with the agenda's changes, e.g. “Replaced by version 2 of the report.”",
    )


class ActionForm(forms.Form):
    # No default: a committee's action is chosen, never recorded because it was first in the list.
    action = forms.ChoiceField(label="What the committee did", choices=[("", "—"), *DocketItem.Action.choices])
    action_note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Published on the public docket: name no one.",
    )
