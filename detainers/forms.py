"""The records clerk's forms. Thin: they parse what was typed; `detainers.services` decides what may be saved.

Times are typed as local wall-clock times in the municipality's zone; one that does not exist is refused, and
one that happened twice (the night the clocks go back) asks which of the two it was.
"""

from django import forms

from detainers.models import (
    AccessRequest,
    AssistanceSupport,
    Custody,
    Detainer,
    DetainerReason,
    InformationItem,
    JudicialAuthority,
    Reimbursement,
)
from welcoming.forms import LocalTimeField, LocalTimesForm, PlausibleDateField, YesNoField, chosen


def _clause(field, code):
    field.clause = code
    return field


class PersonForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    date_of_birth = PlausibleDateField(
        label="Date of birth", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    department_id = forms.CharField(
        label="Department ID",
        max_length=50,
        required=False,
        help_text="The person's identifier in the records-management system, if any.",
    )


class BookingForm(PersonForm, LocalTimesForm):
    booked_at = LocalTimeField(label="Booked at")
    basis = forms.ChoiceField(
        label="Basis of custody",
        choices=chosen(Custody.Basis.choices),
        help_text="Booking on an ICE detainer or administrative warrant alone breaks clause 2(d).",
    )
    booking_number = forms.CharField(label="Booking number", max_length=50, required=False)
    not_a_duplicate = forms.BooleanField(
        label="This is a different person from those listed above",
        required=False,
        help_text="Tick only after checking the possible matches.",
    )
    basis.clause = "2(d)"


class BookAgainForm(LocalTimesForm):
    booked_at = LocalTimeField(label="Booked at")
    basis = _clause(forms.ChoiceField(label="Basis of custody", choices=chosen(Custody.Basis.choices)), "2(d)")
    booking_number = forms.CharField(label="Booking number", max_length=50, required=False)


class DetainerForm(LocalTimesForm):
    form = forms.ChoiceField(
        label="Form",
        choices=chosen(Detainer.Form.choices),
        help_text="The form number printed on the document. It decides the kind of request.",
    )
    kind = forms.ChoiceField(
        label="Kind (only for a form marked Other)", choices=chosen(Detainer.Kind.choices), required=False
    )
    received_via = forms.ChoiceField(label="Received by", choices=Detainer.ReceivedVia.choices)
    lodged_at = LocalTimeField(label="Lodged at", help_text="When the document or request reached the department.")
    reasons = forms.MultipleChoiceField(
        label="Reasons given on the document",
        choices=DetainerReason.Code.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every reason the document gives; “Not stated” if it gives none.",
    )
    other_reason = forms.CharField(label="Other reason, as written", max_length=200, required=False)
    federal_reference = forms.CharField(
        label="ICE subject or event ID",
        max_length=60,
        required=False,
        help_text="Never the alien registration number (A-number): the app refuses it.",
    )
    judicial_warrant = YesNoField(
        label="Did a warrant or order signed by a judge come with it?",
        help_text="Not an immigration officer's signature: an I-200 or I-205 is not a judicial warrant.",
        clause="2(d)",
    )
    judicial_warrant_received_at = LocalTimeField(
        label="If so: the judge's warrant or order was received at",
        required=False,
        clause="2(d)",
        help_text="It backs the custody from this moment, not before: a night held on the ICE hold before it "
        "still counts.",
    )
    lodged_with = forms.ModelChoiceField(
        label="Lodged together with",
        queryset=Detainer.objects.none(),
        required=False,
        help_text="e.g. the I-200 that came with an I-247A.",
    )
    copy_served_at = LocalTimeField(label="Copy served on the person at", required=False, clause="2(g)")
    documents_served = forms.CharField(
        label="Other papers given with the copy", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scan = forms.FileField(label="Scan of the document (PDF, JPEG or PNG, up to 10 MB)", required=False)

    def __init__(self, *args, custody=None, **kwargs):
        super().__init__(*args, **kwargs)
        if custody is not None:
            self.fields["lodged_with"].queryset = custody.detainers.active()
        self.fields["copy_served_at"].clause = "2(g)"

    def reason_pairs(self):
        other = self.cleaned_data.get("other_reason", "")
        return [(code, other if code == "other" else "") for code in self.cleaned_data["reasons"]]


class EligibleForm(LocalTimesForm):
    at = LocalTimeField(label="Eligible for release at", clause="2(d)")
    reason = _clause(forms.ChoiceField(label="Why", choices=chosen(Custody.EligibilityReason.choices)), "2(d)")


class ReleaseForm(LocalTimesForm):
    at = LocalTimeField(label="Released at")
    eligible_at = LocalTimeField(
        label="Eligible for release at",
        required=False,
        clause="2(d)",
        help_text="When bail was posted, charges dismissed, release ordered or the sentence "
        "served. Leave empty if already recorded, or if the booking was on an ICE hold alone.",
    )
    eligibility_reason = forms.ChoiceField(
        label="Why eligible", choices=chosen(Custody.EligibilityReason.choices), required=False
    )
    delay_reason = forms.CharField(
        label="If the release came after eligibility: why", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(ReleaseForm):
    authority = forms.ChoiceField(
        label="Authority for the transfer",
        choices=chosen(Custody.TransferAuthority.choices),
        help_text="Only a judicial warrant or a court order allows a transfer.",
    )
    authority.clause = "2(c)"
    authority_received_at = LocalTimeField(
        label="If a judicial warrant or court order: it was received at",
        required=False,
        clause="2(d)",
        help_text="Holding the person on the ICE hold until then is still detention on the hold.",
    )

    field_order = ["at", "authority", "authority_received_at", "eligible_at", "eligibility_reason", "delay_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].label = "Transferred to ICE at"


class CopyServedForm(LocalTimesForm):
    at = LocalTimeField(label="Copy served at", clause="2(g)")
    documents_served = forms.CharField(label="Other papers given with it", required=False)


class LiftForm(LocalTimesForm):
    at = LocalTimeField(label="ICE lifted it at")


class RespondForm(LocalTimesForm):
    response = forms.ChoiceField(
        label="What the department answered", choices=Detainer.Response.choices, widget=forms.RadioSelect
    )
    at = LocalTimeField(label="Answered at")
    response.clause = "2(e)"


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Why is this record void?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the record and counted in the report.",
    )


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(label="The duplicate record to merge into this one", queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = candidates


class JudicialAuthorityForm(LocalTimesForm):
    kind = forms.ChoiceField(label="What was received", choices=chosen(JudicialAuthority.Kind.choices))
    received_at = LocalTimeField(
        label="Received at", clause="2(d)", help_text="It backs the custody from this moment, not before."
    )


class JudicialAuthorityConfirmForm(LocalTimesForm):
    received_at = LocalTimeField(label="Received at, as the papers show", clause="2(d)")


class InformationScreenerForm(LocalTimesForm):
    """One row per item an agency may ask for: asked? disclosed? on what basis?"""

    DISCLOSED = [("yes", "Disclosed"), ("no", "Not disclosed")]

    agency = forms.CharField(label="Requesting agency", max_length=150, help_text="e.g. ICE ERO Boston.")
    received_at = LocalTimeField(label="Received at")
    received_via = forms.ChoiceField(label="Received by", choices=Detainer.ReceivedVia.choices)
    federal_reference = forms.CharField(
        label="ICE's reference for the request",
        max_length=60,
        required=False,
        help_text="A subject or event ID, if the request gives one; the letter names it. Never an A-number.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in InformationItem.Item.choices:
            self.fields[f"asked_{code}"] = forms.BooleanField(label=f"{label}: asked", required=False)
            # Required for each item asked (checked in clean): an item is never disclosed or withheld by default.
            self.fields[f"disclosed_{code}"] = forms.TypedChoiceField(
                label=f"{label}: disclosed",
                choices=chosen(self.DISCLOSED),
                coerce=lambda value: value == "yes",
                empty_value=None,
                required=False,
            )
            self.fields[f"basis_{code}"] = forms.ChoiceField(
                label=f"{label}: basis", choices=chosen(InformationItem.Basis.choices), required=False
            )

    def rows(self):
        """For the template: each item with its three fields and whether the ordinance restricts it."""
        return [
            {
                "code": code,
                "label": label,
                "restricted": code in InformationItem.RESTRICTED,
                "asked": self[f"asked_{code}"],
                "disclosed": self[f"disclosed_{code}"],
                "basis": self[f"basis_{code}"],
            }
            for code, label in InformationItem.Item.choices
        ]

    def items(self):
        return [
            {
                "item": code,
                "asked": True,
                "disclosed": self.cleaned_data[f"disclosed_{code}"],
                "basis": self.cleaned_data[f"basis_{code}"] if self.cleaned_data[f"disclosed_{code}"] else "",
            }
            for code in InformationItem.Item.values
            if self.cleaned_data.get(f"asked_{code}")
        ]

    def clean(self):
        cleaned = super().clean()
        for code in InformationItem.Item.values:
            asked, disclosed = cleaned.get(f"asked_{code}"), cleaned.get(f"disclosed_{code}")
            if disclosed and not asked:
                self.add_error(f"disclosed_{code}", "Record a disclosure only for an item that was asked for.")
            elif asked and disclosed is None:
                self.add_error(f"disclosed_{code}", "Say whether it was disclosed.")
            elif disclosed and not cleaned.get(f"basis_{code}"):
                self.add_error(f"basis_{code}", "Say on what basis it was disclosed (no basis is a choice too).")
            elif disclosed is False and cleaned.get(f"basis_{code}"):
                self.add_error(f"basis_{code}", "An item not disclosed has no basis for disclosing.")
        if not any(cleaned.get(f"asked_{code}") for code in InformationItem.Item.values):
            self.add_error(None, "Tick at least one item that was asked for.")
        return cleaned


class AccessRequestForm(LocalTimesForm):
    agency = forms.CharField(label="Agency", max_length=150)
    requested_at = LocalTimeField(label="Requested at")
    mode = forms.ChoiceField(label="Access asked for", choices=chosen(AccessRequest.Mode.choices))
    judicial_warrant_or_court_order = YesNoField(
        label="Was a judicial warrant or court order presented?", clause="2(h)"
    )
    granted = YesNoField(
        label="Was access granted?", help_text="Without a judicial warrant or court order, decline.", clause="2(h)"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssistanceRequestForm(LocalTimesForm):
    agency = forms.CharField(label="Agency", max_length=150)
    requested_at = LocalTimeField(label="Requested at")
    operation = forms.CharField(label="The operation, in a sentence", widget=forms.Textarea(attrs={"rows": 2}))
    asked = forms.MultipleChoiceField(
        label="Support asked for",
        choices=AssistanceSupport.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    deputized_functions = YesNoField(
        label="Did an officer perform the functions of an immigration officer?", clause="2(k)"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind of support answered on its own, provided or not: 2(j) allows only perimeters, traffic control,
        # escort, officer safety and keeping the peace, and an unanswered box must not read as "not provided".
        for kind, label in AssistanceSupport.Kind.choices:
            self.fields[f"provided_{kind}"] = YesNoField(label=f"{label}: provided?", clause="2(j)")
        self.order_fields(["agency", "requested_at", "operation", "asked"])

    def supports(self):
        asked = set(self.cleaned_data["asked"])
        provided = {kind for kind in AssistanceSupport.Kind.values if self.cleaned_data[f"provided_{kind}"]}
        return [
            {"kind": kind, "asked": kind in asked, "provided": kind in provided} for kind in sorted(asked | provided)
        ]


class ReimbursementForm(forms.Form):
    amount = forms.DecimalField(label="Amount (USD)", max_digits=12, decimal_places=2, min_value=0)
    received_on = PlausibleDateField(label="Received on", widget=forms.DateInput(attrs={"type": "date"}))
    program = forms.ChoiceField(label="Program", choices=Reimbursement.Program.choices)
    case_label = _clause(
        forms.CharField(
            label="Internal case label",
            max_length=60,
            required=False,
            help_text="Leave empty for formula grants such as SCAAP. Never a court docket number: the report "
            "is public.",
        ),
        "4(d)",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="File (PDF, JPEG or PNG, up to 10 MB)")


class DetainerFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any"), *Detainer.Kind.choices], required=False)
    form = forms.ChoiceField(label="Form", choices=[("", "Any"), *Detainer.Form.choices], required=False)
    reason = forms.ChoiceField(label="Reason", choices=[("", "Any"), *DetainerReason.Code.choices], required=False)
    lodged_from = PlausibleDateField(
        label="Lodged on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lodged_to = PlausibleDateField(
        label="Lodged on or before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    with_open_findings = forms.BooleanField(label="Only those with open findings", required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file exported from the records system",
        help_text="UTF-8 CSV, up to 20 MB. Nothing is saved unless every row is valid.",
    )
    dry_run = forms.BooleanField(label="Only check the file; save nothing", required=False)
