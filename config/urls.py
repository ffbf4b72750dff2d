"""The root URLs: every app's pages, and every API route, so that grepping here finds `/api/v1/detainers/`."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from certifications import api as certifications_api
from complaints import api as complaints_api
from complaints import public_api
from detainers import api as detainers_api
from reports import api as reports_api
from traffic import api as traffic_api
from welcoming import api as welcoming_api
from welcoming import views

router = DefaultRouter()
router.include_format_suffixes = False
for prefix, viewset, basename in [
    ("tokens", welcoming_api.ApiTokenViewSet, "token"),
    ("findings", welcoming_api.FindingViewSet, "finding"),
    ("persons", detainers_api.PersonViewSet, "person"),
    ("custody-records", detainers_api.CustodyViewSet, "custody"),
    ("detainers", detainers_api.DetainerViewSet, "detainer"),
    ("information-requests", detainers_api.InformationRequestViewSet, "information-request"),
    ("access-requests", detainers_api.AccessRequestViewSet, "access-request"),
    ("assistance-requests", detainers_api.AssistanceRequestViewSet, "assistance-request"),
    ("reimbursements", detainers_api.ReimbursementViewSet, "reimbursement"),
    ("u-visa-requests", certifications_api.UVisaRequestViewSet, "u-visa-request"),
    ("traffic-stops", traffic_api.StopViewSet, "traffic-stop"),
    ("complaints", complaints_api.ComplaintViewSet, "complaint"),
    ("public-complaints", public_api.PublicComplaintViewSet, "public-complaint"),
    ("reports", reports_api.ReportViewSet, "report"),
    ("meetings", reports_api.MeetingViewSet, "meeting"),
    ("docket", reports_api.DocketViewSet, "docket"),
]:
    router.register(prefix, viewset, basename=basename)

api_patterns = [
    path("v1/me/", welcoming_api.me, name="me"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", include("welcoming.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/set-language/", views.set_language, name="set_language"),
    path("api/", include((api_patterns, "api"))),
    path("police/", include("detainers.urls")),
    path("reports/", include("reports.urls")),
    path("complaints/", include("complaints.urls")),
    path("u-visa/", include("certifications.urls")),
    path("traffic/", include("traffic.urls")),
    path("public/", include("reports.urls_public")),
    path("admin/", admin.site.urls),
]

handler400 = "welcoming.views.bad_request"
handler404 = "welcoming.views.not_found"
handler500 = "welcoming.views.server_error"
