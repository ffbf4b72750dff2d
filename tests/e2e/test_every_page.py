"""Every page type, for every role that may open it, in a real browser: zero WCAG 2.1 A or AA violations.

The pages are not listed by hand: the walk takes every URL pattern the project has, fills it with a record of the
kind it names (the permission walk's records), and opens it as each role for which the permission table answers
200 with an HTML page. A new page is walked the day it is added.
"""

import sys
from datetime import timedelta

import pytest

from tests.e2e.conftest import axe_violations, sign_in
from tests.welcoming.test_permissions import ACCESS, ANONYMOUS, url_patterns, walk_path, walk_records
from welcoming.accounts import api_token_issue
from welcoming.roles import Role

# The admin site is Django's own; the API's pages are JSON or Swagger UI (a vendored bundle): neither is ours to
# fix, and the administrator's pages of ours are walked like any other.
NOT_OURS = ("api:", "admin:", "admin/", "schema", "swagger", "redoc")


DOWNLOADS = {"application/pdf", "text/csv", "image/svg+xml", "application/json"}


def html_pages_for(role) -> list[str]:
    return [
        key
        for key, _ in url_patterns()
        if ACCESS[key][role] == 200 and not key.startswith(NOT_OURS) and key not in ("welcoming:enrol",)
    ]


@pytest.fixture
def walk(municipality, make_staff, toy_rule):
    users = {role: make_staff(f"walk-{role.value}", role) for role in Role}
    tokens = {
        role: api_token_issue(user=user, name=f"walk-{role.value}", lifetime=timedelta(days=1))[0]
        for role, user in users.items()
    }
    return users, tokens, walk_records(users, municipality, tokens[Role.ADMINISTRATOR])


@pytest.mark.parametrize("role", [ANONYMOUS, *Role], ids=lambda role: getattr(role, "value", "the-public"))
def test_every_page_a_role_may_open_has_no_wcag_violation(axe_page, walk, role):
    """(The public, signed out, is walked too: the complaint form, the status lookup, the docket, the figures.)"""
    users, tokens, records = walk
    if role != ANONYMOUS:
        sign_in(axe_page, users[role])
    checked, problems = [], []
    for key, template in url_patterns():
        if key not in html_pages_for(role):
            continue
        path = walk_path(key, template, records, tokens.get(role))
        answer = axe_page.request.get(path, max_redirects=0)
        kind = answer.headers.get("content-type", "").split(";")[0]
        if answer.status != 200:
            problems.append(f"{key} ({path}): answered {answer.status}, where the permission table says 200")
            continue
        if kind in DOWNLOADS:
            continue  # a file, not a page
        assert kind == "text/html", f"{key} ({path}) answered {kind}"
        axe_page.goto(path)
        checked.append(key)
        problems += [f"{key} ({path}): {violation}" for violation in axe_violations(axe_page)]
    sys.stdout.write(f"\n{getattr(role, 'value', role)}: {len(checked)} page types checked with axe\n")
    assert checked, f"no page walked for {role}"
    assert not problems, "\n".join(problems)
