from django.urls import path, re_path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.periods, name="periods"),
    path("periods/<int:number>/", views.report, name="report"),
    path("signed/<int:pk>/", views.report_version, name="report-version"),
    path("signed/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("signed/<int:pk>/figures.json", views.report_json, name="report-json"),
    path("figures/", views.figures, name="figures"),
    path("figures/records/", views.figure_records, name="figure-records"),
    re_path(r"^figures\.(?P<fmt>json|csv)$", views.figures_download, name="figures-download"),
]
