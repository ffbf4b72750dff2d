"""No answer a finding turns on can be recorded without someone giving it.

Which answers those are is found, not listed: every field of a police record that a registered rule reads (in
the rule itself or in the selectors it calls), and every service parameter, form field, serializer field and
import column that writes one. A field added tomorrow is checked tomorrow. Each must start empty: no model
default, no checkbox whose emptiness reads as "no", no select that shows a first choice as if chosen, no
serializer default, no value an empty import cell turns into.
"""

import ast
import importlib
import inspect
import textwrap

import pytest
from django import forms as django_forms
from django.apps import apps
from rest_framework import serializers
from rest_framework.fields import empty

from welcoming import findings

# Filled by the system, never by a clerk: whether a record is void, and the time it was written.
SYSTEM = {"id", "voided_at", "voided_by", "void_reason", "created_at", "created_by"}


def _rule_functions():
    return {rule for registration in findings.registrations().values() for rule in registration.rules}


def _apps_with_rules() -> list[str]:
    return sorted({rule.__module__.split(".")[0] for rule in _rule_functions()} - {"tests"})


def _names_in(function, seen: set) -> set[str]:
    """Attribute names, keyword roots (`basis__in` → `basis`) and string constants a function uses, following
    the calls it makes into its app's selectors."""
    if function in seen:
        return set()
    seen.add(function)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    names = set()
    module = inspect.getmodule(function)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
            owner = getattr(module, node.value.id, None) if isinstance(node.value, ast.Name) else None
            called = getattr(owner, node.attr, None) if inspect.ismodule(owner) else None
            if inspect.isfunction(called) and called.__module__.endswith(".selectors"):
                names |= _names_in(called, seen)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg.split("__")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value.split("__")[0])
        elif isinstance(node, ast.Name):
            called = getattr(module, node.id, None)
            if inspect.isfunction(called) and called.__module__ == module.__name__:
                names |= _names_in(called, seen)
    return names


def _deciding_fields() -> dict[str, list]:
    """{field name: [model field, …]} for every concrete field of the rules' apps that some rule reads."""
    seen: set = set()
    read = set().union(*(_names_in(rule, seen) for rule in _rule_functions()))
    deciding: dict[str, list] = {}
    for label in _apps_with_rules():
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if field.name in read and field.name not in SYSTEM and not field.is_relation:
                    deciding.setdefault(field.name, []).append(field)
    return deciding


def _defined_in_functions(module):
    return [f for f in vars(module).values() if inspect.isfunction(f) and f.__module__ == module.__name__]


def _service_aliases(deciding: set[str]) -> set[str]:
    """The names services take for a deciding field: `custody.transfer_authority = authority` → `authority`."""
    aliases = set()
    for label in _apps_with_rules():
        tree = ast.parse(inspect.getsource(importlib.import_module(f"{label}.services")))
        for node in ast.walk(tree):
            pairs = []
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        pairs += list(zip(target.elts, node.value.elts, strict=False))
                    else:
                        pairs.append((target, node.value))
            elif isinstance(node, ast.Call):
                pairs += [(ast.Attribute(attr=k.arg), k.value) for k in node.keywords if k.arg]
            for target, value in pairs:
                if not (isinstance(target, ast.Attribute) and target.attr in deciding):
                    continue
                # The value itself, or what it is computed from (`due_on=due_on(…, expedited=expedited)`).
                aliases |= {name.id for name in ast.walk(value) if isinstance(name, ast.Name)}
        # A yes/no a service takes is an answer about what happened (whether a judge's warrant came with it).
        for function in _defined_in_functions(importlib.import_module(f"{label}.services")):
            for name, parameter in inspect.signature(function).parameters.items():
                if parameter.annotation in (bool, "bool"):
                    aliases.add(name)
    return aliases


DECIDING = _deciding_fields()
NAMES = set(DECIDING) | _service_aliases(set(DECIDING))


def _decides(name: str, field=None) -> bool:
    return getattr(field, "clause", None) is not None or any(name == n or name.startswith(f"{n}_") for n in NAMES)


