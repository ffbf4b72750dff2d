"""Field validators of the detainers app; the shared ones live in the core and are re-exported here."""

import re
import unicodedata
from collections.abc import Iterable

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


def _words(text: str) -> tuple[str, ...]:
    """The words of a text without case or accents: "José GARCÍA" and "jose garcia" are the same two words."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(re.findall(r"\w+", plain.casefold()))


def names_within(text: str, names: Iterable[str]) -> list[str]:
    """The names that `text` holds as whole words, in order, ignoring case and accents ("Ruiz" holds no "Ana
    Ruiz"; "ana ruiz 2025" does)."""
    words = _words(text)
    found = []
    for name in names:
        target = _words(name)
        if target and any(words[i : i + len(target)] == target for i in range(len(words) - len(target) + 1)):
            found.append(name)
    return found
