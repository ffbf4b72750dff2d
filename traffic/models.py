"""Stops of drivers without a license, under clause 2(f): what the ordinance asks about each — another arrestable
violation? a summons instead of custody? the chance to call a licensed driver before the car was towed?

The driver is not recorded: the clause is about what the officer did, and the record needs no one's name.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from welcoming.validators import no_markup, not_an_a_number
from welcoming.voidable import Voidable, VoidableQuerySet, void_constraint, voided_index


class UnlicensedDriverStop(Voidable):
    class Action(models.TextChoices):
        SUMMONS = "summons", "Summons"
        CITATION = "citation", "Citation"
        CUSTODIAL_ARREST = "custodial_arrest", "Custodial arrest"
        WARNING = "warning", "Warning"

    stopped_at = models.DateTimeField()
    place = models.CharField(max_length=200, validators=[no_markup])
    officer_name = models.CharField(max_length=150, validators=[no_markup])
    officer_badge = models.CharField(max_length=30, blank=True, validators=[no_markup])
    other_arrestable_violation = models.BooleanField(
        help_text="Another violation for which the driver could be arrested was present."
    )
    other_violation = models.CharField(max_length=200, blank=True, validators=[no_markup, not_an_a_number])
    action = models.CharField(max_length=20, choices=Action.choices)
    custody_reason = models.TextField(
        blank=True,
        validators=[no_markup, not_an_a_number],
        help_text="Why a summons was not possible (2(f) asks for one “whenever possible”): context for the finding.",
    )
    licensed_driver_offered = models.BooleanField(
        help_text="The driver was given the chance to call a licensed driver to take the car."
    )
    licensed_driver_arrived = models.BooleanField()
    vehicle_impounded = models.BooleanField()
    notes = models.TextField(blank=True, validators=[no_markup, not_an_a_number])
    history = HistoricalRecords()

    objects = VoidableQuerySet.as_manager()

    class Meta:
        ordering = ["-stopped_at", "-id"]
        verbose_name = "unlicensed-driver stop"
        constraints = [
            void_constraint("stop_void_has_reason"),
            models.CheckConstraint(
                condition=Q(licensed_driver_arrived=False) | Q(licensed_driver_offered=True),
                name="stop_driver_arrived_only_if_offered",
            ),
            models.CheckConstraint(
                condition=Q(other_arrestable_violation=True) | Q(other_violation=""),
                name="stop_other_violation_only_if_present",
            ),
        ]
        indexes = [models.Index(fields=["stopped_at"]), models.Index(fields=["action"]), voided_index("stop_voided")]

    def __str__(self):
        return f"Stop at {self.place}"

    def get_absolute_url(self):
        return reverse("traffic:detail", args=[self.pk])
