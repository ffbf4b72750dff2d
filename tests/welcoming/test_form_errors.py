"""Every error a form shows is tied to its field, for a screen reader as for the eye: the field is marked invalid
and names the message in `aria-describedby` (WCAG 3.3.1 and 1.3.1), on every form of every page a role may open.

The forms are not listed by hand: the walk opens every page the permission table gives a role, finds each form
that posts fields, and sends it empty — inside a savepoint that is rolled back, so nothing a form accepts stays.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.db import transaction

from tests.welcoming.test_permissions import (  # noqa: F401 (the fixture)
    ACCESS,
    ANONYMOUS,
    identities,
    url_patterns,
    walk_path,
    walk_records,
)
from welcoming.roles import Role

NOT_OURS = ("api:", "admin:", "admin/", "schema", "swagger", "redoc")
FIELDS = ("input", "select", "textarea")
NOT_FIELDS = ("hidden", "submit", "button")


class _Page(HTMLParser):
    """The forms that post fields; each field's id, description and validity; each error message, and the
    description of the group of fields (fieldset) it stands in, if any."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields, self.errors, self.unnamed = [], {}, [], []
        self._form, self._error, self._groups = None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        described = set((attrs.get("aria-describedby") or "").split())
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": 0}
            self.forms.append(self._form)
        if tag in FIELDS and attrs.get("type") not in NOT_FIELDS:
            if self._form is not None:
                self._form["fields"] += 1
            invalid = attrs.get("aria-invalid") == "true"
            if attrs.get("id"):
                self.fields[attrs["id"]] = {"described": described, "invalid": invalid}
            elif invalid:
                self.unnamed.append(attrs.get("name") or tag)
        if tag == "fieldset":
            self._groups.append(described)
        if "usa-error-message" in (attrs.get("class") or "").split():
            self._error = {
                "id": attrs.get("id") or "",
                "text": "",
                "group": self._groups[-1] if self._groups else set(),
            }
            self.errors.append(self._error)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "fieldset" and self._groups:
            self._groups.pop()

    def handle_data(self, data):
        if self._error is not None:
            self._error["text"] += data.strip()
            self._error = None


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def untied(html: str) -> list[str]:
    """What a screen reader would miss: an error that its own field (or its own group of fields) does not name,
    or a field in error not marked invalid."""
    page, problems = parse(html), []
    ids = [error["id"] for error in page.errors]
    for error in page.errors:
        id_, text = error["id"], error["text"]
        field = page.fields.get(id_.rsplit("-error-", 1)[0])
        if not id_ or id_.startswith("-") or ids.count(id_) > 1:
            problems.append(f"error {text!r} has no id of its own ({id_!r})")
        elif id_ in error["group"]:
            continue  # a group of checkboxes or radio buttons: the fieldset names it, the legend says what it is
        elif field is None or id_ not in field["described"]:
            problems.append(f"error {text!r} ({id_}) is not named by its field")
        elif not field["invalid"]:
            problems.append(f"error {text!r} ({id_}): its field is not marked aria-invalid")
    return problems + [f"field {name} is invalid but has no id to be named by" for name in page.unnamed]


@pytest.mark.django_db
def test_every_error_a_form_shows_is_tied_to_its_field(identities, municipality, toy_rule):  # noqa: F811
    clients, tokens = identities
    walk = walk_records({role: tokens[role].user for role in Role}, municipality, tokens[Role.ADMINISTRATOR])
    sent, with_errors, wrong = set(), set(), []
    for key, template in url_patterns():
        if key.startswith(NOT_OURS):
            continue
        # Every role that may open the page: some forms show only to the role that acts (a finding's action).
        for role in [role for role in [ANONYMOUS, *Role] if ACCESS[key][role] == 200]:
            client = clients[role]
            path = walk_path(key, template, walk, tokens.get(role))
            page = client.get(path)
            if not page["Content-Type"].startswith("text/html"):
                continue
            for form in parse(page.content.decode()).forms:
                action = urljoin(path, form["action"])
                if not form["fields"] or action in sent:
                    continue
                sent.add(action)
                with transaction.atomic():
                    answer = client.post(action, {"sent": "empty"})  # not {}: `Form(request.POST or None)` is unbound
                    transaction.set_rollback(True)
                html = answer.content.decode() if answer["Content-Type"].startswith("text/html") else ""
                if "usa-error-message" in html:
                    with_errors.add(action)
                    wrong += [f"{key}, form to {action} sent empty: {problem}" for problem in untied(html)]
    assert len(with_errors) >= 35, sorted(with_errors)  # the walk reaches the forms (37 of them today)
    assert not wrong, "\n".join(wrong)
