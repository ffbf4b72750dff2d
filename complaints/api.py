"""The complaints API for staff (`/api/v1/complaints/`): the same steps as the screens, through the same services.

The collection holds only the complaints the requester may see (the same selector as the queue); a step the
requester may not take answers 403, a complaint it may not see 404.

Why one module over 400 lines: the staff API's steps are the screens' steps, one small action each over one
base; the public API is apart (`public_api`).
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from complaints import selectors, services
from complaints.models import (
    ALLEGEABLE_CLAUSES,
    LANGUAGE_CHOICES,
    STAFF_CHANNELS,
    Allegation,
    Complaint,
    ComplaintEvent,
    ComplaintLink,
    InvolvedPerson,
    Letter,
)
from welcoming.api_support import ApiDateField, AuditedLooksMixin, FilterSet, LocalDateTimeField, VersionedRecordMixin
from welcoming.models import Finding
from welcoming.selectors import municipality_of_request


class ComplaintsPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return selectors.may_see_complaints(request.user)


class InvolvedPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvolvedPerson
        fields = ["id", "name", "title", "badge_number", "post_certification_number"]


class AllegationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allegation
        fields = ["id", "person", "clause", "summary", "disposition", "action_taken", "disposed_at", "findings"]
        read_only_fields = fields


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintLink
        fields = ["record_type", "record_id", "linked_at"]


class EventSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ComplaintEvent
        fields = ["at", "by", "kind", "note"]


class LetterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Letter
        fields = ["kind", "language", "written_at", "final_at", "delivery", "sent_at"]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    investigator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    public_status = serializers.CharField(read_only=True)
    people = InvolvedPersonSerializer(many=True, read_only=True)
    allegations = AllegationSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    letters = LetterSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_code",
            "received_at",
            "channel",
            "language",
            "anonymous",
            "complainant_name",
            "complainant_contact",
            "incident_date",
            "incident_place",
            "narrative",
            "department",
            "department_name",
            "about",
            "clauses",
            "alleges_bias",
            "alleges_force",
            "stage",
            "public_status",
            "acknowledgement_due_on",
            "post_due_on",
            "investigation_due_on",
            "acknowledged_at",
            "post_forwarded_at",
            "post_reference",
            "routed_at",
            "investigator",
            "referred_to",
            "referred_at",
            "department_answer",
            "department_answered_at",
            "outcome",
            "closed_at",
            "findings",
            "people",
            "allegations",
            "links",
            "events",
            "letters",
        ]
        read_only_fields = fields

    def to_representation(self, complaint):
        data = super().to_representation(complaint)
        if not selectors.reads_police_records(self.context["request"].user):
            data["links"], data["findings"] = [], []
            for allegation in data["allegations"]:
                allegation["findings"] = []
        return data


class ComplaintCreatedSerializer(ComplaintSerializer):
    pin = serializers.CharField(read_only=True, help_text="Shown this once; only its hash is kept.")

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "pin"]
        read_only_fields = fields


class ComplaintReceiptSerializer(serializers.Serializer):
    """What internal affairs is told of a complaint it takes in, which it may read only once it is routed."""

    tracking_code = serializers.CharField()
    pin = serializers.CharField(help_text="Shown this once; only its hash is kept.")
    stage = serializers.ChoiceField(Complaint.Stage.choices)


# The whole complaint for who may read it, a receipt for who may not yet: the full answer holds the receipt's
# fields too, so the schema says "any of" (api_schema.any_of_for_answers_that_overlap), not "one of".
INTAKE_ANSWER = PolymorphicProxySerializer(
    component_name="ComplaintIntakeAnswer",
    serializers=[ComplaintCreatedSerializer, ComplaintReceiptSerializer],
    resource_type_field_name=None,
)


class ClassificationSerializer(serializers.Serializer):
    department = serializers.ChoiceField(choices=Complaint.Department.choices)
    about = serializers.ChoiceField(choices=Complaint.About.choices, required=False, allow_blank=True, default="")
    department_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    clauses = serializers.ListField(
        child=serializers.ChoiceField(choices=ALLEGEABLE_CLAUSES), required=False, default=list
    )
    alleges_bias = serializers.BooleanField(required=False, default=False)
    alleges_force = serializers.BooleanField(required=False, default=False)


class PersonInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    badge_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    post_certification_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class IntakeSerializer(ClassificationSerializer):
    received_at = LocalDateTimeField()
    channel = serializers.ChoiceField(choices=STAFF_CHANNELS)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    anonymous = serializers.BooleanField(required=False, default=False)
    complainant_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    complainant_contact = serializers.CharField(required=False, allow_blank=True, default="")
    incident_date = ApiDateField(required=False, allow_null=True, default=None)
    incident_place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    narrative = serializers.CharField()
    people = PersonInputSerializer(many=True, required=False, default=list)


class RouteSerializer(serializers.Serializer):
    referred_to = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReferSerializer(serializers.Serializer):
    referred_to = serializers.CharField(max_length=200)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()
    answered_at = LocalDateTimeField()


class AcknowledgeSerializer(serializers.Serializer):
    acknowledged_at = LocalDateTimeField(help_text="When the acknowledgement letter went out.")
    delivery = serializers.ChoiceField(
        choices=[(value, label) for value, label in Letter.Delivery.choices if value in Letter.SENDING]
    )


class AssignSerializer(serializers.Serializer):
    investigator = serializers.PrimaryKeyRelatedField(queryset=selectors.investigators())


class PostForwardSerializer(serializers.Serializer):
    forwarded_at = LocalDateTimeField()
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class LinkInputSerializer(serializers.Serializer):
    record_type = serializers.CharField(max_length=100, required=False, default="")
    record_id = serializers.IntegerField(min_value=1, required=False)
    finding = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all(), required=False)


class AllegationInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, allow_null=True, default=None)
    clause = serializers.ChoiceField(choices=ALLEGEABLE_CLAUSES)
    summary = serializers.CharField()


class DispositionSerializer(serializers.Serializer):
    allegation = serializers.IntegerField()
    disposition = serializers.ChoiceField(choices=Allegation.Disposition.choices)
    action_taken = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    outcome = serializers.CharField()


class ComplaintFilter(FilterSet):
    queue = django_filters.ChoiceFilter(choices=selectors.Queue.CHOICES, method="noop", label="Queue")
    search = django_filters.CharFilter(method="noop", label="Tracking code, complainant or person involved")

    class Meta:
        model = Complaint
        fields = ["stage", "department", "channel", "alleges_bias"]

    def noop(self, queryset, name, value):
        return queryset  # applied by the selector, in get_queryset


class ComplaintViewSet(
    AuditedLooksMixin, VersionedRecordMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Complaints under clause 3, as the requester may see them: all of them, newest first, or with `queue` one of
    the queues (`triage`, `open` and `overdue` the most urgent deadline first, `closed` the last closed first)."""

    permission_classes = [permissions.IsAuthenticated, ComplaintsPermission]
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        complaints = selectors.complaints_queue(
            user=self.request.user,
            queue=self.request.query_params.get("queue") or selectors.Queue.ALL,
            query=self.request.query_params.get("search", ""),
            today=selectors.today_local(municipality_of_request(self.request)),
        )
        return complaints.prefetch_related(
            "people", "allegations__findings", "links", "findings", "events__by", "letters"
        )

    def get_object(self):
        """One complaint the requester may see, whatever list filters the address carries (404 alike for missing
        and not yours)."""
        return selectors.complaint_for(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, complaint, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(selectors.complaint_for(user=self.request.user, pk=complaint.pk)).data, status=code
        )

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(request=IntakeSerializer, responses={201: INTAKE_ANSWER})
    def create(self, request):
        """Take in a complaint received by telephone, mail, e-mail or in person. The PIN is in this answer only."""
        complaint, pin = services.complaint_create(by=request.user, **self._body(IntakeSerializer))
        if not selectors.complaints_for(user=request.user).filter(pk=complaint.pk).exists():
            # Internal affairs sees its intake only once the coordinator routes it.
            return Response(
                {"tracking_code": complaint.tracking_code, "pin": pin, "stage": complaint.stage},
                status=status.HTTP_201_CREATED,
            )
        data = self.get_serializer(selectors.complaint_for(user=request.user, pk=complaint.pk)).data
        return Response({**data, "pin": pin}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClassificationSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        """The coordinator corrects what the complaint is about (the POST deadline follows)."""
        complaint = services.complaint_classify(
            complaint=self.get_object(), by=request.user, **self._body(ClassificationSerializer)
        )
        return self._answer(complaint)

    @extend_schema(request=RouteSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        """The coordinator routes the complaint (to internal affairs, its own desk, or the department named)."""
        complaint = services.complaint_route(
            complaint=self.get_object(), by=request.user, **self._body(RouteSerializer)
        )
        return self._answer(complaint)

    @extend_schema(request=ReferSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        """The coordinator refers a complaint it keeps to the executive."""
        complaint = services.complaint_refer(
            complaint=self.get_object(), by=request.user, **self._body(ReferSerializer)
        )
        return self._answer(complaint)

    @extend_schema(request=AnswerSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The coordinator records what the department reported back."""
        complaint = services.complaint_answer_record(
            complaint=self.get_object(), by=request.user, **self._body(AnswerSerializer)
        )
        return self._answer(complaint)

    @extend_schema(request=AcknowledgeSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Record the acknowledgement letter sent: how, and when (which meets the acknowledgement's deadline)."""
        complaint = self.get_object()
        body = self._body(AcknowledgeSerializer)
        letter = complaint.letters.filter(kind=Letter.Kind.ACKNOWLEDGEMENT).first()
        if letter is None:
            raise DjangoValidationError("This complaint has no acknowledgement letter to send.")
        services.letter_send(letter=letter, by=request.user, delivery=body["delivery"], sent_at=body["acknowledged_at"])
        return self._answer(complaint)

    @extend_schema(request=AssignSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        complaint = services.complaint_assign(
            complaint=self.get_object(), by=request.user, **self._body(AssignSerializer)
        )
        return self._answer(complaint)

    @extend_schema(request=PostForwardSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="post-forward", url_name="post-forward")
    def post_forward(self, request, pk=None):
        """Record the forwarding to the Massachusetts POST Commission, with its date."""
        complaint = services.complaint_post_forward(
            complaint=self.get_object(), by=request.user, **self._body(PostForwardSerializer)
        )
        return self._answer(complaint)

    @extend_schema(request=LinkInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """Link a police record (by kind and id) or a finding (the police side only)."""
        if not (
            request.user.has_perm("welcoming.view_police_records") and request.user.has_perm("welcoming.view_findings")
        ):
            raise exceptions.PermissionDenied("Only the police side links police records and findings.")
        complaint = self.get_object()
        body = self._body(LinkInputSerializer)
        # Checked here, not by the serializer: the schema cannot say "one or the other", so a body without
        # either is in its shape, and refused by this rule with a 422.
        if bool(body.get("finding")) == bool(body.get("record_type") and body.get("record_id")):
            raise DjangoValidationError("Give either a finding, or a record_type and a record_id.")
        if body.get("finding"):
            services.complaint_link_finding(complaint=complaint, by=request.user, finding=body["finding"])
        else:
            services.complaint_link_record(
                complaint=complaint, by=request.user, record_type=body["record_type"], record_id=body["record_id"]
            )
        return self._answer(complaint)

    @extend_schema(request=PersonInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def people(self, request, pk=None):
        """Add a person involved."""
        complaint = self.get_object()
        services.person_add(complaint=complaint, by=request.user, **self._body(PersonInputSerializer))
        return self._answer(complaint)

    @extend_schema(request=AllegationInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def allegations(self, request, pk=None):
        """Add an allegation, against a person involved (by id) or the department."""
        complaint = self.get_object()
        body = self._body(AllegationInputSerializer)
        person_id, person = body.pop("person"), None
        if person_id is not None:
            person = complaint.people.filter(pk=person_id).first()
            if person is None:
                raise DjangoValidationError({"person": "That person is not named in this complaint."})
        services.allegation_add(complaint=complaint, by=request.user, person=person, **body)
        return self._answer(complaint)

    @extend_schema(request=DispositionSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        """Record an allegation's disposition and the action taken."""
        complaint = self.get_object()
        body = self._body(DispositionSerializer)
        allegation = complaint.allegations.filter(pk=body.pop("allegation")).first()
        if allegation is None:
            raise DjangoValidationError({"allegation": "No such allegation in this complaint."})
        services.allegation_dispose(allegation=allegation, by=request.user, **body)
        return self._answer(complaint)

    @extend_schema(request=CloseSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the complaint; the outcome goes to the complainant in writing."""
        complaint = services.complaint_close(
            complaint=self.get_object(), by=request.user, **self._body(CloseSerializer)
        )
        return self._answer(complaint)
