from django import forms


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
