from django.urls import path, re_path, register_converter

from reports import docket_views, views


class PeriodConverter:
    """A period's address counts from 1, as its name does ("Period 5" is /reports/periods/5/); the code counts
    from 0, the period beginning on the date of passage."""

    regex = "[1-9][0-9]{0,3}"

    def to_python(self, value: str) -> int:
        return int(value) - 1

    def to_url(self, number: int) -> str:
        return str(number + 1)


register_converter(PeriodConverter, "period")

app_name = "reports"

urlpatterns = [
    path("", views.periods, name="periods"),
    path("periods/<period:number>/", views.report, name="report"),
    path("periods/<period:number>/correct/", views.report_correct, name="report-correct"),
    path("signed/<int:pk>/", views.report_version, name="report-version"),
    path("signed/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("signed/<int:pk>/figures.json", views.report_json, name="report-json"),
    path("signed/<int:pk>/receive/", docket_views.report_receive, name="report-receive"),
    path("signed/<int:pk>/forward/", docket_views.report_forward, name="report-forward"),
    path("signed/<int:pk>/docket/", docket_views.report_docket, name="report-docket"),
    path("clerk/", docket_views.queue, name="clerk"),
    path("meetings/", docket_views.meetings, name="meetings"),
    path("meetings/new/", docket_views.meeting_new, name="meeting-new"),
    path("meetings/<int:pk>/", docket_views.meeting, name="meeting"),
    path("meetings/<int:pk>/posted/", docket_views.meeting_posted, name="meeting-posted"),
    path("meetings/<int:pk>/agenda/", docket_views.meeting_document, {"notice": False}, name="meeting-agenda"),
    path(
        "meetings/<int:pk>/agenda.pdf",
        docket_views.meeting_document,
        {"notice": False, "pdf": True},
        name="meeting-agenda-pdf",
    ),
    path("meetings/<int:pk>/notice/", docket_views.meeting_document, {"notice": True}, name="meeting-notice"),
    path(
        "meetings/<int:pk>/notice.pdf",
        docket_views.meeting_document,
        {"notice": True, "pdf": True},
        name="meeting-notice-pdf",
    ),
    path("docket/", docket_views.docket, name="docket"),
    path("docket/earlier-report/", docket_views.paper_report_new, name="paper-report-new"),
    path("docket/<str:number>/", docket_views.docket_item, name="docket-item"),
    path("docket/<str:number>/place/", docket_views.docket_place, name="docket-place"),
    path("docket/<str:number>/action/", docket_views.docket_action, name="docket-action"),
    path("docket/<str:number>/withdraw/", docket_views.docket_withdraw, name="docket-withdraw"),
    path("docket/<str:number>/paper.pdf", docket_views.docket_paper, name="docket-paper"),
    path("figures/", views.figures, name="figures"),
    path("figures/records/", views.figure_records, name="figure-records"),
    re_path(r"^figures\.(?P<fmt>json|csv)$", views.figures_download, name="figures-download"),
]
