from django.urls import path

from certifications import views

app_name = "certifications"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/decide/", views.request_decide, name="decide"),
    path("<int:pk>/letter.pdf", views.request_letter, name="letter"),
]
