"""The report's machine-readable form (DESIGN.md section 8) at /api/v1/reports/figures/."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from reports import drift, selectors, services
from reports.models import DocketItem, Meeting, Report
from welcoming.api_support import ApiDateField, LocalDateTimeField, VersionedRecordMixin
from welcoming.selectors import municipality_of_request


class FiguresQuerySerializer(serializers.Serializer):
    start = ApiDateField(required=False, help_text="First day, local, YYYY-MM-DD. Omit both for the current period.")
    end = ApiDateField(required=False, help_text="Last day, local, included. At most ten years after the start.")


class PeriodSerializer(serializers.Serializer):
    start = ApiDateField()
    end = ApiDateField()


class LodgedKindSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Documents lodged; a document with two reasons counts once.")
    by_reason = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Documents per reason code (final_order, pending_proceedings, … not_stated); a reason with none "
        "may be left out.",
    )


class LodgedSerializer(serializers.Serializer):
    immigration_detainer = LodgedKindSerializer()
    administrative_warrant = LodgedKindSerializer()
    notification_request = LodgedKindSerializer()


class CaseSerializer(serializers.Serializer):
    case = serializers.CharField(allow_null=True, help_text="The department's internal case label; null: no case.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)


class ReimbursementsSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    by_case = CaseSerializer(many=True)


class SupplementLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField(
        allow_null=True, help_text="null when there is nothing to compute it from (see none_because), never 0."
    )
    none_because = serializers.CharField(required=False, help_text="Only with a null value: why there is none.")


class SupplementSectionSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="information_requests, access_requests, assistance_requests, findings_by_clause, closures; "
        "later versions add sections."
    )
    title = serializers.CharField()
    lines = SupplementLineSerializer(many=True)


class SupplementSerializer(serializers.Serializer):
    beyond_the_ordinance = serializers.BooleanField(help_text="Always true: none of this is required by clause 4.")
    note = serializers.CharField()
    sections = SupplementSectionSerializer(many=True)


class FiguresSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    period = PeriodSerializer()
    lodged = LodgedSerializer(help_text="4(a): documents lodged in the period, by kind and reason.")
    individuals_detained = serializers.IntegerField(
        help_text="4(b): distinct people detained on an ICE hold or administrative warrant, counted in the period "
        "in which that detention began."
    )
    individuals_transferred = serializers.IntegerField(
        help_text="4(c): distinct people transferred to ICE custody, on whatever authority, by date of transfer."
    )
    reimbursements = ReimbursementsSerializer(help_text="4(d): money received from the federal government.")
    supplement = SupplementSerializer()


# --- Signed reports, meetings and the docket ----------------------------------------------------------------


class ReportReadPermission(permissions.BasePermission):
    """Signed reports: the police side and the municipal clerk; council staff once docketed (the queryset)."""

    def has_permission(self, request, view):
        user = request.user
        if view.action == "figures":
            return user.has_perm("welcoming.view_report_drafts")
        if view.action in ("receive", "forward", "docket"):
            return user.has_perm(services.PROCESS)
        return user.has_perm("welcoming.view_signed_reports") or user.has_perm("welcoming.view_docketed_reports")


class DriftRecordSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["person", "custody", "detainer", "judicial_authority", "reimbursement"])
    id = serializers.IntegerField()
    change = serializers.ChoiceField(choices=["added", "voided", "changed"])


class DriftSerializer(serializers.Serializer):
    """Whether the records still say what was signed, as last checked."""

    changed = serializers.BooleanField()
    checked_at = serializers.DateTimeField()
    figures = serializers.DictField(
        child=serializers.DictField(child=serializers.JSONField()),
        help_text="Each figure that differs, by key, as {signed, now}; a figure absent on one side is null.",
    )
    records = DriftRecordSerializer(many=True, help_text="The records added, voided or changed since signing.")
    rule_changed = serializers.BooleanField(help_text="Part of the difference comes from how the app counts.")


class SignedReportSerializer(serializers.ModelSerializer):
    figures = serializers.SerializerMethodField(help_text="The section 8 document, as signed.")
    drift = serializers.SerializerMethodField(
        help_text="Whether the records still say what was signed (null before the first check)."
    )
    superseded_by = serializers.SerializerMethodField()
    docket_number = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField(help_text="Where the signed PDF is downloaded.")

    class Meta:
        model = Report
        fields = [
            "id",
            "period_start",
            "period_end",
            "version",
            "status",
            "signed_at",
            "signer_name",
            "signer_title",
            "chief_comment",
            "pdf_sha256",
            "pdf",
            "supersedes",
            "superseded_by",
            "correction_reason",
            "received_at",
            "forwarded_at",
            "docket_number",
            "figures",
            "drift",
        ]
        read_only_fields = fields

    def get_figures(self, report) -> dict:
        return report.snapshot["figures"]

    @extend_schema_field(DriftSerializer(allow_null=True))
    def get_drift(self, report) -> dict | None:
        return drift.drift_for_api(report)

    def get_superseded_by(self, report) -> int | None:
        return report.superseded_by.pk if report.is_superseded else None

    def get_docket_number(self, report) -> str | None:
        item = getattr(report, "docket_item", None)
        return item.number if item else None

    def get_pdf(self, report) -> str:
        return reverse("reports:report-pdf", args=[report.pk])


class StepRequestSerializer(serializers.Serializer):
    on = ApiDateField(
        required=False,
        help_text="The day it happened, local; today if omitted. Not in the future, not before the step it follows.",
    )


class DocketRequestSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=300, required=False)


class MeetingSerializer(serializers.ModelSerializer):
    posting_deadline = serializers.SerializerMethodField(
        help_text="When the agenda must be posted by (G.L. c.30A §20)."
    )
    agenda = serializers.SerializerMethodField(help_text="Docket numbers on the agenda.")
    starts_at = LocalDateTimeField()
    agenda_posted_at = LocalDateTimeField(required=False, allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "body", "starts_at", "place", "agenda_posted_at", "posting_deadline", "agenda"]
        read_only_fields = ["id", "posting_deadline", "agenda"]

    def get_posting_deadline(self, meeting) -> str:
        municipality = self.context.get("municipality")
        return selectors.posting_deadline(meeting, municipality=municipality).isoformat()

    def get_agenda(self, meeting) -> list[str]:
        return [item.number for item in meeting.items.all()]


class DocketReportSerializer(serializers.ModelSerializer):
    figures = serializers.SerializerMethodField()
    superseded = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["period_start", "period_end", "version", "signed_at", "pdf_sha256", "superseded", "figures"]

    def get_figures(self, report) -> dict | None:
        # Public figures come only from reports that stand: a superseded version's are withheld.
        return None if report.is_superseded else report.snapshot["figures"]

    def get_superseded(self, report) -> bool:
        return report.is_superseded


class DocketItemSerializer(serializers.ModelSerializer):
    report = DocketReportSerializer(read_only=True)
    document = serializers.SerializerMethodField(help_text="The public download of the paper.")
    replaced_by_version = serializers.SerializerMethodField(
        help_text="The version of the report that corrected this item's, if one did."
    )

    class Meta:
        model = DocketItem
        fields = [
            "number",
            "title",
            "docketed_at",
            "meeting",
            "placed_at",
            "action",
            "action_note",
            "report",
            "document",
            "replaced_by_version",
        ]
        read_only_fields = fields

    def get_document(self, item) -> str:
        return reverse("public:docket-pdf", args=[item.number])

    def get_replaced_by_version(self, item) -> int | None:
        replaced = item.replaced_by
        return replaced.version if replaced else None


class PlaceRequestSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())


class WithdrawRequestSerializer(serializers.Serializer):
    # min_length declares in the schema what the service refuses: a blank reason.
    reason = serializers.CharField(
        min_length=1, max_length=2000, help_text="Why the item comes off the agenda; kept with it."
    )


class ActionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=DocketItem.Action.choices)
    action_note = serializers.CharField(required=False, allow_blank=True, default="")


class PublicReadClerkWrites(permissions.BasePermission):
    """Meetings, agendas and the docket: anyone reads (DESIGN.md section 1); the municipal clerk writes."""

    public_read = True  # for the API's schema (welcoming/api_schema.py)

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.is_authenticated and request.user.has_perm(services.CHANGE_MEETINGS)


class MeetingViewSet(
    VersionedRecordMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [PublicReadClerkWrites]
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return Meeting.objects.prefetch_related("items").order_by("-starts_at", "-pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "municipality": municipality_of_request(self.request)}

    def perform_create(self, serializer):
        serializer.instance = services.meeting_create(by=self.request.user, **serializer.validated_data)


class DocketViewSet(VersionedRecordMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [PublicReadClerkWrites]
    serializer_class = DocketItemSerializer
    lookup_field = "number"

    def get_queryset(self):
        return DocketItem.objects.select_related(*selectors.REPLACED).order_by("-docketed_at", "-pk")

    @extend_schema(request=PlaceRequestSerializer, responses=DocketItemSerializer)
    @action(detail=True, methods=["post"])
    def place(self, request, number=None):
        """Put the item on a meeting's agenda, if that agenda can still be posted in time."""
        body = PlaceRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.docket_place_on_agenda(
            item=self.get_object(), meeting=body.validated_data["meeting"], by=request.user
        )
        return Response(DocketItemSerializer(item).data)

    @extend_schema(request=WithdrawRequestSerializer, responses=DocketItemSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, number=None):
        """Take the item off its meeting's agenda, with the reason, while that agenda is not posted yet."""
        body = WithdrawRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.docket_withdraw(item=self.get_object(), reason=body.validated_data["reason"], by=request.user)
        return Response(DocketItemSerializer(item).data)

    @extend_schema(request=ActionRequestSerializer, responses=DocketItemSerializer)
    @action(detail=True, methods=["post"], url_path="committee-action", url_name="action")
    def committee_action(self, request, number=None):
        """Record what the committee did with the item, after its meeting."""
        body = ActionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.docket_action_record(
            item=self.get_object(),
            action=body.validated_data["action"],
            note=body.validated_data["action_note"],
            by=request.user,
        )
        return Response(DocketItemSerializer(item).data)


