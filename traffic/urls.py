from django.urls import path

from traffic import views

app_name = "traffic"
urlpatterns = [
    path("", views.stop_list, name="list"),
    path("new/", views.stop_new, name="new"),
    path("<int:pk>/", views.stop_detail, name="detail"),
]
