"""Reads of the core."""

import base64
import hashlib
from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone

from welcoming import attachments, audit_chain, supplement
from welcoming import findings as findings_engine
from welcoming.acting import people
from welcoming.business_days import BusinessCalendar
from welcoming.models import (
    ApiToken,
    Attachment,
    AuditChain,
    AuditEntry,
    Finding,
    Municipality,
    Notification,
    OfficeDays,
)
from welcoming.ordinance import CLAUSES
from welcoming.roles import Role


def user_roles(user) -> list[Role]:
    """The roles a signed-in user holds, in the order of the table (prefetched groups are used when present)."""
    if not user.is_authenticated:
        return []
    labels = {group.name for group in user.groups.all()}
    return [role for role in Role if role.label in labels]


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_for_key(key: str) -> ApiToken | None:
    """The token with this key, whatever its state (the caller tells expired from revoked)."""
    return ApiToken.objects.select_related("user").filter(key_hash=api_key_hash(key)).first()


def api_tokens_of(*, user):
    return ApiToken.objects.of_user(user)


def api_token_of(*, user, pk) -> ApiToken:
    """One of the user's own tokens; another user's token is as missing as one that never existed."""
    token = ApiToken.objects.of_user(user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def totp_secret_base32(device) -> str:
    """The device's secret as an authenticator app takes it when typed in by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- The municipality ---------------------------------------------------------------------------------------


def municipality_get() -> Municipality | None:
    return Municipality.objects.prefetch_related("local_holidays").filter(pk=1).first()


def with_defaults(municipality: Municipality | None) -> Municipality:
    """The profile, or before one exists an unsaved one holding the model's defaults (the copy's hours, the U visa
    days…) in the environment's time zone: the one place a town without a profile gets its settings."""
    return municipality if municipality is not None else Municipality(time_zone=settings.TIME_ZONE)


def town_profile() -> Municipality:
    """The profile with its defaults filled in (`with_defaults`), in one query: what rules and services read."""
    return with_defaults(Municipality.objects.filter(pk=1).first())


def town_zone(municipality: Municipality | None) -> str:
    """The town's clocks: the profile's time zone. The environment's TIME_ZONE only seeds the profile (start_town
    offers it) and stands in before a profile exists; it never overrides one."""
    return with_defaults(municipality).time_zone


def local_date(moment, municipality: Municipality | None = None):
    """The date of `moment` on the municipality's clock: deadlines and "today" are the town's, not the server's.
    With no profile given it is read."""
    zone = town_zone(municipality or municipality_get())
    return timezone.localtime(moment, ZoneInfo(zone)).date()


def today_local(municipality: Municipality | None = None, now=None):
    return local_date(now or timezone.now(), municipality)


def municipality_of_request(request) -> Municipality | None:
    """The profile, read once per request however many parts of the page need it."""
    if not hasattr(request, "_municipality"):
        request._municipality = municipality_get()
    return request._municipality


def municipality_words(municipality: Municipality | None) -> dict:
    """The words that fill the ordinance's blanks, for templates, summaries, letters and the PDF.

    Before the administrator configures the profile, neutral words stand in, never the model's blanks.
    """
    if municipality is None:
        return {
            "place": "the municipality",
            "place_name": "",
            "police": "police department",
            "chief_title": "Police Chief",
            "chief_name": "",
            "clerk_title": "Clerk",
            "executive_title": "executive",
            "committee": "council committee",
            "complaints_office": "office that receives complaints",
            "instrument": "Welcoming Community ordinance",
        }
    return {
        "place": municipality.display_name,
        "place_name": municipality.name,
        "police": municipality.police_department_name,
        "chief_title": municipality.chief_title,
        "chief_name": municipality.chief_name,
        "clerk_title": municipality.clerk_title,
        "executive_title": municipality.executive_title,
        "committee": municipality.committee_name,
        "complaints_office": municipality.complaints_office,
        "instrument": municipality.instrument_title,
    }


@dataclass(frozen=True)
class OfficeContact:
    """How a member of the public reaches the office that takes complaints, as every public page, receipt, letter
    and poster prints it: its own telephone, or the town hall's main line until it has one here."""

    office: str
    phone: str = ""
    phone_is_town_hall: bool = False
    address: tuple[str, ...] = ()
    web: str = ""
    days: str = ""  # translated where it is printed
    opens: time | None = None
    closes: time | None = None

    @property
    def hours(self) -> bool:
        return bool(self.days and self.opens and self.closes)


def office_contact(municipality: Municipality | None) -> OfficeContact:
    if municipality is None:
        return OfficeContact(office=municipality_words(None)["complaints_office"])
    return OfficeContact(
        office=municipality.complaints_office,
        phone=municipality.complaints_office_phone or municipality.town_hall_phone,
        phone_is_town_hall=not municipality.complaints_office_phone and bool(municipality.town_hall_phone),
        address=tuple(line.strip() for line in municipality.complaints_office_address.splitlines() if line.strip()),
        web=municipality.complaints_office_web,
        # The label itself, lazy, not get_..._display(): it is said in the language of the page that prints it.
        days=OfficeDays(municipality.complaints_office_days).label if municipality.complaints_office_days else "",
        opens=municipality.complaints_office_opens,
        closes=municipality.complaints_office_closes,
    )


