"""The pages speak in the municipality's words; dashboards, the ordinance, notifications and languages."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import sign_in_verified
from welcoming.models import Notification
from welcoming.notifications import notify
from welcoming.ordinance import CLAUSES
from welcoming.roles import Role

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDERS = [
    "[city or town]",
    "[City or town]",
    "[city/town]",
    "[City/Town]",
    "[corresponding department]",
    "[Mayor or other executive]",
    "[Public Safety Committee",
]

STAFF_PAGES = [
    "welcoming:home",
    "welcoming:ordinance",
    "welcoming:notifications",
    "welcoming:tokens",
    "welcoming:password-change",
]


def test_no_template_or_message_carries_a_placeholder_of_the_model_ordinance():
    files = [
        *ROOT.joinpath("templates").rglob("*.html"),
        *ROOT.joinpath("welcoming").rglob("*.py"),
        *ROOT.joinpath("locale").rglob("*.po"),
    ]
    offenders = [str(path.relative_to(ROOT)) for path in files if any(p in path.read_text() for p in PLACEHOLDERS)]
    assert not offenders


@pytest.mark.parametrize("role", list(Role))
def test_every_page_a_role_opens_names_the_municipality(client, municipality, make_staff, role):
    sign_in_verified(client, make_staff("someone", role))
    for name in STAFF_PAGES + (
        ["welcoming:findings"] if role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF) else []
    ):
        body = client.get(reverse(name)).content.decode()
        assert "City of Harborview" in body, name
        assert not any(p in body for p in PLACEHOLDERS), name


def test_the_public_sign_in_page_names_the_municipality(client, municipality):
    body = client.get(reverse("welcoming:login")).content.decode()
    assert "City of Harborview" in body and "Harborview Police Department" in body


def test_before_configuration_pages_use_neutral_words(client, db):
    body = client.get(reverse("welcoming:login")).content.decode()
    assert "The municipality" in body and "[" not in body.split("<main")[0].split("<header")[1][:2000]


def test_the_ordinance_page_shows_every_clause_in_the_towns_words(client, municipality, clerk):
    sign_in_verified(client, clerk)
    body = client.get(reverse("welcoming:ordinance")).content.decode()
    for clause in CLAUSES:
        assert f'id="{clause.anchor}"' in body and clause.title in body
    assert "The Harborview Police Department does not give federal officers" in body
    assert "the Chief of Police reports to the City Clerk" in body
    assert "Public Safety Committee of the City Council" in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.RECORDS_CLERK, ["Record detainers", "No open findings"]),
        (Role.INTERNAL_AFFAIRS, ["Investigate police complaints", "No open findings"]),
        (Role.POLICE_CHIEF, ["Sign the semiannual report", "No open findings"]),
        (Role.CERTIFYING_OFFICIAL, ["Read and decide U visa"]),
        (Role.COMPLAINTS_COORDINATOR, ["Triage every complaint"]),
        (Role.MUNICIPAL_CLERK, ["Receive the signed report"]),
        (Role.COUNCIL_STAFF, ["Read meetings, agendas"]),
        (Role.ADMINISTRATOR, ["Manage users and roles", "Profile: ", "City of Harborview", "Audit log"]),
    ],
)
def test_each_role_lands_on_a_dashboard_for_its_work(client, municipality, make_staff, role, expected):
    sign_in_verified(client, make_staff("someone", role))
    body = client.get(reverse("welcoming:home")).content.decode()
    for text in expected:
        assert text in body, text


def test_a_user_with_two_roles_sees_both_dashboards(client, municipality, make_staff):
    sign_in_verified(client, make_staff("both", Role.RECORDS_CLERK, Role.COMPLAINTS_COORDINATOR))
    body = client.get(reverse("welcoming:home")).content.decode()
    assert "Record detainers" in body and "Triage every complaint" in body


def test_the_menu_shows_only_what_the_role_may_use(client, municipality, make_staff):
    sign_in_verified(client, make_staff("council", Role.COUNCIL_STAFF))
    body = client.get(reverse("welcoming:home")).content.decode()
    assert 'href="/findings/"' not in body and 'href="/admin/"' not in body
    assert 'href="/ordinance/"' in body


def test_a_notification_is_listed_opened_and_marked_read(client, clerk, municipality):
    notify(
        recipients=[clerk],
        event=Notification.Event.REPORT_SIGNED,
        subject="The report was signed",
        link=reverse("welcoming:ordinance"),
    )
    sign_in_verified(client, clerk)
    home = client.get(reverse("welcoming:home")).content.decode()
    assert "1 unread" in home
    page = client.get(reverse("welcoming:notifications")).content.decode()
    assert "The report was signed" in page and "New" in page
    notification = Notification.objects.get()
    response = client.post(reverse("welcoming:notification-open", args=[notification.pk]))
    assert response.url == reverse("welcoming:ordinance")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "unread" not in client.get(reverse("welcoming:home")).content.decode()


def test_the_unread_badge_counts_to_99_then_says_more(client, clerk, municipality):
    def notify_times(n):
        for _ in range(n):
            notify(recipients=[clerk], event=Notification.Event.REPORT_SIGNED, subject="Signed", link="/")

    notify_times(99)
    sign_in_verified(client, clerk)
    assert 'aria-label="99 unread">99</span>' in client.get(reverse("welcoming:home")).content.decode()
    home = client.get(reverse("welcoming:home")).content.decode()
    assert "You have 99 unread notifications." in home
    notify_times(2)
    home = client.get(reverse("welcoming:home")).content.decode()
    assert 'aria-label="99+ unread">99+</span>' in home and "You have more than 99 unread notifications." in home


def test_nobody_opens_another_persons_notification(client, clerk, make_staff):
    other = make_staff("other", Role.RECORDS_CLERK)
    [notification] = notify(recipients=[other], event="report_signed", subject="Private to other")
    sign_in_verified(client, clerk)
    assert client.post(reverse("welcoming:notification-open", args=[notification.pk])).status_code == 404
    assert "Private to other" not in client.get(reverse("welcoming:notifications")).content.decode()


def test_the_notifications_list_takes_a_fixed_number_of_queries(client, clerk, django_assert_num_queries):
    sign_in_verified(client, clerk)
    client.get(reverse("welcoming:home"))
    notify(recipients=[clerk], event="report_signed", subject="one")
    with django_assert_num_queries(9) as captured:
        client.get(reverse("welcoming:notifications"))
    for n in range(30):
        notify(recipients=[clerk], event="report_signed", subject=f"more {n}")
    with django_assert_num_queries(len(captured)):
        assert len(client.get(reverse("welcoming:notifications")).context["page"].object_list) == 25


@pytest.mark.parametrize(
    ("language", "heading"),
    [("es", "Iniciar sesión"), ("pt-br", "Entrar"), ("ht", "Konekte"), ("zh-hans", "登录"), ("vi", "Đăng nhập")],
)
def test_the_public_sign_in_page_switches_language(client, db, language, heading):
    response = client.post(
        reverse("set_language"), {"language": language, "next": reverse("welcoming:login")}, follow=True
    )
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert f'lang="{language}"' in body


def test_a_field_shows_the_clause_that_governs_it(db):
    from django import forms
    from django.template.loader import render_to_string

    class ServedForm(forms.Form):
        copy_served_at = forms.DateTimeField(help_text="When the person was handed a copy.")
        copy_served_at.clause = "2(g)"

    html = render_to_string("partials/field.html", {"field": ServedForm()["copy_served_at"]})
    assert 'href="/ordinance/#clause-2g"' in html and "Clause 2(g): A copy for the person" in html
    assert 'aria-describedby="id_copy_served_at-hint"' in html
