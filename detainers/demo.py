"""The demo city's police records: two years of plausible requests, written as a script through the services.

Past records sit on fixed dates from the demo's date of passage (June 1, 2024), so each past period's figures
never change; a few records are placed relative to today so that someone is in custody now with an open
detainer, and a copy of a detainer is overdue. Names are invented. Run by `seed_demo`; safe to repeat.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from detainers import services
from detainers.models import Person

TZ = ZoneInfo("America/New_York")
MARKER = "DEMO-"
FIRST = [
    "Ana",
    "Luis",
    "Wilson",
    "Thi",
    "Mei",
    "Jean",
    "Rosa",
    "Carlos",
    "Nadège",
    "Tuan",
    "Lucia",
    "Marco",
    "Fabiola",
    "Hong",
    "Samuel",
    "Daniela",
    "Kenold",
    "Linh",
    "Pedro",
    "Ines",
]
LAST = [
    "Almeida",
    "Baptiste",
    "Castillo",
    "Nguyen",
    "Chen",
    "Desir",
    "Ferreira",
    "Gomez",
    "Joseph",
    "Tran",
    "Moreira",
    "Silva",
    "Pierre",
    "Li",
    "Rocha",
    "Santos",
    "Ortiz",
    "Pham",
    "Lopes",
    "Vargas",
]
REASON_SETS = [
    [("final_order", "")],
    [("pending_proceedings", "")],
    [("biometric_match", ""), ("pending_proceedings", "")],
    [("statements_or_evidence", "")],
    [("not_stated", "")],
    [("final_order", ""), ("biometric_match", "")],
]


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), tzinfo=TZ)


def seed(*, now: datetime | None = None) -> int:
    """Create the scenario unless it is there already; return the number of people created."""
    if Person.objects.filter(department_id__startswith=MARKER).exists():
        return 0
    now = now or timezone.now()
    clerk = get_user_model().objects.filter(username="clerk").first()
    rng = random.Random(2024)
    start = datetime(2024, 6, 3, tzinfo=TZ)
    people = []
    for n in range(36):
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
        people.append(
            services.person_create(
                full_name=name,
                department_id=f"{MARKER}{1000 + n}",
                date_of_birth=datetime(1970 + n % 30, 1 + n % 12, 1 + n % 27).date(),
                by=clerk,
            )
        )

    # Ordinary bookings over two years; about a third draw a detainer, handled as the ordinance asks.
    for n, person in enumerate(people[:30]):
        day = start + timedelta(days=n * 22 + rng.randint(0, 5))
        booked = _at(day, rng.randint(0, 21), rng.choice([0, 15, 30, 45]))
        custody = services.custody_create(
            person=person,
            booked_at=booked,
            basis="criminal_charge",
            booking_number=f"B-{booked:%y}-{100 + n:04d}",
            by=clerk,
            now=now,
        )
        if n % 3 == 0:
            form = ["I-247A", "I-247A", "I-200", "release_inquiry"][n % 4]
            detainer = services.detainer_create(
                custody=custody,
                form=form,
                lodged_at=booked + timedelta(hours=2),
                received_via="fax",
                reasons=REASON_SETS[n % len(REASON_SETS)] if form != "release_inquiry" else [("not_stated", "")],
                judicial_warrant=False,
                federal_reference=f"SUBJ-{4400 + n}",
                copy_served_at=booked + timedelta(hours=3),
                documents_served="Copy of the document",
                by=clerk,
                now=now,
            )
            if form == "I-247A":
                services.detainer_create(
                    custody=custody,
                    form="I-200",
                    lodged_at=booked + timedelta(hours=2),
                    received_via="fax",
                    reasons=[("not_stated", "")],
                    judicial_warrant=False,
                    lodged_with=detainer,
                    copy_served_at=booked + timedelta(hours=3),
                    by=clerk,
                    now=now,
                )
            if form == "release_inquiry":
                services.notification_respond(
                    detainer=detainer, response="declined", at=booked + timedelta(hours=4), by=clerk, now=now
                )
        eligible = booked + timedelta(hours=rng.randint(6, 30))
        services.custody_release(
            custody=custody, at=eligible, eligible_at=eligible, eligibility_reason="bail_posted", by=clerk, now=now
        )
        if n % 5 == 0:
            services.information_request_create(
                custody=custody,
                agency="ICE ERO Boston",
                received_at=booked + timedelta(hours=5),
                received_via="phone",
                by=clerk,
                now=now,
                items=[
                    {"item": "pending_release", "disclosed": False},
                    {"item": "incarceration_status", "disclosed": True, "basis": "public_record"},
                ],
            )

    # The few that went wrong, so the findings queue and the report have something true to say.
    late = people[30]
    booked = _at(datetime(2025, 2, 10, tzinfo=TZ), 20)
    custody = services.custody_create(
        person=late, booked_at=booked, basis="criminal_charge", booking_number="B-25-0900", by=clerk, now=now
    )
    services.detainer_create(
        custody=custody,
        form="I-247A",
        lodged_at=booked + timedelta(hours=1),
        received_via="email",
        reasons=[("final_order", "")],
        judicial_warrant=False,
        copy_served_at=booked + timedelta(hours=30),
        by=clerk,
        now=now,
    )  # 2(g): copy served six hours late
    services.custody_release(
        custody=custody,
        at=booked + timedelta(hours=14, minutes=40),
        eligible_at=booked + timedelta(hours=14),
        eligibility_reason="bail_posted",
        delay_reason="Waited for the shift supervisor to sign the release.",
        by=clerk,
        now=now,
    )  # 2(d): held 40 minutes past bail with the detainer open

    transferred = people[31]
    booked = _at(datetime(2025, 8, 4, tzinfo=TZ), 9)
    custody = services.custody_create(
        person=transferred, booked_at=booked, basis="criminal_charge", booking_number="B-25-1400", by=clerk, now=now
    )
    services.detainer_create(
        custody=custody,
        form="I-205",
        lodged_at=booked + timedelta(hours=2),
        received_via="fax",
        reasons=[("final_order", "")],
        judicial_warrant=False,
        copy_served_at=booked + timedelta(hours=2, minutes=30),
        by=clerk,
        now=now,
    )
    services.custody_transfer_to_ice(
        custody=custody,
        at=booked + timedelta(hours=20),
        authority="court_order",
        authority_received_at=booked + timedelta(hours=17, minutes=30),
        eligible_at=booked + timedelta(hours=20),
        eligibility_reason="release_ordered",
        by=clerk,
        now=now,
    )  # lawful: a court order
    services.reimbursement_create(
        amount=Decimal("1250.00"),
        received_on=datetime(2025, 9, 15).date(),
        program="per_case",
        case_label="HPD-2025-0118",
        by=clerk,
        now=now,
    )

    disclosed = people[32]
    booked = _at(datetime(2025, 11, 20, tzinfo=TZ), 13)
    custody = services.custody_create(
        person=disclosed, booked_at=booked, basis="criminal_charge", booking_number="B-25-1702", by=clerk, now=now
    )
    services.information_request_create(
        custody=custody,
        agency="ICE ERO Boston",
        received_at=booked + timedelta(hours=3),
        received_via="phone",
        by=clerk,
        now=now,
        items=[{"item": "pending_release", "disclosed": True, "basis": "none"}],
    )  # 2(e): release time given out
    services.access_request_create(
        custody=custody,
        agency="ICE ERO Boston",
        requested_at=booked + timedelta(hours=4),
        mode="video",
        judicial_warrant_or_court_order=False,
        granted=True,
        by=clerk,
        now=now,
    )  # 2(h)
    services.custody_release(
        custody=custody,
        at=booked + timedelta(hours=9),
        eligible_at=booked + timedelta(hours=9),
        eligibility_reason="charges_dismissed",
        by=clerk,
        now=now,
    )

    services.assistance_request_create(
        agency="ICE Homeland Security Investigations",
        requested_at=_at(datetime(2026, 4, 14, tzinfo=TZ), 6),
        operation="Arrests at two addresses on Elm Street",
        deputized_functions=False,
        by=clerk,
        now=now,
        supports=[
            {"kind": "traffic_control", "provided": True},
            {"kind": "transport", "asked": True, "provided": False},
        ],
    )
    services.reimbursement_create(
        amount=Decimal("8412.00"), received_on=datetime(2026, 3, 2).date(), program="scaap", by=clerk, now=now
    )

    # Now: someone in custody with an open detainer (copy served), and a detainer whose copy is overdue.
    held = people[33]
    booked = now - timedelta(hours=20)
    custody = services.custody_create(
        person=held, booked_at=booked, basis="criminal_charge", booking_number=f"B-{now:%y}-2201", by=clerk, now=now
    )
    services.detainer_create(
        custody=custody,
        form="I-247A",
        lodged_at=booked + timedelta(hours=3),
        received_via="fax",
        reasons=[("pending_proceedings", ""), ("biometric_match", "")],
        judicial_warrant=False,
        federal_reference="SUBJ-9921",
        copy_served_at=booked + timedelta(hours=4),
        by=clerk,
        now=now,
    )
    overdue = people[34]
    booked = now - timedelta(hours=40)
    custody = services.custody_create(
        person=overdue, booked_at=booked, basis="sentence", booking_number=f"B-{now:%y}-2195", by=clerk, now=now
    )
    services.detainer_create(
        custody=custody,
        form="I-200",
        lodged_at=booked + timedelta(hours=2),
        received_via="ncic",
        reasons=[("not_stated", "")],
        judicial_warrant=False,
        by=clerk,
        now=now,
    )  # 2(g): no copy served yet
    # A possible duplicate for the merge screen: the same person booked under a second record.
    services.person_create(full_name=people[5].full_name, date_of_birth=people[5].date_of_birth, by=clerk)
    return len(people) + 1
