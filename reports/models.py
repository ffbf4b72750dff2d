"""The semiannual report of clause 4 (DESIGN.md section 5).

A report is created when the chief signs it: the figures, the supplement and the ids of the records behind each
figure are frozen in `snapshot`, and the PDF is rendered once, stored and hashed. A signed report never changes;
a correction is a new version that supersedes it and says why. Until a period's report is signed, its figures
are live (the draft).
"""

from uuid import uuid4

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def _pdf_path(report, filename):
    # Stored outside any public path and served only through a view that checks the reader's permission.
    return f"reports/{uuid4().hex}.pdf"


class ReportQuerySet(models.QuerySet):
    def current(self):
        """The versions that stand: signed and not superseded by a correction."""
        return self.filter(superseded_by__isnull=True)


class Report(models.Model):
    class Status(models.TextChoices):
        SIGNED = "signed", "Signed by the chief"
        RECEIVED = "received", "Received by the municipal clerk"
        FORWARDED = "forwarded", "Forwarded to the executive"
        DOCKETED = "docketed", "Docketed"

    period_number = models.PositiveSmallIntegerField(help_text="0 is the period beginning on the date of passage.")
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SIGNED)
    chief_comment = models.TextField(blank=True)
    snapshot = models.JSONField(
        help_text="The figures and supplement as signed (DESIGN.md section 8), and the ids of the records behind "
        "each figure."
    )
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    signer_name = models.CharField(max_length=150, help_text="As printed in the signature block.")
    signer_title = models.CharField(max_length=100)
    pdf = models.FileField(upload_to=_pdf_path)
    pdf_sha256 = models.CharField(max_length=64)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True, help_text="Why this version corrects the one it supersedes.")
    # The municipal clerk's workflow after signing (DESIGN.md section 5); the docket item records the rest.
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True, help_text="Forwarded to the executive.")
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whether the records still say what was signed (`reports.drift`). Derived, not signed: checked by the
    # scheduler and after every save a signed window rests on, and written without a history entry.
    drift = models.JSONField(null=True, blank=True, editable=False, help_text="The last check, as stored.")
    drift_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    drift_digest = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="What differed at the last check, hashed; empty if nothing.",
    )
    history = HistoricalRecords(excluded_fields=["drift", "drift_checked_at", "drift_digest"])

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "version"], name="report_version_once_per_period"),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""), name="report_correction_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=False) | Q(version=1), name="report_later_versions_supersede"
            ),
        ]

    def __str__(self):
        return f"Report {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}, version {self.version}"

    # What may change after signing: only the municipal clerk's workflow.
    WORKFLOW_FIELDS = frozenset({"status", "received_at", "received_by", "forwarded_at", "forwarded_by"})

    def save(self, *args, **kwargs):
        """A signed report never changes: only its workflow fields may be saved again, by name."""
        if not self._state.adding:
            changing = set(kwargs.get("update_fields") or ())
            if not changing or changing - self.WORKFLOW_FIELDS:
                raise ValueError("A signed report never changes: sign a correction instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:report-version", args=[self.pk])

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by")

    @property
    def has_drifted(self) -> bool:
        return bool(self.drift_digest)


class Meeting(models.Model):
    """A meeting of the committee (or another body). Past meetings may be recorded, for history."""

    body = models.CharField(max_length=200, help_text="Who meets, e.g. the Public Safety Committee.")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    agenda_posted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the notice and agenda were posted (Open Meeting Law, G.L. c.30A §20)."
    )
    agenda_posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self):
        return f"{self.body}, {timezone.localtime(self.starts_at):%A, %B %-d, %Y at %-I:%M %p}"

    def get_absolute_url(self):
        return reverse("reports:meeting", args=[self.pk])


def _paper_path(item, filename):
    return f"docket/{uuid4().hex}.pdf"


class DocketItem(models.Model):
    """A paper before the committee: a signed report, or an earlier report filed on paper (no figures)."""

    class Action(models.TextChoices):  # shown on the public docket, so translated
        ACCEPTED = "accepted", _("Accepted and placed on file")
        REFERRED_BACK = "referred_back", _("Referred back with questions")
        TABLED = "tabled", _("Tabled")
        OTHER = "other", _("Other")

    number = models.CharField(
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9-]*$",
                "A docket number is letters, digits and hyphens, e.g. 2026-214: it is part of public links.",
            )
        ],
        help_text="The clerk's docket number, e.g. 2026-214.",
    )
    title = models.CharField(max_length=300)
    report = models.OneToOneField(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="docket_item")
    paper_report = models.FileField(upload_to=_paper_path, blank=True, help_text="An earlier report, as a PDF.")
    paper_sha256 = models.CharField(max_length=64, blank=True)
    docketed_at = models.DateTimeField()
    docketed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    placed_at = models.DateTimeField(null=True, blank=True, help_text="When it was put on the meeting's agenda.")
    action = models.CharField(max_length=20, choices=Action.choices, blank=True)
    action_note = models.TextField(blank=True)
    action_recorded_at = models.DateTimeField(null=True, blank=True)
    action_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-docketed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False) | ~Q(paper_report=""), name="docket_item_has_a_paper"
            ),
            models.CheckConstraint(
                condition=Q(action="") | Q(meeting__isnull=False), name="docket_action_at_a_meeting"
            ),
        ]

    def __str__(self):
        return f"Docket {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("reports:docket-item", args=[self.number])

    def awaits_action(self, *, now) -> bool:
        """The committee has met with the item on its agenda, and what it did is not yet recorded."""
        return self.meeting is not None and not self.action and self.meeting.starts_at <= now

    @property
    def replaced_by(self) -> "Report | None":
        """The version that stands in place of this item's report, if a correction replaced it (a paper filed on
        paper is never replaced)."""
        report = self.report
        if report is None or not report.is_superseded:
            return None
        while report.is_superseded:
            report = report.superseded_by
        return report


class AgendaChange(models.Model):
    """Each placing on, or withdrawal from, a meeting's agenda, with who made it and when: after the notice is
    posted, these are its amendments (Open Meeting Law, G.L. c.30A §20(b))."""

    class Kind(models.TextChoices):
        PLACED = "placed", "Placed on the agenda"
        WITHDRAWN = "withdrawn", "Withdrawn from the agenda"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="changes")
    item = models.ForeignKey(DocketItem, on_delete=models.PROTECT, related_name="agenda_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True, help_text="Why an item was withdrawn.")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="withdrawn") | ~Q(reason=""),
                name="agenda_withdrawal_has_reason",
                violation_error_message="Say why the item is withdrawn.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: docket {self.item.number}"
