"""Bulk records for the query-count tests and the benchmark: the police department's records in the demo's
proportions, `factor` times over, inserted in bulk (no services, no history, no audit: this is test data).

One unit is about the demo's size: 30 people booked 36 times, a third of the bookings drawing a detainer or
request, information, access and assistance requests and reimbursements. A few bookings go wrong the way the
ordinance forbids (held past eligibility on a hold, handed to ICE on a detainer), and the real rules are run on
those, so the findings are the engine's own.
"""

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from detainers.demo import FIRST, LAST, REASON_SETS
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    AssistanceSupport,
    Custody,
    Detainer,
    DetainerReason,
    InformationItem,
    InformationRequest,
    JudicialAuthority,
    Person,
    Reimbursement,
)
from welcoming.findings import findings_reconcile

MARKER = "BULK-"
BATCH = 2000
# Each lodging: (forms lodged together, share of lodgings)
LODGINGS = [(["I-247A", "I-200"], 3), (["I-247A"], 2), (["I-200"], 2), (["I-205"], 1), (["release_inquiry"], 2)]
KIND = {
    "I-247A": Detainer.Kind.IMMIGRATION_DETAINER,
    "I-200": Detainer.Kind.ADMINISTRATIVE_WARRANT,
    "I-205": Detainer.Kind.ADMINISTRATIVE_WARRANT,
    "release_inquiry": Detainer.Kind.NOTIFICATION_REQUEST,
}


