"""Render a form widget with USWDS classes and the aria links to its hint and errors."""

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from welcoming.ordinance import clause

register = template.Library()

_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.FileInput: "usa-file-input",
}


def _described_by(field) -> list[str]:
    """The ids of the field's hint and of each of its errors, as the field partials give them."""
    ids = [f"{field.auto_id}-hint"] if field.help_text or getattr(field.field, "clause", None) else []
    return ids + [f"{field.auto_id}-error-{n}" for n in range(1, len(field.errors) + 1)]


@register.filter
def usa_widget(field):
    widget = field.field.widget
    css = next((css for kind, css in _CLASSES.items() if isinstance(widget, kind)), "usa-input")
    if field.errors:
        css += " usa-input--error"
    attrs = {"class": css}
    if described_by := _described_by(field):
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def described_by(field):
    """` aria-describedby="…"` (and ` aria-invalid="true"` on a field in error) for a checkbox or a group of them,
    which the templates draw by hand: a screen reader then reads the hint and the error with the field."""
    ids = _described_by(field)
    if not ids:
        return ""
    invalid = ' aria-invalid="true"' if field.errors and not _is_group(field) else ""
    return format_html(' aria-describedby="{}"{}', " ".join(ids), mark_safe(invalid))


@register.simple_tag
def follows(field):
    """` data-follows="…" data-when="…"` for a group the templates draw by hand, from its widget's attrs: the
    question it follows, and the answers that make it apply (static/js/follow-ups.js)."""
    attrs = field.field.widget.attrs
    if "data-follows" not in attrs:
        return ""
    return format_html(' data-follows="{}" data-when="{}"', attrs["data-follows"], attrs["data-when"])


def _is_group(field) -> bool:
    return field.field.widget.input_type == "radio" or getattr(field.field.widget, "allow_multiple_selected", False)


@register.inclusion_tag("partials/clause_link.html")
def clause_link(code: str):
    """A link to the clause that governs a field or a fact, e.g. “2(d) No holding anyone on a detainer…”.

    A form field names its clause with `field.clause = "2(d)"`; the field partial shows it beside the label.
    """
    return {"clause": clause(code)}
