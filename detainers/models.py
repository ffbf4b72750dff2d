"""What the police department records about federal immigration requests, and the custody they concern.

DESIGN.md section 3. Thin models: fields, choices, database constraints and chainable QuerySet methods. Every
write goes through `detainers.services`; every rule is in `detainers.rules`. Nothing here records immigration
status, citizenship, national origin, race or ethnicity, and no A-number is ever kept (clause 5 notwithstanding).

Why one module over 400 lines: the seven kinds of record hang on one custody and share its constraints, and
Django's migrations read one `models` module per app.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from simple_history.models import HistoricalRecords

from detainers.validators import no_markup, not_a_docket_number, not_an_a_number
from welcoming.drift import RemembersLoaded
from welcoming.local_time import when
from welcoming.voidable import Voidable, VoidableQuerySet, void_constraint, voided_index


class PersonQuerySet(VoidableQuerySet):
    def current(self):
        """People not merged into another record."""
        return self.filter(merged_into__isnull=True)


class Person(RemembersLoaded, Voidable):
    """A name, an optional date of birth and the department's own identifiers — nothing else."""

    full_name = models.CharField(max_length=200, validators=[no_markup])
    date_of_birth = models.DateField(null=True, blank=True)
    department_id = models.CharField(
        max_length=50,
        blank=True,
        validators=[no_markup],
        help_text="The department's own identifier for the person (records-management system).",
    )
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name_plural = "persons"
        constraints = [
            void_constraint("person_void_has_reason"),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")),
                name="person_not_merged_into_itself",
                violation_error_message="A person cannot be merged into themselves.",
            ),
        ]
        indexes = [
            models.Index(fields=["department_id"]),
            models.Index(fields=["full_name", "date_of_birth"]),
            # The people list: current records in its order, a page at a time.
            models.Index(fields=["full_name", "id"], condition=Q(merged_into__isnull=True), name="person_current"),
            # Possible duplicates: the same department ID whatever its case, or the same birth date (then the
            # name, compared without regard to case). On PostgreSQL the first also serves `iexact` searches.
            models.Index(Upper("department_id"), name="person_department_id_upper"),
            models.Index(fields=["date_of_birth"]),
            voided_index("person_voided"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("detainers:person-detail", args=[self.pk])


LEFT_AT = Coalesce("released_at", "transferred_to_ice_at")  # when the custody ended, by release or transfer


class CustodyQuerySet(VoidableQuerySet):
    def in_custody(self):
        return self.alias(left=LEFT_AT).filter(left__isnull=True)


class Custody(RemembersLoaded, Voidable):
    """One stay in the department's custody: booking, basis, eligibility for release, release or transfer."""

    class Basis(models.TextChoices):
        CRIMINAL_CHARGE = "criminal_charge", "Criminal charge"
        COURT_ORDER_OR_BAIL = "court_order_or_bail", "Court order or bail"
        JUDICIAL_WARRANT = "judicial_warrant", "Judicial warrant"
        SENTENCE = "sentence", "Sentence"
        DETAINER_ONLY = "detainer_only", "ICE detainer only"
        ADMINISTRATIVE_WARRANT_ONLY = "administrative_warrant_only", "ICE administrative warrant only"

    class EligibilityReason(models.TextChoices):
        BAIL_POSTED = "bail_posted", "Bail posted"
        CHARGES_DISMISSED = "charges_dismissed", "Charges dismissed"
        RELEASE_ORDERED = "release_ordered", "Release ordered"
        SENTENCE_SERVED = "sentence_served", "Sentence served"
        RELEASED_ON_RECOGNIZANCE = "released_on_recognizance", "Released on recognizance"
        OTHER = "other", "Other"

    class TransferAuthority(models.TextChoices):
        JUDICIAL_WARRANT = "judicial_warrant", "Judicial warrant"
        COURT_ORDER = "court_order", "Court order"
        DETAINER = "detainer", "ICE detainer"
        ADMINISTRATIVE_WARRANT = "administrative_warrant", "ICE administrative warrant"
        NONE = "none", "None"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="custody_records")
    booking_number = models.CharField(max_length=50, blank=True, validators=[no_markup])
    booked_at = models.DateTimeField()
    basis = models.CharField(max_length=40, choices=Basis.choices)
    eligible_for_release_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person could have walked out: bail posted, charges dismissed, "
        "release ordered, sentence served.",
    )
    eligibility_reason = models.CharField(max_length=40, choices=EligibilityReason.choices, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    transferred_to_ice_at = models.DateTimeField("transferred to ICE at", null=True, blank=True)
    transfer_authority = models.CharField(max_length=30, choices=TransferAuthority.choices, blank=True)
    import_source = models.CharField(max_length=40, blank=True, help_text="The system a record was imported from.")
    external_id = models.CharField(max_length=60, blank=True, help_text="The record's ID in that system.")
    delay_reason = models.TextField(
        blank=True,
        validators=[no_markup],
        help_text="Why the person left after becoming eligible (e.g. paperwork): context for internal affairs.",
    )
    history = HistoricalRecords()

    counted_through = ("person",)  # counted only while these are active
    objects = CustodyQuerySet.as_manager()

    class Meta:
        ordering = ["-booked_at", "-id"]
        # The lists' order, and the clause 4 figures' windows: detentions begin at booking or at eligibility,
        # transfers to ICE are few.
        indexes = [
            models.Index(fields=["booked_at"]),
            models.Index(fields=["eligible_for_release_at"]),
            models.Index(
                fields=["transferred_to_ice_at"],
                condition=Q(transferred_to_ice_at__isnull=False),
                name="custody_transferred",
            ),
            voided_index("custody_voided"),
            # Who is in custody now: a few dozen among ten years of bookings (the release board, the dashboards).
            # An index on the expression also gives PostgreSQL its statistics: on the two columns it guessed 6,700
            # people held (the ones never released, times the ones never transferred) and hashed every detainer.
            models.Index(LEFT_AT, name="custody_left_at"),
        ]
        verbose_name_plural = "custody records"
        constraints = [
            void_constraint("custody_void_has_reason"),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=F("booked_at")),
                name="custody_release_not_before_booking",
                violation_error_message="The release cannot come before the booking.",
            ),
            models.CheckConstraint(
                condition=Q(eligible_for_release_at__isnull=True) | Q(eligible_for_release_at__gte=F("booked_at")),
                name="custody_eligibility_not_before_booking",
                violation_error_message="Eligibility for release cannot come before the booking.",
            ),
            models.CheckConstraint(
                condition=Q(transferred_to_ice_at__isnull=True) | Q(transferred_to_ice_at__gte=F("booked_at")),
                name="custody_transfer_not_before_booking",
                violation_error_message="The transfer to ICE cannot come before the booking.",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(transferred_to_ice_at__isnull=True),
                name="custody_ends_one_way",
                violation_error_message="A custody ends by release or by transfer to ICE, not both.",
            ),
            models.CheckConstraint(
                condition=Q(transferred_to_ice_at__isnull=True) | ~Q(transfer_authority=""),
                name="custody_transfer_has_authority",
                violation_error_message="A transfer to ICE needs the authority it was made on.",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True)
                | Q(eligible_for_release_at__isnull=True)
                | Q(released_at__gte=F("eligible_for_release_at")),
                name="custody_release_not_before_eligibility",
                violation_error_message="The release cannot come before eligibility for release.",
            ),
            # An import keys its rows by (source, external id): the same row imported twice is one record.
            models.UniqueConstraint(
                fields=["import_source", "external_id"],
                condition=~Q(external_id=""),
                name="custody_import_key_unique",
                violation_error_message="Another custody record already came from this records system with this id.",
            ),
        ]

    def __str__(self):
        return f"Custody of {self.person}, booked {when(self.booked_at)}"

    def get_absolute_url(self):
        return reverse("detainers:custody-detail", args=[self.pk])

    @property
    def left_at(self):
        """When the custody ended, by release or transfer (None while in custody)."""
        return self.released_at or self.transferred_to_ice_at


