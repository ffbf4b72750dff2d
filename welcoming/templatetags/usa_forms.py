"""Render a form widget with USWDS classes and the aria links to its hint and errors."""

from django import forms, template

from welcoming.ordinance import clause

register = template.Library()

_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.FileInput: "usa-file-input",
}


@register.filter
def usa_widget(field):
    widget = field.field.widget
    css = next((css for kind, css in _CLASSES.items() if isinstance(widget, kind)), "usa-input")
    if field.errors:
        css += " usa-input--error"
    described_by = []
    if field.help_text or getattr(field.field, "clause", None):
        described_by.append(f"{field.id_for_label}-hint")
    described_by += [f"{field.id_for_label}-error-{n}" for n in range(1, len(field.errors) + 1)]
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("partials/clause_link.html")
def clause_link(code: str):
    """A link to the clause that governs a field or a fact, e.g. “2(d) No holding anyone on a detainer…”.

    A form field names its clause with `field.clause = "2(d)"`; the field partial shows it beside the label.
    """
    return {"clause": clause(code)}
