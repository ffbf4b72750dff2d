"""Every page and file the public can reach, read in each language we promise: no English left on it (a string
never marked for translation, or a date spelled the English way), `lang` set, and dates and numbers written the
way a reader of that language writes them.

The catalogue check (test_translations.py) proves every *marked* message is translated; this one proves the pages
mark everything they show."""

import io
import re
import subprocess
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from complaints.models import Complaint
from reports import selectors as report_selectors
from reports.models import DocketItem, Meeting, Report
from welcoming import selectors

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]
ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# The same in every language: the languages' own names (the switcher), acronyms and codes.
SAME_IN_EVERY_LANGUAGE = {"PIN", "POST", "ICE", "PDF", "E-mail", "SHA-256"} | {
    translation.get_language_info(code)[key] for code, _ in settings.LANGUAGES for key in ("name", "name_local")
}


class _Text(HTMLParser):
    """What a reader sees or hears of a page: its text, and the attributes a screen reader or a tooltip reads."""

    SPOKEN = ("alt", "title", "placeholder", "aria-label")

    def __init__(self):
        super().__init__()
        self.pieces, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        self.pieces += [attrs[name] for name in self.SPOKEN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.pieces.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.pieces.append(data)


def shown(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces]


def pdf_text(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return [" ".join(line.split()) for line in text.stdout.splitlines() if line.strip()]


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def data_words(language: str) -> set[str]:
    """What the town and its records say, the same in every language (names, places, docket titles), and the
    periods as that language abbreviates them (Spanish writes "Jun 2024" too)."""
    profile = selectors.municipality_get()
    words = {str(value) for value in selectors.municipality_words(profile).values()}
    contact = selectors.office_contact(profile)  # an address and a web address read the same in every language
    words |= {*contact.address, contact.web, contact.phone}
    for item in DocketItem.objects.select_related("meeting"):
        words |= {item.number, item.title}
        if item.meeting:
            words |= {item.meeting.body, item.meeting.place}
    with translation.override(language):
        words |= {report_selectors.period_label(report) for report in Report.objects.all()}
    return {w for w in words if w}


def visit(language: str, tmp_path) -> dict[str, list[str]]:
    """Every public page and file, as a visitor reading `language` meets it."""
    address = f"198.51.100.{[code for code, _ in settings.LANGUAGES].index(language) + 1}"  # limits are per address
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    new, status = reverse("complaints:public-new"), reverse("complaints:public-status")
    pages = {
        "sign-in": client.get(reverse("welcoming:login")),
        "sign-in, sent empty": client.post(reverse("welcoming:login"), {"username": "", "password": ""}),
        "sign-in, refused": client.post(
            reverse("welcoming:login"), {"username": f"nobody-{address}", "password": "wrong"}
        ),
        "complaint form": client.get(new),
        "complaint form, with errors": client.post(new, {"incident_date": "yesterday", "department": "moon"}),
        "status lookup": client.get(status),
        "status lookup, refused": client.post(status, {"tracking_code": "0000-0000-0000", "pin": "000000"}),
        "public docket": client.get(reverse("public:docket")),
        "public figures": client.get(reverse("public:figures")),
        "a page that is not there": client.get("/public/nowhere/"),
    }
    filed = client.post(
        new,
        {
            "narrative": "At a traffic stop the officer asked if I had papers.",
            "what_happened": ["2(b)"],
            "department": "police",
            "about": "officers",
            "incident_date": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    pages["complaint sent"] = filed
    pin = filed.content.decode().split('name="pin" value="')[1].split('"')[0]
    code = Complaint.objects.order_by("-pk").values_list("tracking_code", flat=True).first()
    pages["status"] = client.post(status, {"tracking_code": code, "pin": pin})
    texts = {}
    for name, response in pages.items():
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        html = response.content.decode()
        lang = re.search(r'<html lang="([^"]+)"', html)
        assert lang and lang.group(1) == language, f"{name}: lang={lang and lang.group(1)}"
        texts[name] = shown(html)
    receipt = client.post(reverse("complaints:public-receipt"), {"tracking_code": code, "pin": pin})
    texts["receipt (PDF)"] = pdf_text(receipt.content, tmp_path)
    return texts


def english_left(theirs: list[str], english: list[str], keep: set[str]) -> list[str]:
    """Pieces that read exactly as on the English page and are words, not names, numbers or codes."""
    pieces = lambda text: {part.strip() for piece in text for part in piece.split(" · ")}  # noqa: E731
    same = pieces(theirs) & pieces(english)
    words = {piece for piece in same if re.search(r"[A-Za-z]{3,}", piece) and not re.fullmatch(r"[0-9a-f]{64}", piece)}
    return sorted(words - SAME_IN_EVERY_LANGUAGE - keep)


def test_every_public_page_and_file_is_in_the_visitors_language(demo, tmp_path):
    """One seeded town, read in English and then in each language (seeding it once per language would cost a
    minute for nothing)."""
    english, wrong = visit("en", tmp_path), {}
    for language in LANGUAGES:
        keep = data_words(language)
        for name, text in visit(language, tmp_path).items():
            left = english_left(text, english[name], keep)
            # A docket title is the clerk's own words, in English; a date the page writes is not.
            months = ENGLISH_MONTHS.findall(" ".join(piece for piece in text if piece not in keep))
            if left or months:
                wrong[f"{language}: {name}"] = left + months
    assert not wrong, wrong


READERS_WAY = {
    "en": ("Dec. 10, 2026, 7 p.m.", "$1,250.50"),
    "es": ("10 de diciembre de 2026 a las 19:00", "$1,250.50"),
    "pt-br": ("10 de dezembro de 2026 às 19:00", "$1.250,50"),
    "ht": ("10 desanm 2026, 19:00", "$1 250,50"),
    "zh-hans": ("2026年12月10日 19:00", "$1,250.50"),
    "vi": ("19:00 Ngày 10 tháng 12 năm 2026", "$1.250,50"),
}


def test_dates_and_amounts_are_written_the_readers_way(demo):
    """A meeting's date and time on the docket, and an amount in the figures (Haitian Creole groups thousands
    with a non-breaking space, which reads here as a space)."""
    item = DocketItem.objects.exclude(meeting=None).select_related("meeting").first()
    Meeting.objects.filter(pk=item.meeting_id).update(
        starts_at=datetime(2026, 12, 10, 19, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    )
    report = Report.objects.filter(docket_item__isnull=False).order_by("-period_start").first()
    report.snapshot["figures"]["reimbursements"]["total"] = "1250.50"
    Report.objects.filter(pk=report.pk).update(snapshot=report.snapshot)
    seen = {}
    for language in READERS_WAY:
        visitor = Client()
        visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        docket = " ".join(shown(visitor.get(reverse("public:docket")).content.decode()))
        figures = " ".join(shown(visitor.get(reverse("public:figures")).content.decode()))
        meeting, money = READERS_WAY[language]
        seen[language] = (
            meeting if meeting in docket else re.findall(r"\S+ \S+ 2026\S* \S+ \S+", docket),
            money if money in figures else re.findall(r"\$\S+(?: \d{3}[,.]\d\d)?", figures),
        )
    assert seen == READERS_WAY


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_every_public_page_links_the_complaint_form_and_its_status_in_the_readers_language(language, demo):
    """From the front door (the sign-in page), the docket, the figures and the complaint pages alike, a resident
    finds "File a complaint" and "Check a complaint's status", in her language."""
    client = Client(REMOTE_ADDR="198.51.100.77")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        links = {
            reverse("complaints:public-new"): translation.gettext("File a complaint"),
            reverse("complaints:public-status"): translation.gettext("Check a complaint's status"),
        }
    pages = [
        reverse("welcoming:login"),
        reverse("public:docket"),
        reverse("public:figures"),
        reverse("complaints:public-new"),
        reverse("complaints:public-status"),
        reverse("complaints:public-done"),
        "/public/nowhere/",
    ]
    for page in pages:
        html = client.get(page).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        for href, words in links.items():
            said = f"(?:{re.escape(words)}|{re.escape(escape(words))})"
            assert re.search(rf'href="{re.escape(href)}"[^>]*>{said}</a>', header), (page, words)
