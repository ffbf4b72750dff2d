"""The role groups follow the permission table; no model anywhere can hold what the ordinance forbids us to keep."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from welcoming.accounts import roles_sync
from welcoming.roles import PERMISSIONS, Role


def group_permissions(role):
    group = Group.objects.get(name=role.label)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_after_migrate_each_role_holds_exactly_its_row_of_the_table(role):
    assert group_permissions(role) == PERMISSIONS[role]


@pytest.mark.django_db
def test_sync_takes_back_a_permission_added_by_hand_and_is_safe_to_repeat():
    group = Group.objects.get(name=Role.COUNCIL_STAFF.label)
    group.permissions.add(Permission.objects.get(codename="view_police_records"))
    roles_sync()
    roles_sync()
    assert group_permissions(Role.COUNCIL_STAFF) == PERMISSIONS[Role.COUNCIL_STAFF]
    assert Group.objects.filter(name=Role.COUNCIL_STAFF.label).count() == 1


@pytest.mark.django_db
def test_a_user_with_two_roles_may_do_what_either_may(make_staff):
    user = make_staff("both", Role.RECORDS_CLERK, Role.COMPLAINTS_COORDINATOR)
    assert user.has_perm("welcoming.change_police_records")
    assert user.has_perm("welcoming.change_other_complaints")
    assert not user.has_perm("welcoming.sign_report")


@pytest.mark.django_db
def test_the_administrator_sees_no_person_level_records(make_staff):
    # Separation of duties (DESIGN.md section 1): runs the system, reads nobody's file.
    admin = make_staff("it", Role.ADMINISTRATOR)
    person_level = [
        "view_police_records",
        "view_u_visa_requests",
        "view_findings",
        "view_police_complaints",
        "view_other_complaints",
        "view_report_drafts",
    ]
    assert not [p for p in person_level if admin.has_perm(f"welcoming.{p}")]


# DESIGN.md section 6: no field for citizenship, immigration status, national origin, race or ethnicity, and no
# A-number. Matched on whole words of a field's name, so `trace_id` does not trip on `race`.
FORBIDDEN = re.compile(
    r"(^|_)(citizenship|citizen|immigration|immigration_status|status_immigration|nationality|national_origin|"
    r"country_of_birth|birth_country|birthplace|place_of_birth|race|racial|ethnicity|ethnic|"
    r"alien|a_number|anumber|alien_number|visa_status|legal_status|documented|undocumented)(_|$)"
)


def test_no_model_has_a_field_for_status_origin_race_or_an_a_number():
    offending = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if FORBIDDEN.search(field.name.lower())
    ]
    assert not offending, f"Fields the ordinance says we must not keep: {offending}"


def test_the_check_recognises_forbidden_names():
    # The test above is only as good as its pattern: it must catch the names a careless model would use.
    for name in [
        "citizenship",
        "immigration_status",
        "national_origin",
        "race",
        "ethnicity",
        "a_number",
        "country_of_birth",
        "alien_number",
    ]:
        assert FORBIDDEN.search(name), name
    for name in ["trace_id", "grace_period_hours", "booking_number", "date_of_birth", "reason"]:
        assert not FORBIDDEN.search(name), name