def test_the_walk_finds_the_answers_the_rules_turn_on():
    # The walk itself can fail: these are read by rules today, so a walk that misses one is broken.
    assert {"transfer_authority", "basis", "disclosed", "granted", "provided", "vehicle_impounded"} <= set(DECIDING)
    assert {"received_at", "time_assumed", "due_on", "judicial_warrant_or_court_order"} <= set(DECIDING)
    assert {"authority", "judicial_warrant", "expedited"} <= NAMES  # as the services name them


@pytest.mark.parametrize("name", sorted(DECIDING))
def test_no_model_field_a_rule_reads_has_a_default(name):
    assert [str(f) for f in DECIDING[name] if f.has_default()] == []


def _defined_in(module, base):
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, base) and value.__module__ == module.__name__
    ]


def _forms():
    for label in _apps_with_rules():
        for form_class in _defined_in(importlib.import_module(f"{label}.forms"), django_forms.Form):
            if "Filter" in form_class.__name__:
                continue  # a list's filters record nothing
            needs = inspect.signature(form_class.__init__).parameters
            kwargs = {name: None for name in ("custody",) if name in needs}
            if "persons" in needs or "candidates" in needs:
                kwargs.update(
                    {
                        name: apps.get_model("detainers", "Person").objects.none()
                        for name in needs
                        if name in ("persons", "candidates")
                    }
                )
            yield form_class(**kwargs)


@pytest.mark.django_db
def test_no_form_shows_an_answer_a_rule_reads_before_the_clerk_gives_it():
    wrong, checked = [], 0
    for form in _forms():
        for name, field in form.fields.items():
            if not _decides(name, field):
                continue
            checked += 1
            where = f"{type(form).__name__}.{name}"
            if isinstance(field, django_forms.BooleanField):
                wrong.append(f"{where}: a checkbox reads an unticked box as no")
            if field.initial is not None or name in form.initial:
                wrong.append(f"{where}: has an initial value")
            widget = field.widget
            if isinstance(widget, django_forms.Select) and not isinstance(widget, django_forms.RadioSelect):
                first = next(iter(field.choices), (None, None))[0]
                if first != "":
                    wrong.append(f"{where}: the select shows {first!r} as if chosen")
            if isinstance(widget, django_forms.CheckboxSelectMultiple):
                wrong.append(f"{where}: an unticked box reads as no")
    assert checked >= 30, checked  # the walk reaches the forms
    assert wrong == []


def test_no_serializer_fills_in_an_answer_a_rule_reads():
    wrong, checked = [], 0
    for label in _apps_with_rules():
        for serializer_class in _defined_in(importlib.import_module(f"{label}.api"), serializers.Serializer):
            for name, field in serializer_class().fields.items():
                if field.read_only or not _decides(name):
                    continue
                checked += 1
                # None or "" is no answer (the service refuses it where one is needed); anything else is one.
                if field.default not in (empty, None, ""):
                    wrong.append(f"{serializer_class.__name__}.{name}: defaults to {field.default!r}")
                if isinstance(field, serializers.BooleanField) and not field.required:
                    if serializer_class.__name__.endswith("UpdateSerializer"):
                        continue  # a partial update changes only what it is given
                    wrong.append(f"{serializer_class.__name__}.{name}: a yes/no that may be left out")
    assert checked >= 20, checked
    assert wrong == []


def test_no_service_assumes_an_answer_a_rule_reads():
    wrong = []
    for label in _apps_with_rules():
        module = importlib.import_module(f"{label}.services")
        for function in _defined_in_functions(module):
            for name, parameter in inspect.signature(function).parameters.items():
                if _decides(name) and parameter.default not in (inspect.Parameter.empty, None, ""):
                    wrong.append(f"{function.__name__}({name}={parameter.default!r})")
    assert wrong == []


def test_an_empty_import_cell_is_no_answer():
    from detainers import imports

    columns = [column for column in imports.COLUMNS if _decides(column.name)]
    assert {"transfer_authority", "judicial_warrant", "basis"} <= {column.name for column in columns}
    assert {column.name: imports.cell(column, "", "America/New_York") for column in columns} == {
        column.name: None if column.kind in ("time", "date", "yes/no") else "" for column in columns
    }
