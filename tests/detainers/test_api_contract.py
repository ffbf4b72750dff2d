"""Every API body has the JSON types the schema gives it (welcoming/api_contract.py): DRF alone took the number 0
for the note "0", "5" for a record's id and "yes" for true."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from detainers.models import Detainer, Person, Reimbursement
from tests.conftest import sign_in_verified
from tests.detainers.conftest import detainer_body


@pytest.fixture
def api(clerk):
    return sign_in_verified(APIClient(), clerk)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notes": 0}, {"notes": ["Give text (in quotes) here."]}),
        ({"custody": "1"}, {"custody": ["Give a whole number here."]}),
        ({"judicial_warrant": "yes"}, {"judicial_warrant": ["Give true or false here."]}),
        ({"reasons": {"code": "final_order"}}, {"reasons": ["Give a list here."]}),
        ({"reasons": [{"code": 1}]}, {"reasons": ["Give text (in quotes) here."]}),
    ],
)
def test_a_value_of_another_json_type_is_refused_by_field_and_nothing_saved(api, custody, changes, message):
    answer = api.post(reverse("api:detainer-list"), detainer_body(custody, **changes))
    assert answer.status_code == 400 and answer.json() == message
    assert not Detainer.objects.exists()


def test_null_is_taken_where_the_schema_allows_it_and_refused_elsewhere(api, custody):
    refused = api.post(reverse("api:detainer-list"), detainer_body(custody, notes=None))
    assert refused.status_code == 400 and refused.json() == {"notes": ["Give text (in quotes) here."]}
    taken = api.post(reverse("api:detainer-list"), detainer_body(custody, copy_served_at=None))
    assert taken.status_code == 201, taken.json()


def test_a_body_that_is_not_an_object_is_refused(api):
    answer = api.post(reverse("api:reimbursement-list"), ["1234.56", "2026-10-01", "scaap"])
    assert answer.status_code == 400 and answer.json() == {"non_field_errors": ["Give an object here."]}
    assert not Reimbursement.objects.exists()


def test_a_text_that_may_be_null_is_refused_as_a_number(api):
    """(Found by schemathesis: a department's id given as the number 7.8e+205 was filed as that text.)"""
    answer = api.post(reverse("api:person-list"), {"full_name": "Ana Pereira", "department_id": 7.8e205})
    assert answer.status_code == 400 and answer.json() == {"department_id": ["Give text (in quotes) here."]}
    assert not Person.objects.exists()
    taken = api.post(reverse("api:person-list"), {"full_name": "Ana Pereira", "department_id": ""})
    assert taken.status_code == 201, taken.json()


def test_an_empty_text_that_may_be_blank_is_valid_by_the_schema():
    """drf-spectacular gives "matches the pattern, or is empty" as oneOf, which refuses "" when the pattern also
    matches it; schemathesis then sent "" as a broken request and found it taken."""
    from drf_spectacular.generators import SchemaGenerator
    from jsonschema import Draft202012Validator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    department_id = schema["components"]["schemas"]["PersonRecordInputRequest"]["properties"]["department_id"]
    assert Draft202012Validator(department_id).is_valid("")
    assert not Draft202012Validator(department_id).is_valid("D\x00")


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ({"recieved_after": "2026-10-01"}, {"recieved_after": ["No such parameter here."]}),
        ({"page": ""}, {"page": ["Give a page number: 1, 2, 3…"]}),
        ({"page": "0"}, {"page": ["Give a page number: 1, 2, 3…"]}),
        ({"page": "١"}, {"page": ["Give a page number: 1, 2, 3…"]}),
    ],
)
def test_a_list_refuses_a_parameter_it_does_not_read_and_a_page_that_is_no_number(api, custody, query, refused):
    """A mistyped filter listed every record, unfiltered; `?page=` listed the first page (found by schemathesis)."""
    answer = api.get(reverse("api:custody-list"), query)
    assert answer.status_code == 400 and answer.json() == refused
    assert api.get(reverse("api:custody-list"), {"page": "1", "booked_after": "2026-10-01T00:00Z"}).status_code == 200
