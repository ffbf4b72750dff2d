"""What staff may type into a letter to a member of the public, as pure checks (DESIGN.md section 4).

Whatever a person types that goes into a letter is typed for the letter, in the reader's language; the fixed parts
are translated with the app. Two guards catch the usual slips before a letter is made final:

- a run of `RUN` or more words copied from the staff's own English text of the record: pasted into a letter to
  someone who reads Spanish, it would speak English to her (and internal words to anyone);
- a name or badge number recorded on the record: who, like the action taken, is a personnel matter.
"""

import re
from collections.abc import Iterable

from django.utils import translation

RUN = 4
# A shorter part of a name ("da", "Li") would be found among ordinary words; numbers count from two digits.
SHORTEST_NAME = 3
SHORTEST_NUMBER = 2


# Chinese is written without spaces: each character is a word of its own, so a name or a badge number typed
# against it ("Moreno警员", "152号") is still found.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+")


def language_name(code: str) -> str:
    """A reader's language in English, as staff read it on their pages and in the guards' messages ("Spanish")."""
    return translation.get_language_info(code)["name"]


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _runs(tokens: list[str], length: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + length]) for i in range(len(tokens) - length + 1)}


def copied_run(text: str, sources: Iterable[str], length: int = RUN) -> str:
    """The first run of `length` words of `text` that stands word for word in one of `sources` (case and
    punctuation aside), or "" when there is none."""
    known = set().union(*(_runs(words(source), length) for source in sources))
    tokens = words(text)
    runs = (tuple(tokens[i : i + length]) for i in range(len(tokens) - length + 1))
    return next((" ".join(run) for run in runs if run in known), "")


def names_used(text: str, names: Iterable[str]) -> list[str]:
    """The recorded names and numbers that `text` uses, each whole, in the order given: a name is used when any
    word of it is (a surname alone names an officer)."""
    used = set(words(text))

    def counts(part: str) -> bool:
        return len(part) >= (SHORTEST_NUMBER if part.isdigit() else SHORTEST_NAME)

    return [name for name in dict.fromkeys(names) if any(counts(part) and part in used for part in words(name))]


def letter_text_problems(
    text: str,
    *,
    reader_language: str,
    reader_language_name: str,
    staff_english: Iterable[str] = (),
    personnel: Iterable[str] = (),
    names: Iterable[str] = (),
) -> list[str]:
    """Why `text` may not go into a letter to someone who reads `reader_language`, if it may not.

    `staff_english` is what staff wrote about the record in English (copied from only into a letter in another
    language: a letter in English restates the allegation in the same words, as it should); `personnel` is what
    never goes into any letter (the action taken), `names` the names and numbers recorded on the record."""
    problems = []
    if used := names_used(text, names):
        problems.append(
            f"Leave out {', '.join(used)}: names and badge numbers stay out of letters (who, like the action taken, "
            "is a personnel matter)."
        )
    if run := copied_run(text, personnel):
        problems.append(f"“{run}…” is the action taken, a personnel matter: it stays out of letters.")
    if reader_language != "en" and (run := copied_run(text, staff_english)):
        problems.append(
            f"“{run}…” is copied from the staff's English text: write it in {reader_language_name}, the "
            "complainant's language."
        )
    return problems
