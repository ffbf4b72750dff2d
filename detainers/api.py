"""The detainers app's API (`/api/v1/`): thin serializers, and every write through `detainers.services`.

Why one module over 400 lines: seven viewsets share one base (`PoliceRecordViewSet`: scope, audit, versions)
and its input serializers mirror the forms field by field.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from detainers import selectors, services
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    AssistanceSupport,
    Custody,
    Detainer,
    DetainerReason,
    InformationItem,
    InformationRequest,
    JudicialAuthority,
    Person,
    Reimbursement,
)
from welcoming.api_support import (
    AmountField,
    ApiDateField,
    AuditedLooksMixin,
    BooleanFilter,
    DateFilter,
    FilterSet,
    IdFilter,
    LocalDateTimeField,
    MomentFilter,
    PoliceRecordsPermission,
    VersionedRecordMixin,
)

VOID_FIELDS = ["voided_at", "void_reason"]


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MayVoid(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("welcoming.void_own_records") or request.user.has_perm("welcoming.void_any_record")


class PoliceRecordViewSet(
    AuditedLooksMixin, VersionedRecordMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read for the police side; create through the service named by `create_record`; void with a reason."""

    permission_classes = [permissions.IsAuthenticated, PoliceRecordsPermission]
    selector = None  # (user) -> queryset
    input_serializer_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return type(self).selector(user=self.request.user)

    def get_permissions(self):
        if self.action == "void":
            return [permissions.IsAuthenticated(), MayVoid()]
        return super().get_permissions()

    def create(self, request):
        payload = self.input_serializer_class(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        record = self.create_record(payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VoidSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void a record entered in error, with a reason (it then counts nowhere)."""
        payload = VoidSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = self.get_object()
        services.record_void(record=record, by=request.user, reason=payload.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


def _related(queryset_of):
    """A primary-key field limited to the records the requester may see."""

    @extend_schema_field(OpenApiTypes.INT)
    class Field(serializers.PrimaryKeyRelatedField):
        def get_queryset(self):
            return queryset_of(user=self.context["request"].user).filter(voided_at__isnull=True)

    return Field


# --- Persons ------------------------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "full_name", "date_of_birth", "department_id", "merged_into", "created_at", *VOID_FIELDS]
        read_only_fields = fields


class PersonRecordInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    date_of_birth = ApiDateField(required=False, allow_null=True)
    department_id = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class MergeSerializer(serializers.Serializer):
    duplicate = _related(selectors.persons_for)()


class PersonFilter(FilterSet):
    search = django_filters.CharFilter(method="search_filter", label="Name contains, or department ID")

    class Meta:
        model = Person
        fields = ["department_id"]

    def search_filter(self, queryset, name, value):
        return queryset.filter(full_name__icontains=value) | queryset.filter(department_id__iexact=value)


class PersonViewSet(PoliceRecordViewSet):
    """People: a name, an optional date of birth and the department's own identifiers."""

    serializer_class = PersonSerializer
    input_serializer_class = PersonRecordInputSerializer
    selector = staticmethod(selectors.persons_for)
    filterset_class = PersonFilter

    def create_record(self, data):
        return services.person_create(by=self.request.user, **data)

    def create(self, request):
        response = super().create(request)
        person = Person.objects.get(pk=response.data["id"])
        response.data["possible_duplicates"] = list(
            selectors.person_possible_duplicates(person).values_list("pk", flat=True)
        )
        return response

    @extend_schema(request=MergeSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge another record of the same person into this one (custody moves over; history is kept)."""
        payload = MergeSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        keep = services.person_merge(
            keep=self.get_object(), duplicate=payload.validated_data["duplicate"], by=request.user
        )
        return Response(self.get_serializer(keep).data)


# --- Custody ------------------------------------------------------------------------------------------------


class JudicialAuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = JudicialAuthority
        fields = ["id", "kind", "received_at", "came_with", "time_assumed", "created_at", *VOID_FIELDS]
        read_only_fields = fields


class CustodySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    judicial_authorities = JudicialAuthoritySerializer(many=True, read_only=True)

    class Meta:
        model = Custody
        fields = [
            "id",
            "person",
            "person_name",
            "booking_number",
            "booked_at",
            "basis",
            "eligible_for_release_at",
            "eligibility_reason",
            "released_at",
            "transferred_to_ice_at",
            "transfer_authority",
            "judicial_authorities",
            "delay_reason",
            "created_at",
            *VOID_FIELDS,
        ]
        read_only_fields = fields


class CustodyInputSerializer(serializers.Serializer):
    person = _related(selectors.persons_for)()
    booked_at = LocalDateTimeField()
    basis = serializers.ChoiceField(Custody.Basis.choices)
    booking_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class EligibleSerializer(serializers.Serializer):
    at = LocalDateTimeField()
    reason = serializers.ChoiceField(Custody.EligibilityReason.choices)


class CustodyEndSerializer(serializers.Serializer):
    at = LocalDateTimeField()
    # Required by the service whenever eligibility is not yet on record (and the booking is not on a hold alone).
    eligible_at = LocalDateTimeField(required=False, allow_null=True)
    eligibility_reason = serializers.ChoiceField(Custody.EligibilityReason.choices, required=False)
    delay_reason = serializers.CharField(required=False, allow_blank=True, default="")


class TransferSerializer(CustodyEndSerializer):
    authority = serializers.ChoiceField(Custody.TransferAuthority.choices)
    authority_received_at = LocalDateTimeField(
        required=False,
        allow_null=True,
        help_text="When the judicial warrant or court order was received: required when the authority is one.",
    )


class JudicialAuthorityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(JudicialAuthority.Kind.choices)
    received_at = LocalDateTimeField()
    came_with = _related(selectors.detainers_for)(required=False, allow_null=True)


class CustodyFilter(FilterSet):
    in_custody = BooleanFilter(method="in_custody_filter")
    booked_after = MomentFilter(field_name="booked_at", lookup_expr="gte")
    booked_before = MomentFilter(field_name="booked_at", lookup_expr="lte")

    class Meta:
        model = Custody
        fields = ["person", "basis"]

    def in_custody_filter(self, queryset, name, value):
        held = queryset.in_custody()
        return held if value else queryset.exclude(pk__in=held.values("pk"))


class CustodyViewSet(PoliceRecordViewSet):
    """Custody records: booking, basis, eligibility for release, release or transfer to ICE."""

    serializer_class = CustodySerializer
    input_serializer_class = CustodyInputSerializer
    selector = staticmethod(selectors.custody_records_for)
    filterset_class = CustodyFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("judicial_authorities")

    def create_record(self, data):
        return services.custody_create(by=self.request.user, **data)

    def _act(self, request, serializer_class, service, **renames):
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {renames.get(key, key): value for key, value in payload.validated_data.items()}
        service(custody=self.get_object(), by=request.user, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=self.kwargs["pk"])).data)

    @extend_schema(request=EligibleSerializer, responses=CustodySerializer)
    @action(detail=True, methods=["post"])
    def eligible(self, request, pk=None):
        """Record the moment the person became eligible for release."""
        return self._act(request, EligibleSerializer, services.custody_eligible)

    @extend_schema(request=CustodyEndSerializer, responses=CustodySerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Record a release (eligibility for release must be known or given)."""
        return self._act(request, CustodyEndSerializer, services.custody_release)

    @extend_schema(request=TransferSerializer, responses=CustodySerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Record a transfer to ICE custody and its authority (a judicial warrant or court order with the moment
        it was received)."""
        return self._act(request, TransferSerializer, services.custody_transfer_to_ice)

    @extend_schema(request=JudicialAuthorityInputSerializer, responses=CustodySerializer)
    @action(detail=True, methods=["post"], url_path="judicial-authority")
    def judicial_authority(self, request, pk=None):
        """Record a judicial warrant or court order received for the person, with the moment it was received."""
        payload = JudicialAuthorityInputSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        services.judicial_authority_record(custody=self.get_object(), by=request.user, **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=self.kwargs["pk"])).data)


# --- Detainers ----------------------------------------------------------------------------------------------


class ReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = DetainerReason
        fields = ["code", "text"]
        extra_kwargs = {"code": {"validators": []}}


class DetainerSerializer(serializers.ModelSerializer):
    reasons = ReasonSerializer(many=True, read_only=True)
    judicial_warrant = serializers.BooleanField(
        source="carries_judicial_authority",
        read_only=True,
        help_text="A judge's warrant or order came with it (recorded on the custody with its time).",
    )

    class Meta:
        model = Detainer
        fields = [
            "id",
            "custody",
            "lodging",
            "form",
            "kind",
            "received_via",
            "lodged_at",
            "federal_reference",
            "judicial_warrant",
            "lifted_at",
            "copy_served_at",
            "documents_served",
            "response",
            "responded_at",
            "notes",
            "reasons",
            "created_at",
            *VOID_FIELDS,
        ]
        read_only_fields = fields


class ReasonInputSerializer(serializers.Serializer):
    code = serializers.ChoiceField(DetainerReason.Code.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        # A change of the reasons (PATCH) is partial, and DRF then skips a missing field at every depth; a reason
        # without its code is still no reason.
        if "code" not in data:
            raise serializers.ValidationError({"code": ["This field is required."]})
        return data


class DetainerInputSerializer(serializers.Serializer):
    custody = _related(selectors.custody_records_for)()
    form = serializers.ChoiceField(Detainer.Form.choices)
    kind = serializers.ChoiceField(Detainer.Kind.choices, required=False, default="")
    received_via = serializers.ChoiceField(Detainer.ReceivedVia.choices)
    lodged_at = LocalDateTimeField()
    reasons = ReasonInputSerializer(many=True)
    federal_reference = serializers.CharField(required=False, allow_blank=True, default="")
    judicial_warrant = serializers.BooleanField(help_text="Whether a warrant or order signed by a judge came with it.")
    judicial_warrant_received_at = LocalDateTimeField(
        required=False, allow_null=True, help_text="When the judge's warrant or order was received (if one came)."
    )
    lodged_with = _related(selectors.detainers_for)(required=False, allow_null=True, default=None)
    copy_served_at = LocalDateTimeField(required=False, allow_null=True, default=None)
    documents_served = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DetainerUpdateSerializer(serializers.Serializer):
    received_via = serializers.ChoiceField(Detainer.ReceivedVia.choices, required=False)
    federal_reference = serializers.CharField(required=False, allow_blank=True)
    judicial_warrant = serializers.BooleanField(required=False)
    judicial_warrant_received_at = LocalDateTimeField(required=False, allow_null=True)
    lifted_at = LocalDateTimeField(required=False, allow_null=True)
    copy_served_at = LocalDateTimeField(required=False, allow_null=True)
    documents_served = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    reasons = ReasonInputSerializer(many=True, required=False)


class RespondSerializer(serializers.Serializer):
    response = serializers.ChoiceField(Detainer.Response.choices)
    at = LocalDateTimeField()


class DetainerFilter(FilterSet):
    lodged_after = MomentFilter(field_name="lodged_at", lookup_expr="gte")
    lodged_before = MomentFilter(field_name="lodged_at", lookup_expr="lte")
    person = IdFilter(field_name="custody__person")

    class Meta:
        model = Detainer
        fields = ["custody", "kind", "form", "lodging"]


class DetainerViewSet(mixins.UpdateModelMixin, PoliceRecordViewSet):
    """Detainers, administrative warrants and notification requests; each belongs to one custody record."""

    serializer_class = DetainerSerializer
    input_serializer_class = DetainerInputSerializer
    selector = staticmethod(selectors.detainers_for)
    filterset_class = DetainerFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_record(self, data):
        data["reasons"] = [(reason["code"], reason.get("text", "")) for reason in data["reasons"]]
        return services.detainer_create(by=self.request.user, **data)

    @extend_schema(request=DetainerUpdateSerializer)
    def partial_update(self, request, pk=None):
        payload = DetainerUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        if "reasons" in data:
            data["reasons"] = [(reason["code"], reason.get("text", "")) for reason in data["reasons"]]
        services.detainer_update(detainer=self.get_object(), by=request.user, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=RespondSerializer, responses=DetainerSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """What the department answered a notification request."""
        payload = RespondSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.notification_respond(detainer=self.get_object(), by=request.user, **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


# --- Information, access and assistance requests; reimbursements ---------------------------------------------


class InformationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationItem
        fields = ["item", "asked", "disclosed", "basis"]


class InformationRequestSerializer(serializers.ModelSerializer):
    items = InformationItemSerializer(many=True, read_only=True)

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "custody",
            "agency",
            "received_at",
            "received_via",
            "federal_reference",
            "answered_at",
            "notes",
            "items",
            "created_at",
            *VOID_FIELDS,
        ]
        read_only_fields = fields


class InformationItemInputSerializer(serializers.Serializer):
    item = serializers.CharField()
    asked = serializers.BooleanField(required=False, default=True)
    disclosed = serializers.BooleanField()
    basis = serializers.ChoiceField(
        InformationItem.Basis.choices, required=False, help_text="Required when disclosed (none is a choice too)."
    )


class InformationRequestInputSerializer(serializers.Serializer):
    custody = _related(selectors.custody_records_for)()
    agency = serializers.CharField(max_length=150)
    received_at = LocalDateTimeField()
    received_via = serializers.ChoiceField(Detainer.ReceivedVia.choices)
    federal_reference = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="ICE's reference for the request, if it gives one."
    )
    answered_at = LocalDateTimeField(required=False, allow_null=True, default=None)
    items = InformationItemInputSerializer(many=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class InformationRequestViewSet(PoliceRecordViewSet):
    """Federal requests for information about a person in custody, item by item (2(e))."""

    serializer_class = InformationRequestSerializer
    input_serializer_class = InformationRequestInputSerializer
    selector = staticmethod(selectors.information_requests_for)
    filterset_fields = ["custody"]

    def create_record(self, data):
        data["items"] = [dict(item) for item in data["items"]]
        return services.information_request_create(by=self.request.user, **data)


class AccessRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "custody",
            "agency",
            "requested_at",
            "mode",
            "judicial_warrant_or_court_order",
            "granted",
            "notes",
            "created_at",
            *VOID_FIELDS,
        ]
        read_only_fields = fields


class AccessRequestInputSerializer(serializers.Serializer):
    custody = _related(selectors.custody_records_for)()
    agency = serializers.CharField(max_length=150)
    requested_at = LocalDateTimeField()
    mode = serializers.ChoiceField(AccessRequest.Mode.choices)
    judicial_warrant_or_court_order = serializers.BooleanField()
    granted = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AccessRequestViewSet(PoliceRecordViewSet):
    """ICE asking to see or speak to a person in custody (2(h))."""

    serializer_class = AccessRequestSerializer
    input_serializer_class = AccessRequestInputSerializer
    selector = staticmethod(selectors.access_requests_for)
    filterset_fields = ["custody", "mode", "granted"]

    def create_record(self, data):
        return services.access_request_create(by=self.request.user, **data)


class AssistanceSupportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssistanceSupport
        fields = ["kind", "asked", "provided", "text"]


class AssistanceRequestSerializer(serializers.ModelSerializer):
    supports = AssistanceSupportSerializer(many=True, read_only=True)

    class Meta:
        model = AssistanceRequest
        fields = [
            "id",
            "agency",
            "requested_at",
            "operation",
            "deputized_functions",
            "supports",
            "notes",
            "created_at",
            *VOID_FIELDS,
        ]
        read_only_fields = fields


class AssistanceSupportInputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    asked = serializers.BooleanField(required=False, default=True)
    provided = serializers.BooleanField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class AssistanceRequestInputSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=150)
    requested_at = LocalDateTimeField()
    operation = serializers.CharField()
    supports = AssistanceSupportInputSerializer(many=True)
    deputized_functions = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AssistanceRequestViewSet(PoliceRecordViewSet):
    """Requests to help with a federal operation (2(j), 2(k))."""

    serializer_class = AssistanceRequestSerializer
    input_serializer_class = AssistanceRequestInputSerializer
    selector = staticmethod(selectors.assistance_requests_for)

    def create_record(self, data):
        data["supports"] = [dict(support) for support in data["supports"]]
        return services.assistance_request_create(by=self.request.user, **data)


class ReimbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reimbursement
        fields = ["id", "amount", "received_on", "program", "case_label", "notes", "created_at", *VOID_FIELDS]
        read_only_fields = fields


class ReimbursementInputSerializer(serializers.Serializer):
    amount = AmountField()
    received_on = ApiDateField()
    program = serializers.ChoiceField(Reimbursement.Program.choices)
    case_label = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReimbursementFilter(FilterSet):
    received_after = DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Reimbursement
        fields = ["program", "case_label"]


class ReimbursementViewSet(PoliceRecordViewSet):
    """Money received from the federal government (4(d))."""

    serializer_class = ReimbursementSerializer
    input_serializer_class = ReimbursementInputSerializer
    selector = staticmethod(selectors.reimbursements_for)
    filterset_class = ReimbursementFilter

    def create_record(self, data):
        return services.reimbursement_create(by=self.request.user, **data)
