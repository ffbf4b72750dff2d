from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from detainers import services

TZ = ZoneInfo("America/New_York")
BOOKED = datetime(2026, 10, 5, 22, 0, tzinfo=TZ)
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=TZ)


def at(hours: float) -> datetime:
    """A moment `hours` after booking."""
    return BOOKED + timedelta(hours=hours)


def detainer_body(custody, /, **changes) -> dict:
    """What the API takes to record a detainer on `custody`, an hour after booking, with `changes`."""
    body = {
        "custody": custody.pk,
        "form": "I-247A",
        "received_via": "fax",
        "lodged_at": at(1).isoformat(),
        "reasons": [{"code": "final_order"}],
        "judicial_warrant": False,
    }
    return {**body, **changes}


@pytest.fixture
def person(municipality, clerk):
    return services.person_create(
        full_name="Maria Example", date_of_birth=datetime(1990, 3, 4).date(), department_id="HPD-1001", by=clerk
    )


@pytest.fixture
def custody(person, clerk):
    return services.custody_create(
        person=person, booked_at=BOOKED, basis="criminal_charge", booking_number="B-26-0412", by=clerk, now=NOW
    )


@pytest.fixture
def lodge(custody, clerk):
    def lodge(form="I-247A", hours=1.0, reasons=(("final_order", ""),), now=NOW, judicial_warrant=False, **extra):
        return services.detainer_create(
            custody=custody,
            form=form,
            lodged_at=at(hours),
            received_via="fax",
            reasons=list(reasons),
            judicial_warrant=judicial_warrant,
            by=clerk,
            now=now,
            **extra,
        )

    return lodge


@pytest.fixture
def ana_ruiz(clerk, municipality):
    """Ana Ruiz, booked yesterday on a criminal charge and still in custody."""
    return services.book_person(
        full_name="Ana Ruiz",
        date_of_birth=None,
        department_id="HPD-36",
        booked_at=timezone.now() - timedelta(days=1),
        basis="criminal_charge",
        booking_number="B-26-0036",
        by=clerk,
    )
