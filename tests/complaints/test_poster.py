"""The printable poster for the station lobby and town hall: a page in each language, each with the office's
contact and a QR code that a phone reads as the complaint form's address in that language."""

import io
import subprocess

import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader


def _page_text(path, number) -> str:
    run = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"], capture_output=True)
    return " ".join(run.stdout.decode().split())


def _page_codes(path, number, tmp_path) -> list[str]:
    image = tmp_path / f"page-{number}"
    subprocess.run(
        ["pdftoppm", "-r", "100", "-f", str(number), "-l", str(number), "-png", "-singlefile", str(path), str(image)],
        check=True,
    )
    return [found.text for found in zxingcpp.read_barcodes(Image.open(f"{image}.png"))]


def test_each_page_of_the_poster_is_in_its_language_with_a_qr_code_to_the_form_in_it(municipality, tmp_path):
    response = Client().get(reverse("complaints:public-poster"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    assert len(PdfReader(path).pages) == len(settings.LANGUAGES)
    for number, (code, _name) in enumerate(settings.LANGUAGES, start=1):
        text = _page_text(path, number)
        with translation.override(code):
            for words in [
                translation.gettext("Tell us online, in your language. You do not have to give your name."),
                translation.gettext("Nothing you tell us is shared with immigration authorities."),
                translation.gettext("Telephone: %(phone)s") % {"phone": municipality.complaints_office_phone},
                translation.gettext("Monday to Friday"),
            ]:
                assert words in text, (code, words)
        form = f"{settings.PUBLIC_BASE_URL}{reverse('complaints:public-new')}?lang={code}"
        assert _page_codes(path, number, tmp_path) == [form], code
        assert form in text  # for whoever types it


def test_the_poster_is_drawn_once_until_what_it_prints_changes(municipality):
    """A public address that drew six pages on every request would let anyone keep a worker busy."""
    visitor = Client()
    first = visitor.get(reverse("complaints:public-poster")).content
    assert visitor.get(reverse("complaints:public-poster")).content == first  # kept (each drawing is dated)
    municipality.complaints_office_phone = "(555) 010-9999"
    municipality.save()
    changed = Client().get(reverse("complaints:public-poster")).content
    assert changed != first
    assert "(555) 010-9999" in PdfReader(io.BytesIO(changed)).pages[0].extract_text()
