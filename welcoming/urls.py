"""The core's pages: dashboards, the ordinance, findings, files, notifications and the account pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from welcoming import account_views, views

app_name = "welcoming"
urlpatterns = [
    path("", views.home, name="home"),
    path("ordinance/", views.ordinance, name="ordinance"),
    path("findings/", views.findings, name="findings"),
    path("findings/closures/", views.closures, name="closures"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/act/", views.finding_act, name="finding-act"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("accounts/sign-in/", account_views.SignInView.as_view(), name="login"),
    path("accounts/verify/", account_views.verify, name="verify"),
    path("accounts/enrol/", account_views.enrol, name="enrol"),
    path("accounts/enrol/qr.svg", account_views.enrol_qr, name="enrol-qr"),
    path("accounts/sign-out/", account_views.sign_out, name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password-change-done",
    ),
    path("accounts/tokens/", account_views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", account_views.token_revoke, name="token-revoke"),
]
