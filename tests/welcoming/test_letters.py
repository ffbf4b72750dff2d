"""The guards on what staff type into a letter to a member of the public (welcoming.letters), as pure functions."""

import pytest

from welcoming.letters import copied_run, letter_text_problems, names_used, words

STAFF = ["Officer Dana Booker (badge 4471) asked the complainant about her immigration status."]


def test_words_are_case_and_punctuation_blind_and_chinese_is_a_word_a_character():
    assert words("Officer (badge 4471), O'Neil") == ["officer", "badge", "4471", "o", "neil"]
    assert words("Moreno警员152号") == ["moreno", "警", "员", "152", "号"]


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("El agente asked the complainant about su estatus.", "asked the complainant about"),
        ("ASKED THE COMPLAINANT, ABOUT", "asked the complainant about"),
        ("El agente preguntó por su situación migratoria.", ""),
        ("asked the complainant", ""),  # three words: no run
        ("", ""),
    ],
)
def test_a_run_of_four_words_from_the_staff_text_is_found(text, run):
    assert copied_run(text, STAFF) == run


@pytest.mark.parametrize(
    ("text", "used"),
    [
        ("La agente Booker le preguntó.", ["Dana Booker"]),
        ("Placa 4471.", ["4471"]),
        ("Moreno警员", ["Pat Moreno"]),
        ("Bookers and 44710 are other words", []),
        ("Un agente le preguntó.", []),
        ("Da la razón.", []),  # "Da" of "Dana"? No: a part is a whole word, and a name's two-letter part never counts
    ],
)
def test_a_recorded_name_or_number_is_found_whole(text, used):
    assert names_used(text, ["Dana Booker", "4471", "Pat Moreno", "Li Da"]) == used


def test_english_staff_text_is_refused_only_in_a_letter_in_another_language_but_names_everywhere():
    pasted = "The officer asked the complainant about her status."
    args = {"staff_english": STAFF, "personnel": ["Suspended three days without pay"], "names": ["Dana Booker", "4471"]}
    assert letter_text_problems(pasted, reader_language="en", reader_language_name="English", **args) == []
    (spanish,) = letter_text_problems(pasted, reader_language="es", reader_language_name="Spanish", **args)
    assert (
        spanish == "“asked the complainant about…” is copied from the staff's English text: write it in Spanish, "
        "the complainant's language."
    )
    (action,) = letter_text_problems(
        "He was suspended three days without pay.", reader_language="en", reader_language_name="English", **args
    )
    assert "is the action taken, a personnel matter" in action
    (name,) = letter_text_problems("Booker, 4471.", reader_language="en", reader_language_name="English", **args)
    assert name.startswith("Leave out Dana Booker, 4471:")
