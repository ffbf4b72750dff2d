"""The core's tables: the municipality profile and its holidays, accounts and API tokens, findings, the audit
log and its chain, notifications and attachments. One module over 400 lines, since Django's migrations for the
core read one `models` module and each model here is a few fields and its constraints."""

from datetime import date
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from welcoming.roles import CAPABILITIES


class Capability(models.Model):
    """Holds the permissions of DESIGN.md section 1 that belong to no single model. It has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = CAPABILITIES

    def __str__(self):
        return "capability"


class Account(User):
    """A user as the app sees one: what it may do comes from the permission table alone. Django's `User` lets a
    superuser do everything whatever its roles; here a superuser is an account like any other, so one made with
    `createsuperuser` cannot read complaints or person records its roles do not give it (DESIGN.md section 1)."""

    class Meta:
        proxy = True
        default_permissions = ()

    def has_perm(self, perm, obj=None):
        return self.is_active and perm in self.get_all_permissions(obj)

    def has_perms(self, perm_list, obj=None):
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label):
        return self.is_active and any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions())


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def of_user(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash of the key is kept: the key is shown once, when issued."""

    user = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the program that uses it.")
    key_prefix = models.CharField(max_length=8, help_text="The first characters of the key, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at", "key_hash"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_after_issue"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def status(self, now) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


class OfficeDays(models.TextChoices):
    """The days an office is open, as the public pages say them in every language (welcoming/contact.py)."""

    MONDAY_TO_FRIDAY = "mon_fri", _("Monday to Friday")
    MONDAY_TO_THURSDAY = "mon_thu", _("Monday to Thursday")
    MONDAY_TO_SATURDAY = "mon_sat", _("Monday to Saturday")


class Municipality(models.Model):
    """The one profile that fills the ordinance's blanks (DESIGN.md section 2). Every page speaks in its words."""

    class Kind(models.TextChoices):
        CITY = "city", "City"
        TOWN = "town", "Town"

    class Instrument(models.TextChoices):
        ORDINANCE = "ordinance", "Ordinance"
        BYLAW = "bylaw", "Bylaw"
        POLICY = "policy", "Policy"
        WARRANT_ARTICLE = "warrant_article", "Warrant article"

    name = models.CharField(max_length=100, help_text="The place's name alone, e.g. “Somerville”.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITY)
    instrument = models.CharField(max_length=20, choices=Instrument.choices, default=Instrument.ORDINANCE)
    instrument_number = models.CharField(max_length=50, blank=True, help_text="e.g. “2026-04”.")
    date_of_passage = models.DateField(help_text="Reporting periods are counted from this date.")
    first_tracked_period_start = models.DateField(
        null=True,
        blank=True,
        help_text="For a place that starts using the app years after passage: the first day of the first period "
        "the app reports. Empty means the first period after passage.",
    )
    police_department_name = models.CharField(max_length=150)
    police_mailing_address = models.TextField(
        blank=True,
        help_text="The police department's mailing address, as its letters print it: one line of the address per "
        "line. Empty: letters give none.",
    )
    chief_title = models.CharField(max_length=100, default="Chief of Police")
    chief_name = models.CharField(max_length=150, blank=True)
    clerk_title = models.CharField(max_length=100, default="City Clerk")
    executive_title = models.CharField(max_length=100, default="Mayor", help_text="Mayor, Town Manager, Select Board…")
    committee_name = models.CharField(max_length=200, default="Public Safety Committee of the City Council")
    complaints_office = models.CharField(max_length=200, help_text="The office that receives complaints (clause 3).")
    # How a member of the public reaches that office: the public pages, receipts and letters print what is given.
    complaints_office_phone = models.CharField(
        max_length=40, blank=True, help_text="Its telephone, as the public dials it."
    )
    complaints_office_address = models.TextField(blank=True, help_text="Its address, one line per line.")
    complaints_office_web = models.URLField(blank=True, help_text="Its web page.")
    # Hours as choices and times, not typed words: the public pages and the poster say them in six languages.
    complaints_office_days = models.CharField(
        max_length=10, choices=OfficeDays.choices, blank=True, help_text="The days it is open."
    )
    complaints_office_opens = models.TimeField(null=True, blank=True, help_text="When it opens, e.g. 09:00.")
    complaints_office_closes = models.TimeField(null=True, blank=True, help_text="When it closes, e.g. 17:00.")
    town_hall_phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="The town hall's main telephone line: the public pages give it while the complaints office has "
        "no telephone of its own here.",
    )
    time_zone = models.CharField(max_length=50, default="America/New_York")
    # Deadlines
    detainer_copy_hours = models.PositiveSmallIntegerField(
        default=24, help_text="2(g): hours to serve a copy of a detainer on the person (or before release if sooner)."
    )
    u_visa_decision_days = models.PositiveSmallIntegerField(default=90)
    u_visa_expedited_days = models.PositiveSmallIntegerField(
        default=14, help_text="When the victim is in removal proceedings."
    )
    u_visa_warning_days = models.PositiveSmallIntegerField(default=14, help_text="Warn this many days before due.")
    complaint_acknowledgement_business_days = models.PositiveSmallIntegerField(default=5)
    post_forwarding_business_days = models.PositiveSmallIntegerField(
        default=2, help_text="G.L. c.6E §8: complaints alleging bias go to the POST Commission within 2 business days."
    )
    investigation_days = models.PositiveSmallIntegerField(default=90)
    report_due_days = models.PositiveSmallIntegerField(default=30, help_text="Days after a period ends.")
    retention_years = models.PositiveSmallIntegerField(
        default=7, help_text="Personal identifiers are purged this many years after a record's period is reported."
    )
    # Set by seed_demo only, never by a form: every page then says the data is not a real town's, and the
    # real-town set-up (start_town) refuses the database.
    is_demo = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "municipality profile"
        verbose_name_plural = "municipality profile"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="municipality_single_row"),
            models.CheckConstraint(
                condition=Q(complaints_office_opens__isnull=True)
                | Q(complaints_office_closes__isnull=True)
                | Q(complaints_office_opens__lt=models.F("complaints_office_closes")),
                name="complaints_office_opens_before_it_closes",
                violation_error_message="The complaints office must open before it closes.",
            ),
            models.CheckConstraint(
                condition=Q(first_tracked_period_start__isnull=True)
                | Q(first_tracked_period_start__gte=models.F("date_of_passage")),
                name="first_tracked_period_not_before_passage",
            ),
            models.CheckConstraint(condition=Q(post_forwarding_business_days__gte=1), name="post_forwarding_positive"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """“City of Somerville”, “Town of Amherst”."""
        return f"{self.get_kind_display()} of {self.name}"

    @property
    def instrument_title(self) -> str:
        """“Welcoming Community Ordinance No. 2026-04”."""
        title = f"Welcoming Community {self.get_instrument_display()}"
        return f"{title} No. {self.instrument_number}" if self.instrument_number else title


class LocalHoliday(models.Model):
    """A day the municipality keeps on top of Massachusetts' legal holidays, every year (e.g. Evacuation Day)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="local_holidays")
    name = models.CharField(max_length=100)
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "day"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month", "day"], name="local_holiday_unique_day"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="local_holiday_month"),
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=31), name="local_holiday_day"),
        ]

    def __str__(self):
        return f"{self.name} ({self.month}/{self.day})"

    def clean(self):
        try:
            date(2024, self.month, self.day)  # a leap year, so February 29 is allowed
        except (TypeError, ValueError):
            raise ValidationError({"day": "That day does not exist in that month."}) from None


class AuditEntryQuerySet(models.QuerySet):
    def of_record(self, record):
        """Every entry about one record: its own, and the lists and exports that named it among others."""
        return self.filter(record_type=record._meta.label_lower).filter(AuditEntry.naming(record.pk))


class AuditEntry(models.Model):
    """Who did what to which record, and when: ids and field names, never values, so it can be kept forever.

    (The values are in each record's history, which is purged with the record at retention.)

    Tamper-evident: each entry's `entry_hash` covers its contents and the hash of the entry before it, so altering
    or removing any entry breaks every hash after it (`manage.py verify_audit_chain` finds the first). On
    PostgreSQL a trigger also refuses any UPDATE or DELETE of a row (migration 0005).
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        VIEW = "view", "Viewed"
        LIST = "list", "Seen in a list"  # the ids shown, in `fields`
        EXPORT = "export", "Exported"
        PURGE = "purge", "Personal data purged"

    at = models.DateTimeField(db_index=True)
    # PROTECT, not SET_NULL: nulling the column would be an UPDATE of the log (refused on PostgreSQL) and would
    # break the chain. Accounts are switched off, never deleted.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    username = models.CharField(max_length=150, blank=True, help_text="Kept if the account is ever removed.")
    action = models.CharField(max_length=10, choices=Action.choices)
    record_type = models.CharField(max_length=100, help_text="app_label.model")
    record_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Names of the fields changed, or ids of the records listed or exported; never values.",
    )
    previous_hash = models.CharField(max_length=64, blank=True, help_text="The entry_hash of the entry before.")
    entry_hash = models.CharField(max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit log"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action} {self.record_type} {self.record_id}"

    @staticmethod
    def naming(record_id) -> models.Q:
        """The entries about a record id: its own, and the lists and exports that named it among others."""
        # The ids are stored as JSON strings, so '"12"' matches 12 and not 112 (on SQLite and PostgreSQL alike).
        listed = models.Q(action__in=["list", "export"], fields__icontains=f'"{record_id}"')
        return models.Q(record_id=str(record_id)) | listed


class AuditChain(models.Model):
    """The head of the audit log's hash chain: one row, locked by every writer so that entries chain in order.

    Holding the last hash and the length here also reveals the removal of the newest entries, which no later
    entry's hash would otherwise cover; the seal, keyed like the entries, reveals a head rewritten to hide it.
    """

    head_hash = models.CharField(max_length=64, blank=True)
    length = models.PositiveBigIntegerField(default=0)
    seal = models.CharField(max_length=64, blank=True, help_text="HMAC of the head and length (audit_chain.head_seal).")

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.length} entries, head {self.head_hash[:12]}"


class FindingQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(status__in=Finding.UNRESOLVED)

    def open(self):
        return self.filter(status=Finding.Status.OPEN)

    def violations(self):
        return self.filter(severity=Finding.Severity.VIOLATION)

    def of_record(self, record):
        return self.filter(record_type=record._meta.label_lower, record_id=record.pk)


class Finding(models.Model):
    """What a rule found about one record: one row per (record, rule code), closed but never deleted."""

    class Severity(models.TextChoices):
        VIOLATION = "violation", "Violation"
        WARNING = "warning", "Warning"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        DISMISSED = "dismissed", "Dismissed"
        REFERRED = "referred", "Referred to internal affairs"
        CLOSED = "closed", "Closed (no longer holds)"

    UNRESOLVED = (Status.OPEN, Status.ACKNOWLEDGED, Status.REFERRED)

    record_type = models.CharField(max_length=100, help_text="app_label.model of the record")
    record_id = models.BigIntegerField()
    section = models.CharField(max_length=10, help_text="The clause, e.g. 2(d).")
    code = models.CharField(max_length=60, help_text="The rule's code, unique per record.")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.TextField()
    facts = models.JSONField(default=dict, help_text="The facts the finding rests on.")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    occurred_at = models.DateTimeField(
        help_text="When the breach happened, as the rule saw it; the report counts the finding in that period."
    )
    status_changed_at = models.DateTimeField()
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_reason = models.TextField(blank=True, help_text="Why it was dismissed (required) or acknowledged.")
    history = HistoricalRecords()

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id", "code"], name="finding_unique_per_rule"),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(status_reason=""), name="finding_dismissal_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "severity"]),
            models.Index(fields=["occurred_at"]),
            models.Index(fields=["-opened_at", "-id"], name="finding_newest_first"),  # the queue's order
        ]

    def __str__(self):
        return f"{self.section} {self.get_severity_display()}: {self.message}"


