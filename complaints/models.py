"""Complaints under clause 3: what was alleged, where it went, what internal affairs found and what the
complainant was told (DESIGN.md section 4).

Thin models: fields, choices, constraints and chainable QuerySet methods. Every write goes through
`complaints.services`; routing and deadlines are pure functions in `complaints.rules`. Like every record here,
a complaint holds no field for immigration status, citizenship, national origin, race or ethnicity: an
allegation of bias is a yes or no, never the complainant's own status.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from welcoming import letters
from welcoming.validators import no_markup, not_an_a_number

# The languages a complainant may write in: letters to them are written in it.
LANGUAGE_CHOICES = settings.LANGUAGES
# How a complaint reaches staff (the online form and a referred finding arrive by themselves).
STAFF_CHANNELS = ("phone", "mail", "in_person", "email")
# The clauses a complaint may allege: the duties of section 2 (clause 3 is the complaint itself).
ALLEGEABLE_CLAUSES = ("2(a)", "2(b)", "2(c)", "2(d)", "2(e)", "2(f)", "2(g)", "2(h)", "2(i)", "2(j)", "2(k)", "2(l)")


def next_deadline():
    """The first date by which something must still be done: the acknowledgement and the POST forwarding while
    pending, else the investigation's (see rules). The open queue is ordered by it, from an index on it."""
    pending_ack = models.Case(
        models.When(acknowledged_at__isnull=True, then=models.F("acknowledgement_due_on")),
        output_field=models.DateField(),
    )
    pending_post = models.Case(
        models.When(post_forwarded_at__isnull=True, then=models.F("post_due_on")), output_field=models.DateField()
    )
    # Least() of a NULL is NULL on SQLite: each pending date falls back to the investigation's, always set.
    return Least(
        models.F("investigation_due_on"),
        Coalesce(pending_ack, models.F("investigation_due_on")),
        Coalesce(pending_post, models.F("investigation_due_on")),
    )


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(stage=Complaint.Stage.CLOSED)

    def about_police_officers(self):
        """Complaints internal affairs works: about the police department, but not about itself or the chief."""
        return self.filter(department=Complaint.Department.POLICE, about=Complaint.About.OFFICERS)

    def received_between(self, start, end):
        return self.filter(received_at__gte=start, received_at__lt=end)


