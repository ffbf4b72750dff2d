"""U visa certification requests (Form I-918 Supplement B) under clause 2(i): who asked, for which victim and
crime, when the decision is due, and what the certifying official decided and why (DESIGN.md section 3).

Thin models; every write goes through `certifications.services`, every rule is in `certifications.rules`. The
victim is a person record, read only by those who may read police records or U visa requests.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from detainers.models import Person
from welcoming import letters
from welcoming.validators import no_markup, not_an_a_number
from welcoming.voidable import Voidable, VoidableQuerySet, void_constraint

# The qualifying criminal activity of INA 101(a)(15)(U)(iii), and attempt, conspiracy or solicitation of any.
QUALIFYING_CRIMES = [
    ("abduction", "Abduction"),
    ("abusive_sexual_contact", "Abusive sexual contact"),
    ("blackmail", "Blackmail"),
    ("domestic_violence", "Domestic violence"),
    ("extortion", "Extortion"),
    ("false_imprisonment", "False imprisonment"),
    ("female_genital_mutilation", "Female genital mutilation"),
    ("felonious_assault", "Felonious assault"),
    ("foreign_labor_contracting_fraud", "Fraud in foreign labor contracting"),
    ("hostage", "Being held hostage"),
    ("human_trafficking", "Human trafficking"),
    ("incest", "Incest"),
    ("involuntary_servitude", "Involuntary servitude"),
    ("kidnapping", "Kidnapping"),
    ("manslaughter", "Manslaughter"),
    ("murder", "Murder"),
    ("obstruction_of_justice", "Obstruction of justice"),
    ("peonage", "Peonage"),
    ("perjury", "Perjury"),
    ("prostitution", "Prostitution"),
    ("rape", "Rape"),
    ("sexual_assault", "Sexual assault"),
    ("sexual_exploitation", "Sexual exploitation"),
    ("slave_trade", "Slave trade"),
    ("stalking", "Stalking"),
    ("torture", "Torture"),
    ("unlawful_criminal_restraint", "Unlawful criminal restraint"),
    ("witness_tampering", "Witness tampering"),
    ("attempt_conspiracy_solicitation", "Attempt, conspiracy or solicitation to commit one of these"),
    ("other", "Other, similar activity (describe)"),
]


class URequestQuerySet(VoidableQuerySet):
    def pending(self):
        return self.filter(decision=UVisaRequest.Decision.PENDING)


class UVisaRequest(Voidable):
    class Requester(models.TextChoices):
        VICTIM = "victim", "The victim"
        ATTORNEY = "attorney", "Attorney or accredited representative"
        ADVOCATE = "advocate", "Victim advocate"

    class Helpfulness(models.TextChoices):
        HAS_BEEN = "has_been", "Has been helpful"
        IS_BEING = "is_being", "Is being helpful"
        LIKELY = "likely", "Is likely to be helpful"
        REFUSED = "refused", "Refused reasonable requests for help"

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        CERTIFIED = "certified", "Certified"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn by the requester"

    HELPFUL = (Helpfulness.HAS_BEEN, Helpfulness.IS_BEING, Helpfulness.LIKELY)

    received_on = models.DateField()
    requester_kind = models.CharField(max_length=10, choices=Requester.choices)
    requester_name = models.CharField(max_length=200, validators=[no_markup])
    requester_contact = models.TextField(blank=True, validators=[no_markup, not_an_a_number])
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The requester's language: the decision letter is written in it.",
    )
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="u_visa_requests")
    case_number = models.CharField(
        max_length=60,
        blank=True,
        validators=[no_markup, not_an_a_number],
        help_text="The related incident or case number.",
    )
    qualifying_crime = models.CharField(max_length=40, choices=QUALIFYING_CRIMES)
    crime_other = models.CharField(max_length=200, blank=True, validators=[no_markup, not_an_a_number])
    helpfulness = models.CharField(max_length=10, choices=Helpfulness.choices)
    expedited = models.BooleanField(help_text="An expedited decision was asked for.")
    expedite_reason = models.TextField(blank=True, validators=[no_markup, not_an_a_number])
    due_on = models.DateField(help_text="Computed when received: the municipality's decision deadline.")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_on = models.DateField(null=True, blank=True)
    decision_recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the decision was entered: a decision dated earlier is still late if so."
    )
    certifying_official = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, validators=[no_markup, not_an_a_number])
    letter_reason = models.TextField(
        blank=True,
        validators=[no_markup, not_an_a_number],
        help_text="The reason as the decision letter states it, typed in the requester's language when it is not "
        "English (an English letter states the reason itself).",
    )
    warned_at = models.DateTimeField(null=True, blank=True, help_text="When the officials were told it is due soon.")
    history = HistoricalRecords(excluded_fields=["warned_at"])

    objects = URequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "U visa certification request"
        constraints = [
            void_constraint("u_visa_void_has_reason"),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_on__isnull=True)
                | (~Q(decision="pending") & Q(decided_on__isnull=False) & Q(decided_on__gte=F("received_on"))),
                name="u_visa_decided_on_after_received",
            ),
            models.CheckConstraint(condition=~Q(decision="declined") | ~Q(reason=""), name="u_visa_decline_has_reason"),
            models.CheckConstraint(condition=Q(due_on__gte=F("received_on")), name="u_visa_due_after_received"),
        ]
        indexes = [models.Index(fields=["decision", "due_on"]), models.Index(fields=["received_on"])]

    def __str__(self):
        return f"U visa request for {self.victim} ({self.received_on})"

    def get_absolute_url(self):
        return reverse("certifications:detail", args=[self.pk])

    @property
    def letter_says_reason(self) -> str:
        return self.reason if self.language == "en" else self.letter_reason

    @property
    def language_name(self) -> str:
        """The requester's language in English, as staff read it ("Spanish")."""
        return letters.language_name(self.language)

    @property
    def crime_label(self) -> str:
        return self.crime_other if self.qualifying_crime == "other" else self.get_qualifying_crime_display()