class Notification(models.Model):
    """A message to one person, listed in the app and (once) e-mailed."""

    class Event(models.TextChoices):
        NEW_COMPLAINT = "new_complaint", "New complaint"
        COMPLAINT_ROUTED = "complaint_routed", "Complaint routed to internal affairs"
        COMPLAINT_OVERDUE = "complaint_overdue", "Complaint overdue"
        POST_DEADLINE_NEAR = "post_deadline_near", "POST forwarding deadline near"
        VIOLATION_OPENED = "violation_opened", "Violation found"
        REPORT_AWAITING_SIGNATURE = "report_awaiting_signature", "Report awaiting signature"
        REPORT_SIGNED = "report_signed", "Report signed"
        REPORT_RECEIVED = "report_received", "Report received"
        REPORT_DOCKETED = "report_docketed", "Report docketed"
        REPORT_DRIFTED = "report_drifted", "Signed report no longer matches the records"
        AGENDA_CHANGED = "agenda_changed", "Item placed on an agenda"
        U_VISA_DUE_SOON = "u_visa_due_soon", "U visa request due soon"
        ACCOUNT_CHANGED = "account_changed", "Your account was changed"
        AUDIT_CHECKPOINT = "audit_checkpoint", "Audit log checkpoint"
        ACCOUNT_LOCKED = "account_locked", "Account locked after failed sign-ins"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=40, choices=Event.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="Path in the app to act on it.")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


# Changes to staff accounts are kept in history too (who gave whom which role), without password hashes.
register(User, app="welcoming", excluded_fields=["password", "last_login"], m2m_fields=["groups"])


# The extension a file is stored and served under: its type's, as read from its content, whatever name it came with.
ATTACHMENT_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def _attachment_path(attachment, filename):
    # A random name: nothing about the person or the document in the path; the original name is kept apart, as a
    # label only.
    return f"attachments/{uuid4().hex}{ATTACHMENT_EXTENSIONS.get(attachment.content_type, '')}"


class Attachment(models.Model):
    """A scan or photo attached to a record. Stored outside any public path; served only through a view that
    checks the reader may see the record it belongs to."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG image"
        PNG = "image/png", "PNG image"

    record_type = models.CharField(max_length=100)
    record_id = models.BigIntegerField()
    file = models.FileField(upload_to=_attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40, choices=Kind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name it is served under: the original's stem, with the extension of what the file is."""
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else self.original_name
        return f"{stem or 'file'}{ATTACHMENT_EXTENSIONS.get(self.content_type, '')}"