class Complaint(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "Online form"
        PHONE = "phone", "Telephone"
        MAIL = "mail", "Mail"
        IN_PERSON = "in_person", "In person"
        EMAIL = "email", "E-mail"
        FINDING = "finding", "Referral of a finding"

    class Department(models.TextChoices):
        POLICE = "police", "Police department"
        SCHOOLS = "schools", "Schools"
        OTHER = "other", "Another department"

    class About(models.TextChoices):
        """Whom, within the police department, the complaint is about: it decides who may see it."""

        OFFICERS = "officers", "Officers or staff"
        INTERNAL_AFFAIRS = "internal_affairs", "Internal affairs"
        CHIEF = "chief", "The chief"

    class Stage(models.TextChoices):
        RECEIVED = "received", "Awaiting triage"
        INVESTIGATING = "investigating", "With internal affairs"
        KEPT = "kept", "Kept by the coordinator"
        REFERRED = "referred", "Referred, awaiting the answer"
        CLOSED = "closed", "Closed"

    class PublicStatus(models.TextChoices):
        """The coarse status a complainant sees with the tracking code and PIN: nothing more."""

        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")

    tracking_code = models.CharField(max_length=14, unique=True, help_text="Given to the complainant; not guessable.")
    pin_hash = models.CharField(max_length=128, help_text="Only a hash: a lost PIN cannot be recovered.")
    received_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, default="en")
    anonymous = models.BooleanField(default=False)
    complainant_name = models.CharField(max_length=200, blank=True, validators=[no_markup])
    complainant_contact = models.TextField(
        blank=True, validators=[no_markup], help_text="Telephone, e-mail or postal address, if given."
    )
    incident_date = models.DateField(null=True, blank=True)
    incident_place = models.CharField(max_length=200, blank=True, validators=[no_markup])
    narrative = models.TextField(validators=[not_an_a_number], help_text="What happened, in the complainant's words.")
    department = models.CharField(max_length=10, choices=Department.choices)
    department_name = models.CharField(
        max_length=150, blank=True, validators=[no_markup], help_text="Which school or department, if not the police."
    )
    about = models.CharField(max_length=20, choices=About.choices, blank=True)
    clauses = models.JSONField(default=list, blank=True, help_text='The clauses allegedly broken, e.g. ["2(b)"].')
    alleges_bias = models.BooleanField(
        default=False, help_text="Bias on immigration status, national origin, race or the like."
    )
    alleges_force = models.BooleanField(default=False, help_text="Excessive, prohibited or deadly force.")
    stage = models.CharField(max_length=15, choices=Stage.choices, default=Stage.RECEIVED)
    # Deadlines, fixed when the complaint is received (receipt day is day 0) and when its classification changes.
    acknowledgement_due_on = models.DateField(null=True, blank=True)
    post_due_on = models.DateField(null=True, blank=True, help_text="Empty: no POST forwarding is required.")
    investigation_due_on = models.DateField()
    routed_at = models.DateTimeField(null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_to = models.CharField(
        max_length=200, blank=True, validators=[no_markup], help_text="The department's contact, or the executive."
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    department_answer = models.TextField(blank=True, validators=[no_markup])
    department_answered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    post_forwarded_at = models.DateTimeField(null=True, blank=True)
    post_reference = models.CharField(max_length=60, blank=True, validators=[no_markup])
    outcome = models.TextField(blank=True, validators=[no_markup], help_text="What the outcome letter tells.")
    closed_at = models.DateTimeField(null=True, blank=True)
    findings = models.ManyToManyField("welcoming.Finding", blank=True, related_name="complaints")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the scheduler last told people about this complaint's deadlines (once each, not every run).
    post_reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified = models.JSONField(default=list, blank=True, help_text="The late steps already notified.")
    history = HistoricalRecords(excluded_fields=["pin_hash", "post_reminded_at", "overdue_notified"])

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department="police") & ~Q(about="")) | (~Q(department="police") & Q(about="")),
                name="complaint_about_only_for_police",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(complainant_name=""), name="complaint_anonymous_has_no_name"
            ),
            models.CheckConstraint(
                condition=Q(stage="closed", closed_at__isnull=False) | (~Q(stage="closed") & Q(closed_at__isnull=True)),
                name="complaint_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("received_at")),
                name="complaint_closed_after_received",
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "investigation_due_on"]),
            models.Index(fields=["department", "about", "stage"]),
            models.Index(fields=["closed_at"]),  # what stood open at a period's end (the supplement)
            # The open queue, most urgent first: its first page read from here, not sorted from every open one.
            models.Index(
                next_deadline(),
                models.F("received_at"),
                models.F("id"),
                condition=~Q(stage="closed"),
                name="complaint_open_by_deadline",
            ),
        ]

    def __str__(self):
        return f"Complaint {self.tracking_code}"

    def get_absolute_url(self):
        return reverse("complaints:detail", args=[self.pk])

    @property
    def about_police_officers(self) -> bool:
        return self.department == self.Department.POLICE and self.about == self.About.OFFICERS

    @property
    def public_status(self) -> str:
        return {
            self.Stage.RECEIVED: self.PublicStatus.RECEIVED,
            self.Stage.INVESTIGATING: self.PublicStatus.UNDER_REVIEW,
            self.Stage.KEPT: self.PublicStatus.UNDER_REVIEW,
            self.Stage.REFERRED: self.PublicStatus.REFERRED,
            self.Stage.CLOSED: self.PublicStatus.CLOSED,
        }[self.stage]

    @property
    def language_name(self) -> str:
        """The complainant's language in English, as staff read it ("Spanish")."""
        return letters.language_name(self.language)

    @property
    def complainant_label(self) -> str:
        if self.channel == self.Channel.FINDING:
            return "Referral of a finding"
        return "Anonymous" if self.anonymous else (self.complainant_name or "Name not given")