def seed(*, factor: int, start: datetime, end: datetime, now: datetime, rng_seed: int = 2024) -> dict[str, int]:
    """Insert `factor` units of records booked between `start` and `end`; return how many of each were made."""
    rng = random.Random(rng_seed + factor)
    span = (end - start).total_seconds()

    def moment() -> datetime:
        return start + timedelta(seconds=rng.random() * span)

    run = uuid.uuid4().hex[:6]  # seeding twice adds a second set, never a clash of department IDs
    persons = Person.objects.bulk_create(
        [
            Person(
                full_name=f"{FIRST[n % len(FIRST)]} {chr(65 + n // 400 % 26)}. {LAST[n // len(FIRST) % len(LAST)]}",
                department_id=f"{MARKER}{run}-{n}",
                date_of_birth=datetime(1950 + n % 50, 1 + n % 12, 1 + n % 28).date(),
            )
            for n in range(30 * factor)
        ],
        batch_size=BATCH,
    )

    custody_rows, plans = [], []
    for n in range(36 * factor):
        booked = moment()
        basis = (
            "detainer_only"
            if rng.random() < 0.01
            else rng.choice(["criminal_charge", "court_order_or_bail", "sentence"])
        )
        eligible = booked + timedelta(hours=rng.randint(4, 72))
        outcome = rng.random()
        custody = Custody(
            person=persons[n % len(persons)],
            booking_number=f"B-{run}-{n}",
            booked_at=booked,
            basis=basis,
        )
        if eligible < now:
            custody.eligible_for_release_at, custody.eligibility_reason = eligible, "bail_posted"
            if outcome < 0.03:  # handed to ICE: mostly on a judge's order, now and then on the detainer alone
                custody.transferred_to_ice_at = eligible + timedelta(hours=1)
                custody.transfer_authority = "detainer" if outcome < 0.005 else "court_order"
            elif outcome < 0.05:  # held past bail on the hold
                custody.released_at = eligible + timedelta(minutes=rng.randint(20, 300))
            else:
                custody.released_at = eligible
            if (custody.released_at or custody.transferred_to_ice_at) > now:  # still in custody, not yet eligible
                custody.released_at = custody.transferred_to_ice_at = custody.eligible_for_release_at = None
                custody.transfer_authority = custody.eligibility_reason = ""
        custody_rows.append(custody)
        plans.append(rng.random() < 1 / 3 or outcome < 0.05 or basis == "detainer_only")
    custody_rows = Custody.objects.bulk_create(custody_rows, batch_size=BATCH)
    JudicialAuthority.objects.bulk_create(
        [
            # The judge's order was in hand when the person became eligible for release.
            JudicialAuthority(
                custody=custody,
                kind="court_order",
                received_at=custody.eligible_for_release_at,
                time_assumed=False,
            )
            for custody in custody_rows
            if custody.transfer_authority == "court_order"
        ],
        batch_size=BATCH,
    )

    detainers, reasons_of = [], []
    choices, weights = zip(*LODGINGS, strict=True)
    for custody, lodges in zip(custody_rows, plans, strict=True):
        if not lodges:
            continue
        forms = rng.choices(choices, weights)[0]
        lodged = custody.booked_at + timedelta(minutes=rng.randint(10, 180))
        if custody.left_at and lodged > custody.left_at:
            lodged = custody.booked_at
        lodging = uuid.uuid4()
        for form in forms:
            detainers.append(
                Detainer(
                    custody=custody,
                    lodging=lodging,
                    form=form,
                    kind=KIND[form],
                    received_via=rng.choice(["fax", "email", "ncic"]),
                    lodged_at=lodged,
                    copy_served_at=lodged,  # served at once: 2(g) is the demo's and the tests' business
                    response="declined" if form == "release_inquiry" else "",
                    responded_at=lodged if form == "release_inquiry" else None,
                )
            )
            reasons_of.append([("not_stated", "")] if form != "I-247A" else rng.choice(REASON_SETS))
    detainers = Detainer.objects.bulk_create(detainers, batch_size=BATCH)
    DetainerReason.objects.bulk_create(
        [
            DetainerReason(detainer=detainer, code=code, text=text)
            for detainer, reasons in zip(detainers, reasons_of, strict=True)
            for code, text in reasons
        ],
        batch_size=BATCH,
    )

    asked_of = [custody for custody in custody_rows if custody.left_at]
    information = InformationRequest.objects.bulk_create(
        [
            InformationRequest(
                custody=custody,
                agency="ICE ERO Boston",
                received_at=custody.booked_at + timedelta(hours=1),
                received_via="phone",
                answered_at=custody.booked_at + timedelta(hours=2),
            )
            for custody in rng.sample(asked_of, min(len(asked_of), 4 * factor))
        ],
        batch_size=BATCH,
    )
    InformationItem.objects.bulk_create(
        [
            InformationItem(request=request, item=item, disclosed=disclosed, basis=basis)
            for request in information
            for item, disclosed, basis in [
                ("pending_release", False, ""),
                ("incarceration_status", True, "public_record"),
            ]
        ],
        batch_size=BATCH,
    )
    access = AccessRequest.objects.bulk_create(
        [
            AccessRequest(
                custody=custody,
                agency="ICE ERO Boston",
                requested_at=custody.booked_at + timedelta(hours=1),
                mode=rng.choice(["in_person", "telephone", "video"]),
                judicial_warrant_or_court_order=True,
                granted=rng.random() < 0.5,
            )
            for custody in rng.sample(asked_of, min(len(asked_of), factor))
        ],
        batch_size=BATCH,
    )
    assistance = AssistanceRequest.objects.bulk_create(
        [
            AssistanceRequest(
                agency="ICE Homeland Security Investigations",
                requested_at=moment(),
                operation="Arrests",
                deputized_functions=False,
            )
            for _ in range(max(1, factor // 2))
        ],
        batch_size=BATCH,
    )
    AssistanceSupport.objects.bulk_create(
        [AssistanceSupport(request=request, kind="traffic_control", provided=True) for request in assistance],
        batch_size=BATCH,
    )
    reimbursements = Reimbursement.objects.bulk_create(
        [
            Reimbursement(
                amount=Decimal(rng.randint(100, 900000)) / 100,
                received_on=moment().date(),
                program="scaap" if n % 2 else "per_case",
                case_label="" if n % 2 else f"BULK-{run}-{n}",
            )
            for n in range(2 * factor)
        ],
        batch_size=BATCH,
    )

    # The real rules on the bookings that went wrong, so their findings are the engine's.
    wrong = [c for c in custody_rows if c.basis == "detainer_only" or c.transfer_authority == "detainer"]
    wrong += [
        c
        for c in custody_rows
        if c.released_at and c.eligible_for_release_at and c.released_at > c.eligible_for_release_at
    ]
    opened = sum(len(findings_reconcile(record=custody, now=now).opened) for custody in wrong)
    return {
        "persons": len(persons),
        "custody records": len(custody_rows),
        "detainers": len(detainers),
        "information requests": len(information),
        "access requests": len(access),
        "assistance requests": len(assistance),
        "reimbursements": len(reimbursements),
        "findings": opened,
    }