class DetainerQuerySet(VoidableQuerySet):
    def holds(self):
        """Immigration detainers and administrative warrants: the documents that ask for detention."""
        return self.exclude(kind=Detainer.Kind.NOTIFICATION_REQUEST)


class Detainer(RemembersLoaded, Voidable):
    """One document or request ICE lodged about a person in custody (DESIGN.md section 3)."""

    class Kind(models.TextChoices):
        IMMIGRATION_DETAINER = "immigration_detainer", "Immigration detainer (hold)"
        ADMINISTRATIVE_WARRANT = "administrative_warrant", "Administrative warrant"
        NOTIFICATION_REQUEST = "notification_request", "Notification request"

    class Form(models.TextChoices):
        I_247A = "I-247A", "I-247A Immigration Detainer – Notice of Action"
        I_247D = "I-247D", "I-247D Immigration Detainer – Request for Voluntary Action (rescinded)"
        I_247X = "I-247X", "I-247X Request for Voluntary Transfer (rescinded)"
        I_247N = "I-247N", "I-247N Request for Voluntary Notification of Release (rescinded)"
        I_200 = "I-200", "I-200 Warrant for Arrest of Alien"
        I_203 = "I-203", "I-203 Order to Detain or Release Alien"
        I_205 = "I-205", "I-205 Warrant of Removal/Deportation"
        RELEASE_INQUIRY = "release_inquiry", "A request to be told of a release (phone, e-mail or letter)"
        OTHER = "other", "Other"

    # What a list or a sentence calls a document: ICE's form number, or these words for one that has none.
    FORM_NAMES = {Form.RELEASE_INQUIRY: "request to be told of a release", Form.OTHER: "other document"}

    class ReceivedVia(models.TextChoices):
        FAX = "fax", "Fax"
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Telephone"
        MAIL = "mail", "Mail"
        IN_PERSON = "in_person", "In person"
        NCIC = "ncic", "NCIC / database"

    class Response(models.TextChoices):
        DECLINED = "declined", "Declined: ICE was not told"
        ICE_NOTIFIED = "ice_notified", "ICE was told of the release"

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="detainers")
    lodging = models.UUIDField(default=uuid.uuid4, help_text="Documents lodged together share one lodging.")
    form = models.CharField(max_length=20, choices=Form.choices)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    received_via = models.CharField(max_length=20, choices=ReceivedVia.choices)
    lodged_at = models.DateTimeField()
    federal_reference = models.CharField(
        max_length=60,
        blank=True,
        validators=[no_markup, not_an_a_number],
        help_text="ICE's subject or event ID. Never an alien registration number (A-number).",
    )
    lifted_at = models.DateTimeField(null=True, blank=True, help_text="When ICE withdrew it.")
    copy_served_at = models.DateTimeField(null=True, blank=True, help_text="2(g): when the person got a copy.")
    documents_served = models.TextField(
        blank=True, validators=[no_markup], help_text="Other papers about the case given with the copy."
    )
    response = models.CharField(
        max_length=20,
        choices=Response.choices,
        blank=True,
        help_text="Notification requests: what the department answered.",
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[no_markup])
    import_source = models.CharField(max_length=40, blank=True)
    external_id = models.CharField(max_length=60, blank=True)
    history = HistoricalRecords()

    counted_through = ("custody", "custody__person")  # counted only while these are active
    objects = DetainerQuerySet.as_manager()

    class Meta:
        ordering = ["-lodged_at", "-id"]
        constraints = [
            void_constraint("detainer_void_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_at__gte=F("lodged_at")),
                name="detainer_lifted_not_before_lodged",
                violation_error_message="A detainer cannot be lifted before it was lodged.",
            ),
            models.CheckConstraint(
                condition=Q(copy_served_at__isnull=True) | Q(copy_served_at__gte=F("lodged_at")),
                name="detainer_served_not_before_lodged",
                violation_error_message="The copy cannot be served before the document was lodged.",
            ),
            models.CheckConstraint(
                condition=Q(response="") | Q(kind="notification_request"),
                name="detainer_response_only_for_notification_requests",
                violation_error_message="Only a notification request is answered (declined, or ICE told).",
            ),
            models.UniqueConstraint(
                fields=["import_source", "external_id"],
                condition=~Q(external_id=""),
                name="detainer_import_key_unique",
                violation_error_message="Another detainer already came from this records system with this id.",
            ),
        ]
        indexes = [
            models.Index(fields=["lodged_at"]),
            models.Index(fields=["lodging"]),
            voided_index("detainer_voided"),
        ]

    def __str__(self):
        return f"{self.form_name} lodged {when(self.lodged_at)}"

    def get_absolute_url(self):
        return reverse("detainers:detainer-detail", args=[self.pk])

    @property
    def form_name(self) -> str:
        """“I-247A”, or “request to be told of a release” (never the stored code `release_inquiry`)."""
        return self.FORM_NAMES.get(self.form, self.form)