class InvolvedPerson(models.Model):
    """Someone the complaint is about, if known: name, title, badge or POST certification number."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200, blank=True, validators=[no_markup])
    title = models.CharField(max_length=100, blank=True, validators=[no_markup], help_text="e.g. Officer, Sergeant.")
    badge_number = models.CharField(max_length=30, blank=True, validators=[no_markup])
    post_certification_number = models.CharField(
        max_length=30, blank=True, validators=[no_markup], help_text="The officer's POST Commission certification."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="", badge_number="", post_certification_number="", title=""),
                name="involved_person_identified",
            )
        ]

    def __str__(self):
        label = " ".join(part for part in (self.title, self.name) if part) or "Unnamed"
        number = self.badge_number and f"badge {self.badge_number}"
        return f"{label} ({number})" if number else label


class Allegation(models.Model):
    """One thing alleged against one person (or the department), and what the investigation found."""

    class Disposition(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUSTAINED = "sustained", _("Sustained")
        NOT_SUSTAINED = "not_sustained", _("Not sustained")
        EXONERATED = "exonerated", _("Exonerated")
        UNFOUNDED = "unfounded", _("Unfounded")
        POLICY_FAILURE = "policy_failure", _("Policy failure")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="allegations")
    person = models.ForeignKey(
        InvolvedPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="allegations"
    )
    clause = models.CharField(max_length=10, choices=[(code, code) for code in ALLEGEABLE_CLAUSES])
    summary = models.TextField(validators=[no_markup])
    letter_summary = models.TextField(
        blank=True,
        validators=[no_markup],
        help_text="The allegation as the outcome letter states it, written for the letter in the complainant's "
        "language (never the summary above, which is the staff's).",
    )
    disposition = models.CharField(max_length=20, choices=Disposition.choices, default=Disposition.PENDING)
    action_taken = models.TextField(blank=True, validators=[no_markup], help_text="Discipline, training, none…")
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.ManyToManyField("welcoming.Finding", blank=True, related_name="allegations")
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disposition="pending", disposed_at__isnull=True)
                | (~Q(disposition="pending") & Q(disposed_at__isnull=False)),
                name="allegation_disposed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["disposition", "disposed_at"]), models.Index(fields=["disposed_at"])]

    def __str__(self):
        return f"{self.clause}: {self.summary[:60]}"


class ComplaintLink(models.Model):
    """A police record the complaint concerns (a custody, a detainer, a request…), by kind and id."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="links")
    record_type = models.CharField(max_length=100, help_text="app_label.model")
    record_id = models.BigIntegerField()
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "record_type", "record_id"], name="complaint_link_once")
        ]

    def __str__(self):
        return f"{self.record_type} #{self.record_id}"


class ComplaintEvent(models.Model):
    """The complaint's life, step by step, as its page tells it (the values themselves are in history)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        CLASSIFIED = "classified", "Classification changed"
        ROUTED = "routed", "Routed to internal affairs"
        KEPT = "kept", "Kept by the coordinator"
        REFERRED = "referred", "Referred"
        ANSWERED = "answered", "Department's answer recorded"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ASSIGNED = "assigned", "Investigator assigned"
        POST_FORWARDED = "post_forwarded", "Forwarded to the POST Commission"
        LINKED = "linked", "Record linked"
        PERSON_ADDED = "person_added", "Person involved added"
        ALLEGATION_ADDED = "allegation_added", "Allegation added"
        DISPOSED = "disposed", "Disposition recorded"
        FILE_ATTACHED = "file_attached", "File attached"
        CLOSED = "closed", "Closed"
        LETTER_FINAL = "letter_final", "Letter made final"
        LETTER_SENT = "letter_sent", "Letter sent"
        LETTER_NOT_SENT = "letter_not_sent", "Letter cannot be sent"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Letter(models.Model):
    """A letter to the complainant, in their language: written (the fixed parts are translated with the app; what a
    person types for it is typed in that language), made final, then sent — or recorded as impossible to send.

    The acknowledgement holds no typed text and is final when written; the outcome letter waits for its text
    (the "needs translation" list) until someone makes it final."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement letter"
        OUTCOME = "outcome", "Outcome letter"

    class Delivery(models.TextChoices):
        MAIL = "mail", "Mailed"
        EMAIL = "email", "E-mailed"
        HANDED_OVER = "handed_over", "Handed over"
        NOT_SENT = "not_sent", "Cannot be sent: no contact given"

    SENDING = (Delivery.MAIL, Delivery.EMAIL, Delivery.HANDED_OVER)

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, help_text="The complainant's, when written.")
    explanation = models.TextField(
        blank=True, validators=[no_markup], help_text="The outcome explained, typed for the letter in its language."
    )
    written_at = models.DateTimeField()
    final_at = models.DateTimeField(null=True, blank=True)
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.CharField(max_length=12, choices=Delivery.choices, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When it went out, or was found unsendable.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["written_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind"], name="letter_one_of_each_kind"),
            models.CheckConstraint(
                condition=Q(delivery="", sent_at__isnull=True) | (~Q(delivery="") & Q(sent_at__isnull=False)),
                name="letter_delivery_has_date",
            ),
            # Only a final letter goes out; one with nobody to send it to needs no text at all. (That it went out
            # after it was made final is the service's rule: to the minute, as a clerk types the time.)
            models.CheckConstraint(
                condition=Q(delivery__in=["", "not_sent"]) | Q(final_at__isnull=False), name="letter_sent_is_final"
            ),
        ]
        indexes = [models.Index(fields=["final_at", "delivery"])]

    def __str__(self):
        return f"{self.get_kind_display()} for complaint {self.complaint.tracking_code}"

    def get_absolute_url(self):
        return reverse("complaints:letter-page", args=[self.complaint_id, self.kind])

    @property
    def language_name(self) -> str:
        """The letter's language in English, as staff read it ("Spanish")."""
        return letters.language_name(self.language)

    @property
    def is_final(self) -> bool:
        return self.final_at is not None

    @property
    def is_sent(self) -> bool:
        return self.delivery in self.SENDING
