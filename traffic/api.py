"""`/api/v1/traffic-stops/`: unlicensed-driver stops, read by the police side, logged by the records clerk."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from traffic import selectors, services
from traffic.models import UnlicensedDriverStop
from welcoming.api_support import AuditedLooksMixin, LocalDateTimeField, PoliceRecordsPermission, VersionedRecordMixin

FIELDS = [
    "stopped_at",
    "place",
    "officer_name",
    "officer_badge",
    "other_arrestable_violation",
    "other_violation",
    "action",
    "custody_reason",
    "licensed_driver_offered",
    "licensed_driver_arrived",
    "vehicle_impounded",
    "notes",
]


class StopSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnlicensedDriverStop
        fields = ["id", *FIELDS, "created_at", "voided_at", "void_reason"]
        read_only_fields = fields


class StopInputSerializer(serializers.Serializer):
    stopped_at = LocalDateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200)
    officer_name = serializers.CharField(max_length=150)
    officer_badge = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    other_arrestable_violation = serializers.BooleanField()
    other_violation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    action = serializers.ChoiceField(choices=UnlicensedDriverStop.Action.choices)
    custody_reason = serializers.CharField(required=False, allow_blank=True, default="")
    licensed_driver_offered = serializers.BooleanField()
    licensed_driver_arrived = serializers.BooleanField()
    vehicle_impounded = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class StopViewSet(
    AuditedLooksMixin, VersionedRecordMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Stops of drivers without a license (clause 2(f))."""

    permission_classes = [permissions.IsAuthenticated, PoliceRecordsPermission]
    serializer_class = StopSerializer
    filterset_fields = ["action", "vehicle_impounded", "other_arrestable_violation"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnlicensedDriverStop.objects.none()
        return selectors.stops_for(user=self.request.user)

    @extend_schema(request=StopInputSerializer, responses={201: StopSerializer})
    def create(self, request):
        body = StopInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stop = services.stop_create(by=request.user, **body.validated_data)
        return Response(self.get_serializer(stop).data, status=status.HTTP_201_CREATED)