class DetainerReason(models.Model):
    """A reason the document gives (several per detainer; `not_stated` is ticked explicitly and stands alone)."""

    class Code(models.TextChoices):
        FINAL_ORDER = "final_order", "Final order of removal"
        PENDING_PROCEEDINGS = "pending_proceedings", "Removal proceedings pending"
        BIOMETRIC_MATCH = "biometric_match", "Biometric confirmation and database records"
        STATEMENTS_OR_EVIDENCE = "statements_or_evidence", "Statements or other reliable evidence"
        DHS_TRANSFER_RESUME = "dhs_transfer_resume", "DHS transferred the person and will resume custody"
        NATIONAL_SECURITY = "national_security", "National security (legacy priority)"
        GANG = "gang", "Gang conviction (legacy priority)"
        FELONY = "felony", "Felony conviction (legacy priority)"
        AGGRAVATED_FELONY = "aggravated_felony", "Aggravated felony (legacy priority)"
        SIGNIFICANT_MISDEMEANOR = "significant_misdemeanor", "Significant misdemeanor (legacy priority)"
        THREE_MISDEMEANORS = "three_misdemeanors", "Three or more misdemeanors (legacy priority)"
        OTHER = "other", "Other (say what)"
        NOT_STATED = "not_stated", "Not stated on the document"

    detainer = models.ForeignKey(Detainer, on_delete=models.CASCADE, related_name="reasons")
    code = models.CharField(max_length=30, choices=Code.choices)
    text = models.CharField(max_length=200, blank=True, validators=[no_markup], help_text="For “other”: what it says.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["detainer", "code"],
                name="detainer_reason_once",
                violation_error_message="Each reason is given once per document.",
            ),
            models.CheckConstraint(
                condition=~Q(code="other") | ~Q(text=""),
                name="detainer_reason_other_has_text",
                violation_error_message="An “other” reason needs its words.",
            ),
        ]
        # The list's reason filter and the drill-down behind 4(a): the documents giving a reason, from the index.
        indexes = [models.Index(fields=["code", "detainer"], name="detainer_reason_by_code")]

    def __str__(self):
        return self.text if self.code == self.Code.OTHER else self.get_code_display()