def office_contact_missing(municipality: Municipality | None) -> list[str]:
    """What the public pages cannot yet tell a resident about reaching the complaints office."""
    if municipality is None:
        return []
    contact = office_contact(municipality)
    missing = [] if municipality.complaints_office_phone else ["telephone"]
    missing += [] if contact.address else ["address"]
    missing += [] if contact.hours else ["days and hours"]
    return missing + ([] if contact.web else ["web page"])


def business_calendar(municipality: Municipality | None = None) -> BusinessCalendar:
    """The calendar every deadline uses: Massachusetts legal holidays plus the municipality's own days."""
    municipality = municipality or municipality_get()
    if municipality is None:
        return BusinessCalendar()
    return BusinessCalendar(tuple((h.month, h.day, h.name) for h in municipality.local_holidays.all()))


def ordinance_clauses(municipality: Municipality | None):
    words = municipality_words(municipality)
    return [(clause, clause.summary_for(words)) for clause in CLAUSES]


# --- Users --------------------------------------------------------------------------------------------------


def users_with_permission(permission: str):
    app_label, codename = permission.split(".")
    # People only: the scheduler reads no notices.
    return (
        people(get_user_model().objects)
        .filter(
            is_active=True,
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        .distinct()
    )


# --- The audit log ------------------------------------------------------------------------------------------


def audit_chain_verdict(*, since: audit_chain.Checkpoint | None = None):
    """Walk the whole audit log against its sealed head (and a checkpoint, if given); with the checkpoint of the
    head as walked. The head is read under its lock, with the newest entry's id, so writers that go on meanwhile
    add entries past the walk rather than a mismatch with the head."""
    with transaction.atomic():
        chain = AuditChain.objects.select_for_update().filter(pk=1).first()
        newest = AuditEntry.objects.aggregate(newest=Max("id"))["newest"] or 0
    if chain is None:  # never written: the empty chain
        chain = AuditChain(head_hash=audit_chain.GENESIS, length=0)
        chain.seal = audit_chain.head_seal(head_hash=chain.head_hash, length=0)
    entries = AuditEntry.objects.filter(id__lte=newest).order_by("id").iterator(chunk_size=5000)
    verdict = audit_chain.verify(entries, head_hash=chain.head_hash, length=chain.length, seal=chain.seal, since=since)
    latest = audit_chain.Checkpoint(length=verdict.checked, head_hash=verdict.head_hash, at=timezone.now())
    return verdict, latest


# --- Findings -----------------------------------------------------------------------------------------------


def findings_for(*, user, status: str | None = None, severity: str | None = None, section: str | None = None):
    """The findings a user may read (none without the permission), newest first, optionally filtered."""
    if not user.has_perm("welcoming.view_findings"):
        return Finding.objects.none()
    findings = Finding.objects.all()
    if status == "unresolved":
        findings = findings.unresolved()
    elif status:
        findings = findings.filter(status=status)
    if severity:
        findings = findings.filter(severity=severity)
    if section:
        findings = findings.filter(section=section)
    return findings.select_related("status_changed_by")


def finding_for(*, user, pk) -> Finding:
    finding = findings_for(user=user).filter(pk=pk).first()
    if finding is None:
        raise Http404("No such finding.")
    return finding


def finding_record(finding: Finding):
    """The record a finding is about, so its page can name it and link to it; None if it is no longer there."""
    try:
        model = apps.get_model(finding.record_type)
    except LookupError:
        return None
    return model._default_manager.filter(pk=finding.record_id).first()


def finding_history(finding: Finding) -> list:
    """Each change of the finding's status once, newest first. A finding is saved again whenever its facts or
    wording change; those saves are not events a reader needs to see."""
    events, status = [], None
    for entry in finding.history.select_related("history_user").order_by("history_date", "history_id"):
        if entry.status != status:
            events.append(entry)
            status = entry.status
    return events[::-1]


def findings_summary(user) -> dict:
    """Counts of unresolved findings by severity, for dashboards (one query)."""
    counts = dict.fromkeys(Finding.Severity.values, 0)
    rows = findings_for(user=user).unresolved().values("severity").annotate(count=Count("id"))
    counts.update({row["severity"]: row["count"] for row in rows})
    return counts


# --- Notifications ------------------------------------------------------------------------------------------


def notifications_of(*, user):
    return Notification.objects.filter(recipient=user)


def notification_of(*, user, pk) -> Notification:
    notification = notifications_of(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


UNREAD_SHOWN = 99  # the menu's badge counts this far, then says "99+"


def unread_count(*, user) -> int:
    """Unread notifications, counted no further than UNREAD_SHOWN + 1 (the menu says "99+" beyond), so a pile of
    unread notices costs every page the same (a count of 7,700 read half the table: 2.7 ms a page)."""
    return notifications_of(user=user).filter(read_at__isnull=True).order_by()[: UNREAD_SHOWN + 1].count()


# --- Dashboards ---------------------------------------------------------------------------------------------


def administrator_overview(user=None) -> dict:
    municipality = municipality_get()
    return {
        "municipality": municipality,
        "active_users": people(get_user_model().objects.filter(is_active=True)).count(),
        "superusers": list(get_user_model().objects.filter(is_superuser=True).values_list("username", flat=True)),
        "locked_accounts": AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count(),
        "recent_audit": AuditEntry.objects.all()[:5],
        "contact_missing": office_contact_missing(municipality),
    }


# --- Attachments --------------------------------------------------------------------------------------------


def attachments_of(record):
    return Attachment.objects.filter(record_type=record._meta.label_lower, record_id=record.pk)


def attachment_for(*, user, pk) -> Attachment:
    """A file, if the reader may see the kind of record it belongs to; 404 alike for missing and not yours."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or not attachments.may_read(user, attachment.record_type, attachment.record_id):
        raise Http404("No such file.")
    return attachment


# --- Voids, dismissals and automatic closures (DESIGN.md section 3) ------------------------------------------


def findings_by_clause(*, user) -> list[tuple[str, int]]:
    """Unresolved findings per clause, in the ordinance's order (one query)."""
    rows = dict(findings_for(user=user).unresolved().values_list("section").annotate(count=Count("id")))
    return [(clause.code, rows[clause.code]) for clause in CLAUSES if clause.code in rows]


def closures_since(*, user, since) -> dict:
    """What made findings or records go away since `since`: dismissals, automatic closures and voids."""
    if not user.has_perm("welcoming.view_findings"):
        return {"dismissed": [], "closed": [], "voided": []}
    findings = findings_for(user=user).filter(status_changed_at__gte=since).order_by("-status_changed_at")
    voided = []
    for model in findings_engine.voidable_models():
        # Ordered by the void, not the model's own order: the partial index on voided_at then finds the few.
        for record in model.objects.filter(voided_at__gte=since).select_related("voided_by").order_by("-voided_at"):
            voided.append(
                {
                    "record": record,
                    "kind": model._meta.verbose_name,
                    "at": record.voided_at,
                    "by": record.voided_by,
                    "reason": record.void_reason,
                }
            )
    return {
        "dismissed": list(findings.filter(status=Finding.Status.DISMISSED)),
        "closed": list(findings.filter(status=Finding.Status.CLOSED)),
        "voided": sorted(voided, key=lambda row: row["at"], reverse=True),
    }


def closures_count(user) -> dict:
    """For the internal-affairs and chief dashboards: the last 30 days' voids, dismissals and closures."""
    since = timezone.now() - timedelta(days=30)
    closures = closures_since(user=user, since=since)
    return {name: len(rows) for name, rows in closures.items()}


# --- The report's supplement: the core's own sections (DESIGN.md section 5) ---------------------------------


def supplement_findings_by_clause(window) -> list[supplement.Line]:
    """Findings whose breach happened in the window, per clause and severity, in the ordinance's order (one query).
    A finding that closed because it no longer held (its record changed or was voided) counts nowhere; a dismissed
    one still counts here, and again among the dismissals."""
    rows = (
        Finding.objects.exclude(status=Finding.Status.CLOSED)
        .filter(occurred_at__gte=window.starts_at, occurred_at__lt=window.ends_at)
        .values_list("section", "severity")
        .annotate(count=Count("id"))
    )
    counts = {(section, severity): count for section, severity, count in rows}
    return [
        supplement.Line(f"{clause.code}.{severity}", f"{clause.code} {clause.title}: {label.lower()}s", counts[key])
        for clause in CLAUSES
        for severity, label in Finding.Severity.choices
        if (key := (clause.code, severity)) in counts
    ]


def supplement_closures(window) -> list[supplement.Line]:
    """Records voided, and findings dismissed or closed because they no longer held, in the window: how things
    left the queue, so that none vanishes quietly (one query per kind of voidable record, and one for findings)."""
    moved = dict(
        Finding.objects.filter(
            status__in=[Finding.Status.DISMISSED, Finding.Status.CLOSED],
            status_changed_at__gte=window.starts_at,
            status_changed_at__lt=window.ends_at,
        )
        .values_list("status")
        .annotate(count=Count("id"))
    )
    lines = [
        supplement.Line(
            "findings_dismissed", "Findings dismissed, with a reason", moved.get(Finding.Status.DISMISSED, 0)
        ),
        supplement.Line(
            "findings_closed", "Findings closed because they no longer held", moved.get(Finding.Status.CLOSED, 0)
        ),
    ]
    for model in findings_engine.voidable_models():
        voided = model.objects.filter(voided_at__gte=window.starts_at, voided_at__lt=window.ends_at).count()
        lines.append(
            supplement.Line(f"voided.{model._meta.model_name}", f"Voided: {model._meta.verbose_name_plural}", voided)
        )
    return lines
