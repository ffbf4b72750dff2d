from django.urls import path

from detainers import views

app_name = "detainers"
urlpatterns = [
    path("board/", views.release_board, name="board"),
    path("search/", views.search, name="search"),
    path("book/", views.book, name="book"),
    path("people/", views.person_list, name="person-list"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/book/", views.book_again, name="person-book"),
    path("people/<int:pk>/merge/", views.person_merge, name="person-merge"),
    path("custody/", views.custody_list, name="custody-list"),
    path("custody/<int:pk>/", views.custody_detail, name="custody-detail"),
    path("custody/<int:pk>/eligible/", views.custody_eligible, name="custody-eligible"),
    path("custody/<int:pk>/release/", views.custody_release, name="custody-release"),
    path("custody/<int:pk>/transfer/", views.custody_transfer, name="custody-transfer"),
    path("custody/<int:pk>/judicial-authority/", views.custody_judicial_authority, name="custody-judicial-authority"),
    path("judicial-authorities/<int:pk>/confirm/", views.judicial_authority_confirm, name="judicial-authority-confirm"),
    path("custody/<int:custody_pk>/detainers/new/", views.detainer_new, name="detainer-new"),
    path(
        "custody/<int:custody_pk>/information-requests/new/",
        views.information_request_new,
        name="information-request-new",
    ),
    path("custody/<int:custody_pk>/access-requests/new/", views.access_request_new, name="access-request-new"),
    path("detainers/", views.detainer_list, name="detainer-list"),
    path("detainers/<int:pk>/", views.detainer_detail, name="detainer-detail"),
    path("detainers/<int:pk>/copy-served/", views.detainer_copy_served, name="detainer-copy-served"),
    path("detainers/<int:pk>/lift/", views.detainer_lift, name="detainer-lift"),
    path("detainers/<int:pk>/respond/", views.detainer_respond, name="detainer-respond"),
    path("detainers/<int:pk>/attach/", views.detainer_attach, name="detainer-attach"),
    path("information-requests/", views.information_request_list, name="information-request-list"),
    path("information-requests/<int:pk>/", views.information_request_detail, name="information-request-detail"),
    path(
        "information-requests/<int:pk>/letter.pdf", views.information_request_letter, name="information-request-letter"
    ),
    path("access-requests/", views.access_request_list, name="access-request-list"),
    path("access-requests/<int:pk>/", views.access_request_detail, name="access-request-detail"),
    path("assistance-requests/", views.assistance_request_list, name="assistance-request-list"),
    path("assistance-requests/new/", views.assistance_request_new, name="assistance-new"),
    path("assistance-requests/<int:pk>/", views.assistance_request_detail, name="assistance-request-detail"),
    path("reimbursements/", views.reimbursement_list, name="reimbursement-list"),
    path("reimbursements/new/", views.reimbursement_new, name="reimbursement-new"),
    path("reimbursements/<int:pk>/", views.reimbursement_detail, name="reimbursement-detail"),
    path("void/<str:kind>/<int:pk>/", views.record_void, name="void"),
    path("import/", views.import_records, name="import"),
    path("import/format/", views.import_format, name="import-format"),
    path("import/records-sample.csv", views.import_sample, name="import-sample"),
]
