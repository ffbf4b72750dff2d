"""`/api/v1/u-visa-requests/`: the same records and steps as the screens, through the same services."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from certifications import selectors, services
from certifications.models import QUALIFYING_CRIMES, UVisaRequest
from detainers.models import Person
from detainers.selectors import persons_for
from welcoming.api_support import ApiDateField, AuditedLooksMixin, CapabilityPermission, VersionedRecordMixin


class UVisaPermission(CapabilityPermission):
    read = selectors.VIEW
    write = services.CHANGE


class UVisaRequestSerializer(serializers.ModelSerializer):
    certifying_official = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = UVisaRequest
        fields = [
            "id",
            "received_on",
            "requester_kind",
            "requester_name",
            "requester_contact",
            "language",
            "victim",
            "case_number",
            "qualifying_crime",
            "crime_other",
            "helpfulness",
            "expedited",
            "expedite_reason",
            "due_on",
            "decision",
            "decided_on",
            "certifying_official",
            "reason",
            "letter_reason",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = fields


class UVisaRequestInputSerializer(serializers.Serializer):
    received_on = ApiDateField()
    requester_kind = serializers.ChoiceField(choices=UVisaRequest.Requester.choices)
    requester_name = serializers.CharField(max_length=200)
    requester_contact = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, default="en", help_text="The decision letter is written in it."
    )
    victim = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    case_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    qualifying_crime = serializers.ChoiceField(choices=QUALIFYING_CRIMES)
    crime_other = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    helpfulness = serializers.ChoiceField(choices=UVisaRequest.Helpfulness.choices)
    expedited = serializers.BooleanField()
    expedite_reason = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # only people the requester may see can be named
            self.fields["victim"].queryset = persons_for(user=request.user).active()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[c for c in UVisaRequest.Decision.choices if c[0] != UVisaRequest.Decision.PENDING]
    )
    decided_on = ApiDateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    letter_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="To decline a request whose requester does not read English: the reason in their language.",
    )
    helpfulness = serializers.ChoiceField(
        choices=UVisaRequest.Helpfulness.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="The official's determination, if it differs from the request's.",
    )


class UVisaRequestViewSet(
    AuditedLooksMixin, VersionedRecordMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """U visa certification requests (clause 2(i)): the police side and the certifying officials read; the records
    clerk logs; the chief and the certifying officials decide."""

    permission_classes = [permissions.IsAuthenticated, UVisaPermission]
    serializer_class = UVisaRequestSerializer
    filterset_fields = ["decision", "expedited", "qualifying_crime"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UVisaRequest.objects.none()
        return selectors.requests_for(user=self.request.user).order_by("-received_on", "-id")

    def get_permissions(self):
        if self.action == "decide":
            return [permissions.IsAuthenticated(), CanDecide()]
        return super().get_permissions()

    @extend_schema(request=UVisaRequestInputSerializer, responses={201: UVisaRequestSerializer})
    def create(self, request):
        body = UVisaRequestInputSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        record = services.u_visa_request_create(by=request.user, **body.validated_data)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=UVisaRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The chief or a certifying official records the decision and its reason (required to decline)."""
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.u_visa_decide(request=self.get_object(), by=request.user, **body.validated_data)
        return Response(self.get_serializer(record).data)


class CanDecide(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm(selectors.DECIDE)
