"""The public complaint page, the receipt and the status lookup (no sign-in, in the visitor's language), and the
public API that files a complaint with the same validation and limits."""

import re
import subprocess
import time
from datetime import UTC

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent
from tests.conftest import A_PDF
from welcoming import rate_limits
from welcoming.models import Attachment, Notification
from welcoming.roles import Role

NEW = reverse("complaints:public-new")
STATUS = reverse("complaints:public-status")
RECEIPT = reverse("complaints:public-receipt")
API = "/api/v1/public-complaints/"
PDF = A_PDF


def visitor(language="en", address="203.0.113.7"):
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def complaint_data(**overrides):
    return {
        "narrative": "At a traffic stop the officer asked if I had papers.",
        "what_happened": ["2(b)", "2(a)"],
        "department": "police",
        "about": "officers",
        "incident_place": "Harbor Street",
        "complainant_name": "Ana Pereira",
        "complainant_contact": "ana@example.org",
        **overrides,
    }


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_a_resident_files_in_portuguese_and_leaves_with_a_code_a_pin_and_a_receipt(
    municipality, staff, coordinator, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = visitor("pt-br")
    page = client.get(NEW).content.decode()
    assert 'lang="pt-br"' in page and "Registrar uma reclamação" in page
    assert "Nada do que você nos contar é compartilhado com as autoridades de imigração." in page
    data = complaint_data(files=[SimpleUploadedFile("multa.pdf", PDF)])
    response = client.post(NEW, data, follow=True)
    complaint = Complaint.objects.get()
    done = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("complaints:public-done")
    assert complaint.tracking_code in done and "Sua reclamação foi enviada" in done
    pin = done.split('name="pin" value="')[1].split('"')[0]
    assert (complaint.language, complaint.channel, complaint.clauses) == ("pt-br", "online", ["2(a)", "2(b)"])
    assert complaint.alleges_bias and complaint.acknowledged_at == complaint.received_at
    assert Attachment.objects.get().original_name == "multa.pdf"
    assert Notification.objects.filter(recipient=coordinator, event="new_complaint").exists()
    # The PIN is shown once.
    assert pin not in client.get(reverse("complaints:public-done")).content.decode()
    receipt = client.post(RECEIPT, {"tracking_code": complaint.tracking_code, "pin": pin})
    assert receipt["Content-Type"] == "application/pdf" and "no-store" in receipt["Cache-Control"]
    text = _pdf_text(receipt.content, tmp_path)
    for shown in [complaint.tracking_code, pin, "Comprovante da sua reclamação", "Página 1 de"]:
        assert shown in text, shown
    # How to reach the office, in her language: its own telephone, address and hours.
    for shown in ["Telefone: (555) 010-4400", "City Hall, Room 204", "Aberto de segunda a sexta, das 09:00 às 17:00"]:
        assert shown in " ".join(text.split()), shown


def test_until_the_office_has_its_own_telephone_the_public_pages_give_the_town_halls(municipality, staff, client_of):
    municipality.complaints_office_phone = ""
    municipality.save()
    page = visitor("es").get(STATUS).content.decode()
    assert "Teléfono: (555) 010-4000 (la línea principal del ayuntamiento)" in page
    admin = client_of(staff[Role.ADMINISTRATOR]).get(reverse("welcoming:home")).content.decode()
    assert "the public pages, receipts, letters and poster lack its telephone." in admin
    assert "Until it has one, they give the town hall's main line." in admin


@pytest.mark.parametrize(
    ("language", "heading"),
    [("zh-hans", "您的投诉收据"), ("vi", "Biên nhận khiếu nại của quý vị"), ("ht", "Resi pou plent ou")],
)
def test_the_receipt_renders_in_every_script(language, heading, municipality, tmp_path):
    client = visitor(language)
    done = client.post(NEW, complaint_data(), follow=True).content.decode()
    pin = done.split('name="pin" value="')[1].split('"')[0]
    code = Complaint.objects.get().tracking_code
    assert heading in _pdf_text(client.post(RECEIPT, {"tracking_code": code, "pin": pin}).content, tmp_path)


@pytest.mark.parametrize(
    ("data", "language", "message"),
    [
        ({"narrative": ""}, "es", "Por favor, complete este campo."),
        ({"anonymous": "on"}, "es", "Eligió permanecer en el anonimato"),
        ({"complainant_name": "<script>alert(1)</script>"}, "es", "Quite el HTML o el script"),
        ({"narrative": "My A number is A-123-456-789"}, "zh-hans", "外国人登记号码"),
        ({"incident_date": "yesterday"}, "vi", "Vui lòng nhập ngày"),
        ({"department": "moon"}, "ht", "Tanpri chwazi youn nan opsyon yo."),
    ],
)
def test_bad_input_is_answered_in_the_visitors_language_with_everything_kept(municipality, data, language, message):
    response = visitor(language).post(NEW, complaint_data(**data))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Harbor Street" in page and "ana@example.org" in page  # what was typed is still there
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (12 * 1024 * 1024))], "huge.pdf” es demasiado grande"),
        ([SimpleUploadedFile("fake.pdf", b"MZ not a pdf")], "fake.pdf” no es un archivo PDF, JPEG ni PNG"),
        ([SimpleUploadedFile(f"p{n}.pdf", PDF) for n in range(4)], "Adjunte como máximo 3 archivos."),
    ],
)
def test_files_are_checked_by_size_content_and_count_and_nothing_is_half_saved(
    municipality, files, message, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    response = visitor("es").post(NEW, complaint_data(files=files))
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "Debe volver a elegir los archivos." in page
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert not any(tmp_path.rglob("*"))  # no file left behind on disk


def test_script_in_the_narrative_is_kept_as_text_and_shown_escaped(municipality, staff, coordinator):
    visitor().post(NEW, complaint_data(narrative="<script>alert('x')</script> and then"))
    complaint = Complaint.objects.get()
    assert complaint.narrative.startswith("<script>")
    client = Client()
    from tests.conftest import sign_in_verified

    page = sign_in_verified(client, coordinator).get(complaint.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; and then" in page and "<script>alert" not in page


def test_a_flood_from_one_address_is_stopped_and_the_address_is_never_stored(municipality):
    client = visitor("es", address="198.51.100.23")
    for _ in range(5):
        assert client.post(NEW, complaint_data()).status_code == 302
    refused = client.post(NEW, complaint_data())
    assert refused.status_code == 429 and "Se enviaron muchas quejas desde esta conexión" in refused.content.decode()
    assert Complaint.objects.count() == 5
    assert visitor("es", address="198.51.100.24").post(NEW, complaint_data()).status_code == 302  # others go on
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and not any("198.51.100" in key for key in keys)
    stored = [str(value) for c in Complaint.objects.values() for value in c.values()]
    stored += [str(value) for e in ComplaintEvent.objects.values() for value in e.values()]
    assert not any("198.51.100" in value for value in stored)


def test_the_honeypot_turns_a_bot_away_and_saves_nothing(municipality):
    response = visitor().post(NEW, complaint_data(entry_reference="http://spam.example"))
    assert response.status_code == 400 and not Complaint.objects.exists()


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting each time a PIN is hashed or checked."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def test_the_status_lookup_answers_a_wrong_code_and_a_wrong_pin_alike(municipality, settings):
    settings.PASSWORD_HASHERS = ["tests.complaints.test_public.CountingHasher"]
    client = visitor("es")
    done = client.post(NEW, complaint_data(), follow=True).content.decode()
    pin = done.split('name="pin" value="')[1].split('"')[0]
    code = Complaint.objects.get().tracking_code
    found = client.post(STATUS, {"tracking_code": code.lower().replace("-", ""), "pin": pin})
    assert found.status_code == 200 and "Estado: Recibida" in found.content.decode()
    answers = []
    wrong_pin = "000000" if pin != "000000" else "111111"
    for wrong in [{"tracking_code": code, "pin": wrong_pin}, {"tracking_code": "ZZZZ-ZZZZ-ZZZZ", "pin": pin}]:
        CountingHasher.calls = 0
        with CaptureQueriesContext(connection) as queries:
            response = visitor("es").post(STATUS, wrong)
        # The same page, but for the code typed (echoed back in its field) and the form's CSRF tokens.
        body = re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode().replace(wrong["tracking_code"], "…"))
        answers.append((response.status_code, CountingHasher.calls, len(queries), body))
    assert answers[0] == answers[1]
    assert answers[0][:2] == (404, 1)  # the hasher ran once for the missing code too
    assert "No encontramos ninguna queja con ese código de seguimiento y ese PIN." in answers[0][3]


def test_lookups_are_throttled_by_address(municipality):
    client = visitor(address="192.0.2.50")
    for _ in range(10):
        assert client.post(STATUS, {"tracking_code": "AAAA-BBBB-CCCC", "pin": "123456"}).status_code == 404
    assert client.post(STATUS, {"tracking_code": "AAAA-BBBB-CCCC", "pin": "123456"}).status_code == 429
    assert client.post(RECEIPT, {"tracking_code": "AAAA-BBBB-CCCC", "pin": "123456"}).status_code == 429


def test_the_public_api_files_a_complaint_with_the_same_rules(municipality):
    client = Client(REMOTE_ADDR="203.0.113.99", HTTP_ACCEPT_LANGUAGE="es")
    response = client.post(API, complaint_data(), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"tracking_code", "pin", "status"} and body["status"] == "received"
    assert Complaint.objects.get().language == "es"
    bad = client.post(API, complaint_data(narrative=""), content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["errors"]["narrative"][0]["message"] == "Por favor, complete este campo."
    # A form another site's page could make a visitor's browser send is refused: JSON only.
    refused = client.post(API, complaint_data())
    assert refused.status_code == 415
    assert Complaint.objects.count() == 1
    assert "no-store" in response["Cache-Control"]


def test_the_public_api_refuses_a_list_or_a_non_text_value_where_text_belongs_and_saves_nothing(municipality):
    # Schemathesis sent `"incident_date": [null, null]`, then `false`: the form's date field got a Python list or
    # a bool, not the text the page posts, and answered 500. Later `"narrative": false`, which the form took
    # for the text "False".
    client = Client(REMOTE_ADDR="203.0.113.98")
    bad = client.post(API, complaint_data(incident_date=[None, None]), content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {
        "incident_date": [{"message": "Give one value here, not a list.", "code": "invalid"}]
    }
    wrong_types = {"narrative": False, "anonymous": "yes", "what_happened": "2(e)", "incident_date": "05/31/2026"}
    refused = client.post(API, complaint_data(**wrong_types), content_type="application/json")
    assert refused.status_code == 400
    assert {name: problems[0]["message"] for name, problems in refused.json()["errors"].items()} == {
        "narrative": "Give this as text, in quotes.",
        "anonymous": "Give true or false here.",
        "what_happened": "Give a list of the options here.",
        "incident_date": "Please enter a date, like 2026-05-31.",
    }
    not_an_object = client.post(API, [complaint_data()], content_type="application/json")
    assert not_an_object.status_code == 400 and "__all__" in not_an_object.json()["errors"]
    assert not Complaint.objects.exists()


def test_the_public_api_answers_422_for_what_only_the_forms_rules_refuse(municipality):
    client = Client(REMOTE_ADDR="203.0.113.97")
    named = client.post(API, complaint_data(anonymous=True, complainant_name="Ana"), content_type="application/json")
    assert named.status_code == 422 and list(named.json()["errors"]) == ["complainant_name"]
    too_long = client.post(API, complaint_data(person_badge="1" * 31), content_type="application/json")
    assert too_long.status_code == 400 and list(too_long.json()["errors"]) == ["person_badge"]
    assert not Complaint.objects.exists()


def test_the_staff_see_a_public_complaint_awaiting_triage(municipality, staff, coordinator, client_of):
    visitor().post(NEW, complaint_data())
    complaint = Complaint.objects.get()
    queue = client_of(coordinator).get(reverse("complaints:queue")).content.decode()
    assert complaint.tracking_code in queue
    assert client_of(staff[Role.INTERNAL_AFFAIRS]).get(complaint.get_absolute_url()).status_code == 404


# --- Limits, kept honestly --------------------------------------------------------------------------------------


def test_a_count_lasts_until_its_window_ends_however_many_hits(db):
    from datetime import timedelta

    from django.utils import timezone

    from welcoming import rate_limits

    window = timedelta(hours=1)
    for _ in range(3):
        rate_limits.hit("probe", "203.0.113.1", window=window)
    number, remaining = rate_limits._window(window)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM cache WHERE cache_key LIKE %s", ["%rate:probe:%"])
        (expires,) = cursor.fetchone()
    expires = expires if hasattr(expires, "tzinfo") and expires.tzinfo else timezone.make_aware(expires, UTC)
    seconds_left = (expires - timezone.now()).total_seconds()
    assert abs(seconds_left - remaining) < 5  # not the cache's default five minutes
    assert rate_limits.count("probe", "203.0.113.1", window=window) == 3


def test_behind_the_proxy_each_visitor_counts_by_the_address_the_proxy_saw(municipality, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = "10.0.0.5"
    for n in range(5):
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, 198.51.100.{n}")
        assert client.post(NEW, complaint_data()).status_code == 302
    # The same visitor again and again is stopped, whatever she puts first in the header herself.
    flooder = [Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 198.51.100.200") for n in range(6)]
    statuses = [client.post(NEW, complaint_data()).status_code for client in flooder]
    assert statuses == [302] * 5 + [429]


def test_wrong_pins_for_one_code_slow_it_to_a_try_an_hour_and_the_right_pin_still_opens_it(municipality, monkeypatch):
    """Ten wrong PINs from anywhere do not close the code for the day, which would let whoever knows a code keep its
    owner out: they slow it to one try an hour, and the page gives the office's telephone."""
    # The day's count starts afresh at midnight UTC, so the clock starts at 10:00 today, two hours before none.
    now = time.time() // 86400 * 86400 + 10 * 3600
    monkeypatch.setattr(rate_limits, "clock", lambda: now)
    client = visitor()
    done = client.post(NEW, complaint_data(), follow=True).content.decode()
    pin = done.split('name="pin" value="')[1].split('"')[0]
    code = Complaint.objects.get().tracking_code
    wrong = "000000" if pin != "000000" else "111111"
    for n in range(10):
        assert visitor(address=f"192.0.2.{n}").post(STATUS, {"tracking_code": code, "pin": wrong}).status_code == 404
    refused = visitor(address="192.0.2.99").post(STATUS, {"tracking_code": code, "pin": pin})
    page = refused.content.decode()
    assert refused.status_code == 429 and "one try an hour" in page
    assert municipality.complaints_office_phone and municipality.complaints_office_phone in page

    monkeypatch.setattr(rate_limits, "clock", lambda: now + 3600)  # the next hour
    assert visitor(address="192.0.2.98").post(STATUS, {"tracking_code": code, "pin": wrong}).status_code == 404
    assert visitor(address="192.0.2.97").post(STATUS, {"tracking_code": code, "pin": pin}).status_code == 429
    monkeypatch.setattr(rate_limits, "clock", lambda: now + 7200)  # and the one after: the owner gets in
    answer = visitor(address="192.0.2.96").post(STATUS, {"tracking_code": code, "pin": pin})
    assert answer.status_code == 200 and answer.context["complaint"].tracking_code == code


def test_the_pin_is_not_shown_once_its_ten_minutes_are_up(municipality):
    client = visitor()
    client.post(NEW, complaint_data())
    session = client.session
    session["complaint_receipt"]["until"] = 0
    session.save()
    page = client.get(reverse("complaints:public-done")).content.decode()
    assert "Nothing to show here" in page and Complaint.objects.get().tracking_code not in page


def test_an_error_in_the_person_involved_is_marked_beside_that_field(municipality):
    page = visitor("es").post(NEW, complaint_data(person_name="<b>Officer</b>")).content.decode()
    assert 'id="id_person_name-error-1"' in page and "Quite el HTML o el script" in page
    future = visitor("vi").post(NEW, complaint_data(incident_date="2099-01-01")).content.decode()
    assert "Ngày này ở tương lai" in future
    assert not Complaint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_fails_does_not_lose_the_complaint_or_its_pin(municipality, make_staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    coordinator = make_staff("mail-coordinator", Role.COMPLAINTS_COORDINATOR)
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    response = visitor().post(NEW, complaint_data(), follow=True)
    assert response.status_code == 200 and "Your complaint was sent" in response.content.decode()
    assert Complaint.objects.count() == 1
    assert Notification.objects.get(recipient=coordinator).emailed_at is None  # to be sent when mail works again
