"""One source of truth for the town's clocks: the profile's time zone, whatever the server's environment says."""

from django.urls import reverse

from tests.conftest import setup_actor
from welcoming.municipality import municipality_configure


def test_pages_and_the_api_read_the_profiles_zone_not_the_environments(settings, municipality, custody, clerk_client):
    settings.TIME_ZONE = "UTC"  # the server's environment
    municipality_configure(by=setup_actor(), time_zone="America/Chicago")
    # Booked at 22:00 in New York: 21:00 on Chicago's clocks, 02:00 the next day in UTC.
    page = clerk_client.get(reverse("detainers:custody-detail", args=[custody.pk])).content.decode()
    assert "2026-10-05 21:00" in page and "2026-10-06 02:00" not in page
    record = clerk_client.get(f"/api/v1/custody-records/{custody.pk}/").json()
    assert record["booked_at"] == "2026-10-05T21:00:00-05:00"
