"""Field validators of the detainers app; the shared ones live in the core and are re-exported here."""

import re

from django.core.exceptions import ValidationError

from welcoming.validators import no_markup, not_an_a_number  # noqa: F401 (migrations name them here)

# A Massachusetts trial-court docket number, e.g. 2281CR000123: never a case label, since the report is public.
_DOCKET = re.compile(r"^\d{4}\s*[A-Z]{2}\s*\d{4,6}$", re.IGNORECASE)


def not_a_docket_number(value: str) -> None:
    if value and _DOCKET.match(value.strip()):
        raise ValidationError(
            "Court docket numbers cannot be case labels: the report is public. Use the "
            "department's internal case label.",
            code="docket_number",
        )