class ReportViewSet(VersionedRecordMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The semiannual report of clause 4: the live figures, and the signed reports with their workflow."""

    permission_classes = [permissions.IsAuthenticated, ReportReadPermission]
    serializer_class = FiguresSerializer

    def get_serializer_class(self):
        return FiguresSerializer if self.action == "figures" else SignedReportSerializer

    def get_queryset(self):
        return selectors.signed_reports_for(user=self.request.user).order_by("-period_start", "-version")

    @extend_schema(parameters=[FiguresQuerySerializer], responses=FiguresSerializer)
    @action(detail=False, methods=["get"])
    def figures(self, request):
        """The four figures of clause 4(a)–(d) and the supplement, live from the records, for local dates
        `start` to `end` (both included); the same document as a report's JSON download."""
        municipality = municipality_of_request(request)
        if municipality is None:
            raise NotFound("The municipality profile is not set up yet.")
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # The dates' shape is the serializer's (400); whether they make a window, the rules' (422).
        start, end = query.validated_data.get("start"), query.validated_data.get("end")
        window = selectors.figures_window(municipality=municipality, start=start, end=end)
        document = selectors.figures(municipality=municipality, window=window)
        return Response(FiguresSerializer(document).data)

    @extend_schema(request=StepRequestSerializer, responses=SignedReportSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """The municipal clerk receives the signed report, today or on the day given."""
        body = StepRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_receive(report=self.get_object(), by=request.user, **body.validated_data)
        return Response(SignedReportSerializer(report).data)

    @extend_schema(request=StepRequestSerializer, responses=SignedReportSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """The municipal clerk forwards the received report to the executive, today or on the day given."""
        body = StepRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_forward(report=self.get_object(), by=request.user, **body.validated_data)
        return Response(SignedReportSerializer(report).data)

    @extend_schema(request=DocketRequestSerializer, responses=DocketItemSerializer)
    @action(detail=True, methods=["post"])
    def docket(self, request, pk=None):
        """The municipal clerk gives the forwarded report a docket number."""
        body = DocketRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = self.get_object()
        title = body.validated_data.get("title") or selectors.docket_title(report)
        item = services.report_docket(report=report, number=body.validated_data["number"], title=title, by=request.user)
        return Response(DocketItemSerializer(item).data, status=201)
