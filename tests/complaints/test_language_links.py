"""A link may name the reader's language (`?lang=`), as the poster's QR codes do."""

from django.test import Client
from django.urls import reverse


def test_a_link_opens_the_form_in_its_language_and_the_pages_after_stay_in_it(municipality):
    visitor = Client()
    page = visitor.get(reverse("complaints:public-new"), {"lang": "vi"}).content.decode()
    assert '<html lang="vi"' in page
    assert '<html lang="vi"' in visitor.get(reverse("complaints:public-status")).content.decode()
    assert '<html lang="en"' in Client().get(reverse("complaints:public-new"), {"lang": "xx"}).content.decode()
