"""The semiannual report of clause 4 (DESIGN.md section 5).

A report is created when the chief signs it: the figures, the supplement and the ids of the records behind each
figure are frozen in `snapshot`, and the PDF is rendered once, stored and hashed. A signed report never changes;
a correction is a new version that supersedes it and says why. Until a period's report is signed, its figures
are live (the draft).
"""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
    history = HistoricalRecords()

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

    # What may change after signing: nothing yet; the clerk's workflow (receive, forward, docket) adds its fields.
    WORKFLOW_FIELDS: frozenset[str] = frozenset()

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
