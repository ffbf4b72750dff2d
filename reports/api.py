"""The report's machine-readable form (DESIGN.md section 8) at /api/v1/reports/figures/."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from reports import selectors
from welcoming.api_support import CapabilityPermission
from welcoming.selectors import municipality_of_request


class FiguresQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text="First day, local, YYYY-MM-DD. Omit both for the current period."
    )
    end = serializers.DateField(
        required=False, help_text="Last day, local, included. At most ten years after the start."
    )

    def validate(self, data):
        data["window"] = selectors.figures_window(
            municipality=self.context["municipality"], start=data.get("start"), end=data.get("end")
        )
        return data


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


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
    value = serializers.IntegerField()


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


class ReportDraftsPermission(CapabilityPermission):
    read = "welcoming.view_report_drafts"


class ReportViewSet(viewsets.GenericViewSet):
    """The semiannual report of clause 4."""

    permission_classes = [permissions.IsAuthenticated, ReportDraftsPermission]
    serializer_class = FiguresSerializer

    @extend_schema(parameters=[FiguresQuerySerializer], responses=FiguresSerializer)
    @action(detail=False, methods=["get"])
    def figures(self, request):
        """The four figures of clause 4(a)–(d) and the supplement, live from the records, for local dates
        `start` to `end` (both included); the same document as a report's JSON download."""
        municipality = municipality_of_request(request)
        if municipality is None:
            raise NotFound("The municipality profile is not set up yet.")
        query = FiguresQuerySerializer(data=request.query_params, context={"municipality": municipality})
        query.is_valid(raise_exception=True)
        document = selectors.figures(municipality=municipality, window=query.validated_data["window"])
        return Response(FiguresSerializer(document).data)
