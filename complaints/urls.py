from django.urls import path

from complaints import public_views, views

app_name = "complaints"
urlpatterns = [
    # The public side: no sign-in
    path("new/", public_views.new, name="public-new"),
    path("new/done/", public_views.done, name="public-done"),
    path("status/", public_views.status, name="public-status"),
    path("receipt/", public_views.receipt, name="public-receipt"),
    path("poster.pdf", public_views.poster, name="public-poster"),
    # The staff side
    path("", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/post/", views.post_forward, name="post-forward"),
    path("<int:pk>/link-record/", views.link_record, name="link-record"),
    path("<int:pk>/link-finding/", views.link_finding, name="link-finding"),
    path("<int:pk>/people/new/", views.person_new, name="person-new"),
    path("<int:pk>/allegations/new/", views.allegation_new, name="allegation-new"),
    path("<int:pk>/allegations/<int:allegation_pk>/", views.allegation_dispose, name="allegation-dispose"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/letters/<str:kind>/", views.letter_page, name="letter-page"),
    path("<int:pk>/letters/<str:kind>/write/", views.letter_write, name="letter-write"),
    path("<int:pk>/letters/<str:kind>/final/", views.letter_final, name="letter-final"),
    path("<int:pk>/letters/<str:kind>/sent/", views.letter_send, name="letter-send"),
    path("<int:pk>/letters/<str:kind>.pdf", views.letter, name="letter"),
]