class JudicialAuthority(RemembersLoaded, Voidable):
    """A warrant or order signed by a judge, received for the person in this custody (DESIGN.md section 3).

    It belongs to the custody, not to one document: whatever document it came with, it backs the custody from the
    moment it was received, and never before. Detention on an ICE hold before that moment stays detention.
    """

    class Kind(models.TextChoices):
        JUDICIAL_WARRANT = "judicial_warrant", "Judicial warrant"
        COURT_ORDER = "court_order", "Court order"

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="judicial_authorities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    received_at = models.DateTimeField(help_text="When the department received it.")
    came_with = models.ForeignKey(
        Detainer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judicial_authorities",
        help_text="The document it came with, if any (documents lodged together share its lodging).",
    )
    # Set only for records that existed before the time was asked for, whose moment was inferred; internal
    # affairs verifies each (a warning finding) and the clerk confirms or corrects it.
    time_assumed = models.BooleanField()
    history = HistoricalRecords()

    counted_through = ("custody", "custody__person")  # counted only while these are active
    objects = VoidableQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name_plural = "judicial authorities"
        constraints = [void_constraint("judicial_authority_void_has_reason")]
        indexes = [models.Index(fields=["custody", "received_at"], name="judicial_authority_by_custody")]

    def __str__(self):
        return f"{self.get_kind_display()} received {when(self.received_at)}"

    def get_absolute_url(self):
        return self.custody.get_absolute_url() + "#judicial-authority"


