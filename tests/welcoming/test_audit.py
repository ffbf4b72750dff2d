"""Every change is in the record's history (with values) and in the audit log (names only); every look too."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests.conftest import setup_actor, sign_in_verified
from welcoming.findings import findings_reconcile
from welcoming.models import AuditEntry, Finding, LocalHoliday
from welcoming.municipality import municipality_configure
from welcoming.roles import Role

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("America/New_York"))


def test_a_change_is_in_history_with_values_and_in_the_audit_log_by_name_only(municipality):
    municipality_configure(by=setup_actor(), chief_name="Dana Whitfield")
    latest = municipality.history.latest()
    assert latest.chief_name == "Dana Whitfield" and latest.history_type == "~"
    entry = AuditEntry.objects.filter(record_type="welcoming.municipality", action="update").latest("id")
    assert entry.fields == ["chief_name"]
    assert "Dana Whitfield" not in repr(AuditEntry.objects.values_list())


def test_a_change_made_in_the_app_names_who_made_it(client, municipality, toy_rule, make_staff):
    holiday = LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2)
    finding = findings_reconcile(record=holiday, now=NOW).opened[0]
    ia = make_staff("ia", Role.INTERNAL_AFFAIRS)
    sign_in_verified(client, ia)
    client.post(reverse("welcoming:finding-act", args=[finding.pk]), {"action": "acknowledge", "note": "On it."})
    assert finding.history.latest().history_user == ia
    entry = AuditEntry.objects.filter(record_type="welcoming.finding", action="update").latest("id")
    assert entry.user == ia and entry.username == "ia"
    assert set(entry.fields) >= {"status", "status_reason", "status_changed_by"}
    assert "On it." not in repr(AuditEntry.objects.values_list())


def test_looking_at_a_finding_is_logged(client, municipality, toy_rule, clerk):
    holiday = LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2)
    finding = findings_reconcile(record=holiday, now=NOW).opened[0]
    sign_in_verified(client, clerk)
    client.get(reverse("welcoming:finding-detail", args=[finding.pk]))
    view = AuditEntry.objects.get(action="view")
    assert (view.user, view.record_type, view.record_id, view.fields) == (
        clerk,
        "welcoming.finding",
        str(finding.pk),
        [],
    )


def test_a_refused_look_is_not_logged_as_a_view(client, municipality, toy_rule, make_staff):
    holiday = LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2)
    finding = findings_reconcile(record=holiday, now=NOW).opened[0]
    sign_in_verified(client, make_staff("council", Role.COUNCIL_STAFF))
    assert client.get(reverse("welcoming:finding-detail", args=[finding.pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="view").exists()


def test_a_staff_accounts_history_keeps_no_password_hash(make_staff):
    user = make_staff("clerk", Role.RECORDS_CLERK)
    user.set_password("another long password 77")
    user.save()
    assert not hasattr(user.history.latest(), "password")


def test_the_audit_log_is_read_only_even_for_the_administrator(client, make_staff, municipality):
    sign_in_verified(client, make_staff("it", Role.ADMINISTRATOR))
    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:welcoming_auditentry_changelist")).status_code == 200
    assert (
        client.post(reverse("admin:welcoming_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert Finding.objects.count() == 0
