"""The core's API: who am I, and API tokens (issued only from a session verified with a one-time code)."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from welcoming import selectors
from welcoming.accounts import api_token_issue, api_token_revoke
from welcoming.api_support import AuditedLooksMixin, CapabilityPermission, FilterSet, IdFilter, VersionedRecordMixin
from welcoming.authentication import VerifiedSessionAuthentication
from welcoming.findings import FINDING_ACTIONS, finding_act
from welcoming.models import ApiToken, Finding


class ApiTokenSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key_prefix",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "status",
        ]
        read_only_fields = fields

    def get_status(self, token) -> str:
        return token.status(self.context["now"])


class ApiTokenIssueSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class IssuedKeySerializer(ApiTokenSerializer):
    key = serializers.CharField(help_text="Shown once: keep it safe, it cannot be shown again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


class FromVerifiedSession(permissions.BasePermission):
    """A token cannot mint tokens: issuing needs a browser session that passed its one-time code."""

    message = "API tokens are issued only from a signed-in session verified with a one-time code."

    def has_permission(self, request, view):
        return isinstance(request.successful_authenticator, VerifiedSessionAuthentication)


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your own API tokens. DELETE revokes a token (it stays listed, as revoked)."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.api_tokens_of(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated(), FromVerifiedSession()]
        return super().get_permissions()

    @extend_schema(request=ApiTokenIssueSerializer, responses={201: IssuedKeySerializer})
    def create(self, request):
        payload = ApiTokenIssueSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        token, key = api_token_issue(
            user=request.user, name=payload.validated_data["name"], lifetime=settings.API_TOKEN_LIFETIME
        )
        token.key = key
        return Response(
            IssuedKeySerializer(token, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        api_token_revoke(token=instance)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in user and their roles."""
    roles = [role.value for role in selectors.user_roles(request.user)]
    return Response({"username": request.user.get_username(), "roles": roles})


# --- Findings -----------------------------------------------------------------------------------------------


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = [
            "id",
            "record_type",
            "record_id",
            "section",
            "code",
            "severity",
            "message",
            "facts",
            "status",
            "opened_at",
            "occurred_at",
            "status_changed_at",
            "status_changed_by",
            "status_reason",
        ]
        read_only_fields = fields


class FindingActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(FINDING_ACTIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FindingsPermission(CapabilityPermission):
    read = "welcoming.view_findings"
    write = "welcoming.act_on_findings"


class FindingFilter(FilterSet):
    record_id = IdFilter()

    class Meta:
        model = Finding
        fields = ["status", "severity", "section", "record_type", "record_id"]


class FindingViewSet(
    AuditedLooksMixin, VersionedRecordMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What the rules found: read by the police side; acknowledged, dismissed or referred by internal affairs and
    the chief."""

    serializer_class = FindingSerializer
    permission_classes = [permissions.IsAuthenticated, FindingsPermission]
    filterset_class = FindingFilter
    queryset = Finding.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.findings_for(user=self.request.user)

    @extend_schema(request=FindingActSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request, pk=None):
        payload = FindingActSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        finding, note = self.get_object(), payload.validated_data["note"]
        finding_act(finding=finding, by=request.user, action=payload.validated_data["action"], note=note)
        return Response(self.get_serializer(finding).data)