class InformationRequest(Voidable):
    """A federal request for information about a person in custody, and what was disclosed (2(e))."""

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="information_requests")
    agency = models.CharField(max_length=150, validators=[no_markup], help_text="e.g. ICE ERO Boston.")
    received_at = models.DateTimeField()
    received_via = models.CharField(max_length=20, choices=Detainer.ReceivedVia.choices)
    federal_reference = models.CharField(
        max_length=60,
        blank=True,
        validators=[no_markup, not_an_a_number],
        help_text="The reference ICE gave the request (a subject or event ID), so the answer names it. "
        "Never an alien registration number (A-number).",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[no_markup])
    history = HistoricalRecords()

    counted_through = ("custody", "custody__person")  # counted only while these are active
    objects = VoidableQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["received_at"]), voided_index("information_request_voided")]
        constraints = [
            void_constraint("information_request_void_has_reason"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("received_at")),
                name="information_answered_not_before_received",
                violation_error_message="A request cannot be answered before it was received.",
            ),
        ]

    def __str__(self):
        return f"Request for information from {self.agency}, received {when(self.received_at)}"

    def get_absolute_url(self):
        return reverse("detainers:information-request-detail", args=[self.pk])


class InformationItem(models.Model):
    """One item asked for: whether it was disclosed, and on what basis."""

    class Item(models.TextChoices):
        INCARCERATION_STATUS = "incarceration_status", "Incarceration status"
        LENGTH_OF_DETENTION = "length_of_detention", "Length of detention"
        HOME_ADDRESS = "home_address", "Home address"
        WORK_ADDRESS = "work_address", "Work address"
        OTHER_PERSONAL_INFORMATION = "other_personal_information", "Other personal information"
        HEARING_INFORMATION = "hearing_information", "Hearing information"
        PENDING_RELEASE = "pending_release", "Pending release (date or time)"
        CITIZENSHIP_OR_STATUS = "citizenship_or_status", "Citizenship or immigration status (not recorded here)"
        PUBLIC_RECORD_ONLY = "public_record_only", "Information already public (e.g. booking log)"

    class Basis(models.TextChoices):
        # Chosen, never assumed: an item disclosed says on what basis, "none" included ("" is for items withheld).
        NONE = "none", "No basis"
        PUBLIC_RECORD = "public_record", "Available under the Public Records Law (G.L. c.66 §10; c.4 §7(26))"
        JUDICIAL_ORDER = "judicial_order", "Judicial warrant or court order"

    RESTRICTED = frozenset(
        {
            Item.INCARCERATION_STATUS,
            Item.LENGTH_OF_DETENTION,
            Item.HOME_ADDRESS,
            Item.WORK_ADDRESS,
            Item.OTHER_PERSONAL_INFORMATION,
            Item.HEARING_INFORMATION,
            Item.PENDING_RELEASE,
        }
    )

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(max_length=40, choices=Item.choices)
    asked = models.BooleanField(default=True)
    disclosed = models.BooleanField()
    basis = models.CharField(max_length=20, choices=Basis.choices, blank=True)

    LAWFUL_BASES = (Basis.PUBLIC_RECORD, Basis.JUDICIAL_ORDER)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "item"],
                name="information_item_once",
                violation_error_message="Each item is listed once per request.",
            ),
            models.CheckConstraint(
                condition=Q(asked=True) | Q(disclosed=False),
                name="information_disclosed_was_asked",
                violation_error_message="Only an item that was asked for can be disclosed.",
            ),
            models.CheckConstraint(
                condition=Q(disclosed=True) | Q(basis=""),
                name="information_basis_only_if_disclosed",
                violation_error_message="Only a disclosed item has a basis for its disclosure.",
            ),
            models.CheckConstraint(
                condition=Q(disclosed=False) | ~Q(basis=""),
                name="information_disclosed_has_basis",
                violation_error_message="A disclosed item needs the basis it was disclosed on.",
            ),
        ]

    def __str__(self):
        return self.get_item_display()


