from django.urls import path, re_path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.periods, name="periods"),
    path("figures/", views.figures, name="figures"),
    path("figures/records/", views.figure_records, name="figure-records"),
    re_path(r"^figures\.(?P<fmt>json|csv)$", views.figures_download, name="figures-download"),
]
