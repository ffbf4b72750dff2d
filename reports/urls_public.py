from django.urls import path

from reports import public_views

app_name = "public"

urlpatterns = [
    path("docket/", public_views.docket, name="docket"),
    path("docket/<str:number>/document.pdf", public_views.docket_pdf, name="docket-pdf"),
    path("figures/", public_views.figures, name="figures"),
]