class AccessRequest(Voidable):
    """ICE asking to see or speak to a person in custody (2(h))."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        TELEPHONE = "telephone", "Telephone"
        VIDEO = "video", "Videoconference"

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="access_requests")
    agency = models.CharField(max_length=150, validators=[no_markup])
    requested_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    judicial_warrant_or_court_order = models.BooleanField()
    granted = models.BooleanField()
    notes = models.TextField(blank=True, validators=[no_markup])
    history = HistoricalRecords()

    counted_through = ("custody", "custody__person")  # counted only while these are active
    objects = VoidableQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_at"]), voided_index("access_request_voided")]
        constraints = [void_constraint("access_request_void_has_reason")]

    def __str__(self):
        return f"Request for access ({self.get_mode_display().lower()}) from {self.agency}, {when(self.requested_at)}"

    def get_absolute_url(self):
        return reverse("detainers:access-request-detail", args=[self.pk])


class AssistanceRequest(Voidable):
    """A request to help with a federal operation (2(j)), and whether officers acted as immigration officers (2(k))."""

    agency = models.CharField(max_length=150, validators=[no_markup])
    requested_at = models.DateTimeField()
    operation = models.TextField(validators=[no_markup], help_text="What the operation was, in a sentence.")
    deputized_functions = models.BooleanField(
        help_text="2(k): did any officer perform the functions of an immigration officer (e.g. "
        "question people about status, execute immigration warrants, under 287(g) or informally)?",
    )
    notes = models.TextField(blank=True, validators=[no_markup])
    history = HistoricalRecords()

    objects = VoidableQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [voided_index("assistance_request_voided")]
        constraints = [void_constraint("assistance_request_void_has_reason")]

    def __str__(self):
        return f"Request for assistance from {self.agency}, {when(self.requested_at)}"

    def get_absolute_url(self):
        return reverse("detainers:assistance-request-detail", args=[self.pk])


class AssistanceSupport(models.Model):
    class Kind(models.TextChoices):
        TRAFFIC_PERIMETER = "traffic_perimeter", "Traffic perimeter"
        TRAFFIC_CONTROL = "traffic_control", "Traffic control"
        ESCORT = "escort", "Police escort"
        OFFICER_SAFETY = "officer_safety", "Officer-safety standby"
        BREACH_OF_PEACE = "breach_of_peace", "Breach-of-peace response"
        DETENTION_OR_ARREST = "detention_or_arrest", "Detention or arrest"
        TRANSPORT = "transport", "Transport of detainees"
        INFORMATION_SHARING = "information_sharing", "Information sharing"
        OTHER = "other", "Other"

    # 2(j): support services to keep officers safe or the peace, such as perimeters, traffic control, escort.
    ALLOWED = frozenset(
        {Kind.TRAFFIC_PERIMETER, Kind.TRAFFIC_CONTROL, Kind.ESCORT, Kind.OFFICER_SAFETY, Kind.BREACH_OF_PEACE}
    )

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    asked = models.BooleanField(default=True)
    provided = models.BooleanField()
    text = models.CharField(max_length=200, blank=True, validators=[no_markup], help_text="For “other”: what.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind"],
                name="assistance_support_once",
                violation_error_message="Each kind of support is listed once per request.",
            ),
            models.CheckConstraint(
                condition=Q(asked=True) | Q(provided=True),
                name="assistance_support_asked_or_given",
                violation_error_message="List a kind of support only if it was asked for or given.",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class Reimbursement(RemembersLoaded, Voidable):
    """Money received from the federal government (4(d)); formula grants such as SCAAP belong to no case."""

    class Program(models.TextChoices):
        SCAAP = "scaap", "State Criminal Alien Assistance Program (SCAAP)"
        PER_CASE = "per_case", "Per-case reimbursement"
        OTHER = "other", "Other"

    amount = models.DecimalField(max_digits=12, decimal_places=2)
    received_on = models.DateField()
    program = models.CharField(max_length=20, choices=Program.choices)
    case_label = models.CharField(
        max_length=60,
        blank=True,
        validators=[no_markup, not_a_docket_number],
        help_text="The department's internal case label, or empty. Never a court docket number: the report is public.",
    )
    notes = models.TextField(blank=True, validators=[no_markup])
    history = HistoricalRecords()

    objects = VoidableQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [voided_index("reimbursement_voided")]
        constraints = [
            void_constraint("reimbursement_void_has_reason"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="reimbursement_not_negative",
                violation_error_message="A reimbursement cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"${self.amount} {self.received_on}"

    def get_absolute_url(self):
        return reverse("detainers:reimbursement-detail", args=[self.pk])
