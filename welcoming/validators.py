"""Field validators every app's records share: free text stays text, and no A-number is ever kept."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|javascript\s*:", re.IGNORECASE)
# An alien registration number: "A" and 8 or 9 digits, with or without separators (A-123-456-789, A123456789).
_A_NUMBER = re.compile(r"(?<![A-Za-z0-9])A\s*[-#]?\s*(\d[\s-]?){8,9}(?!\d)", re.IGNORECASE)


def no_markup(value: str) -> None:
    """Free text is text: HTML or script in it is refused rather than stored and escaped later."""
    if value and _MARKUP.search(value):
        raise ValidationError(_("Remove the HTML or script: this field takes plain text only."), code="markup")


def not_an_a_number(value: str) -> None:
    if value and _A_NUMBER.search(value):
        raise ValidationError(
            _(
                "This looks like an alien registration number (A-number). Remove it: the app never keeps "
                "A-numbers, since they reveal immigration status."
            ),
            code="a_number",
        )
