"""Every message the app marks for translation is translated in every language we promise: none missing, none
fuzzy (a guess gettext made, not a translation), none that merely copies the English — proper names and
acronyms excepted. And the compiled catalogues are the ones the sources say."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["es", "pt_BR", "ht", "zh_Hans", "vi"]
# The same in every language: acronyms, codes, proper names and the languages' own names.
SAME_IN_EVERY_LANGUAGE = {"PIN", "POST", "ICE", "PDF", "E-mail", "English", "Español", "Kreyòl ayisyen"}
# Months abbreviated to three letters are often spelled alike ("jun", "nov"); welcoming/calendar_words.py.
MONTHS_3 = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def entries(path: Path):
    """(msgid, msgstr, flags) for every entry but the header; --no-wrap keeps each on one line, or a few."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = re.search(r'^msgid "(.*)"$((?:\n".*")*)', block, re.MULTILINE)
        msgstr = re.search(r'^msgstr "(.*)"$((?:\n".*")*)', block, re.MULTILINE)
        if not msgid or not msgstr:
            continue
        join = lambda m: m.group(1) + "".join(re.findall(r'^"(.*)"$', m.group(2), re.MULTILINE))  # noqa: E731
        if join(msgid):
            yield join(msgid), join(msgstr), flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_really_translated(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    wrong = []
    for msgid, msgstr, flags in entries(path):
        if "fuzzy" in flags:
            wrong.append(f"fuzzy: {msgid!r}")
        elif not msgstr:
            wrong.append(f"untranslated: {msgid!r}")
        elif msgstr == msgid and msgid not in SAME_IN_EVERY_LANGUAGE | MONTHS_3:
            wrong.append(f"copies the English: {msgid!r}")
        elif sorted(re.findall(r"%\(\w+\)s", msgid)) != sorted(re.findall(r"%\(\w+\)s", msgstr)):
            wrong.append(f"placeholders differ: {msgid!r}")
    assert not wrong, "\n".join(wrong)


def test_the_catalogues_hold_every_message_the_sources_mark(tmp_path):
    """No message marked in the Python sources is missing from the catalogues (run `make messages` if one is)."""
    committed = {msgid for msgid, _, _ in entries(LOCALE / "es" / "LC_MESSAGES" / "django.po")}
    sources = [
        str(path)
        for folder in ("welcoming", "detainers", "complaints", "reports", "templates")
        for path in (Path(settings.BASE_DIR) / folder).rglob("*")
        if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts
    ]
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=gettext_lazy",
            "--keyword=_",
            "--keyword=gettext",
            "--keyword=gettext_noop",
            "--no-wrap",
            "-o",
            str(pot),
            *[s for s in sources if s.endswith(".py")],
        ],
        check=True,
        capture_output=True,
    )
    marked_in_python = {msgid for msgid, _, _ in entries(pot)}
    assert "Please fill in this field." in marked_in_python  # the scan itself works
    missing = sorted(marked_in_python - committed)
    assert not missing, f"Marked for translation but not in the catalogues: {missing}"
