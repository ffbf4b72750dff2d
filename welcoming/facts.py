"""A finding's facts in people's words: field names as their labels, choices as their names, times on the town's
clocks (DESIGN.md section 3, "Findings").

Facts are stored as the rules wrote them (codes, ISO times), since a change in them reopens a dismissed finding;
only their display is translated, here, from the models of the record's own app. Pure: no database.
"""

from datetime import datetime

from django.apps import apps
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst

from welcoming.local_time import when


def _fields_named(key: str, model) -> list:
    """The fields a fact's key may stand for: the record's own field of that name, then one ending in it (the
    fact `authority` is the custody's `transfer_authority`), then a field of that name on another model of the
    record's app (an information request's `item` and `basis` are its items')."""
    own = [f for f in model._meta.get_fields() if getattr(f, "concrete", False)]
    others = [
        f
        for other in apps.get_app_config(model._meta.app_label).get_models()
        if other is not model
        for f in other._meta.get_fields()
        if getattr(f, "concrete", False)
    ]
    return (
        [f for f in own if f.name == key]
        + [f for f in own if f.name.endswith(f"_{key}")]
        + [f for f in others if f.name == key]
    )


def _choice_fields(model) -> list:
    return [
        f
        for each in apps.get_app_config(model._meta.app_label).get_models()
        for f in each._meta.get_fields()
        if getattr(f, "concrete", False) and f.choices
    ]


def _choice_name(fields, value) -> str | None:
    for field in fields:
        names = dict(field.flatchoices) if field.choices else {}
        if value in names:
            return str(names[value])
    return None


def _value_in_words(key: str, value, model) -> str:
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(_value_in_words(key, each, model) for each in value) or "None"
    if isinstance(value, dict):
        return ", ".join(f"{label.lower()} {said}" for label, said in in_words(value, model))
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, str) and "T" in value and (moment := parse_datetime(value)) is not None:
        return when(moment)
    # A key may name a field that holds no choices (2(j)'s `provided` lists the supports' kinds): then the app's
    # own choices give the value its name, if any holds it.
    return _choice_name(_fields_named(key, model), value) or _choice_name(_choice_fields(model), value) or str(value)


def _label(key: str, value, model) -> str:
    fields = _fields_named(key, model)
    # A key two models share (`basis`): the field whose choices hold the value is the one meant.
    chosen = next((f for f in fields if f.choices and value in dict(f.flatchoices)), fields[0] if fields else None)
    return capfirst(str(chosen.verbose_name)) if chosen else capfirst(key.replace("_", " "))


def in_words(facts: dict, model) -> list[tuple[str, str]]:
    """(label, value) pairs for a finding's facts about a record of `model`."""
    return [(_label(key, value, model), _value_in_words(key, value, model)) for key, value in facts.items()]
