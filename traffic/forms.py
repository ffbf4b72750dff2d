"""The records clerk's stop form: thin; `traffic.services` decides what may be saved."""

from django import forms

from traffic.models import UnlicensedDriverStop
from welcoming.forms import LocalTimeField, LocalTimesForm, YesNoField, chosen


class StopForm(LocalTimesForm):
    stopped_at = LocalTimeField(label="Stopped at")
    place = forms.CharField(label="Where", max_length=200)
    officer_name = forms.CharField(label="Officer's name", max_length=150)
    officer_badge = forms.CharField(label="Officer's badge number", required=False, max_length=30)
    other_arrestable_violation = YesNoField(label="Was another arrestable violation present?")
    other_violation = forms.CharField(label="Which violation", required=False, max_length=200)
    action = forms.ChoiceField(label="What the officer did", choices=chosen(UnlicensedDriverStop.Action.choices))
    custody_reason = forms.CharField(
        label="If taken into custody on no other violation: why a summons was not possible",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    licensed_driver_offered = YesNoField(label="Was the driver offered the chance to call a licensed driver?")
    licensed_driver_arrived = YesNoField(label="Did a licensed driver come for the car?")
    vehicle_impounded = YesNoField(label="Was the vehicle impounded?")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "other_arrestable_violation",
            "action",
            "licensed_driver_offered",
            "licensed_driver_arrived",
            "vehicle_impounded",
        ):
            self.fields[name].clause = "2(f)"


class FilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any")] + UnlicensedDriverStop.Action.choices
    )
    impounded = forms.BooleanField(label="Only impoundments", required=False)
    with_findings = forms.BooleanField(label="Only stops with open findings", required=False)
