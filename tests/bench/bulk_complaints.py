"""Bulk complaints for the query-count tests and the benchmark: `factor` units of about four complaints each, in
the demo's proportions of stages, over the span `seed_bulk` gives (no services, no history, no audit: test data).

Most are closed with an allegation disposed; the rest await triage, sit with internal affairs, are kept by the
coordinator or referred. Each has the events its stage implies, so timelines and queues have rows to show.
"""

import random
import uuid
from datetime import datetime, timedelta

from complaints import rules
from complaints.models import Allegation, Complaint, ComplaintEvent, InvolvedPerson
from detainers.demo import FIRST, LAST

BATCH = 2000
PER_UNIT = 4
# (stage, share)
STAGES = [("closed", 70), ("investigating", 12), ("received", 5), ("kept", 5), ("referred", 8)]
NARRATIVES = [
    "At a traffic stop the officer asked where I was born and whether I had papers.",
    "After I reported a theft, an officer said he would call immigration.",
    "The school told a family that the police would share their address with federal agents.",
    "An officer refused to take my report unless I showed a passport.",
]


def seed(*, factor: int, start: datetime, end: datetime, now: datetime, rng_seed: int = 2024) -> dict[str, int]:
    rng = random.Random(rng_seed + factor)
    codes = random.Random(uuid.uuid4().int)  # tracking codes of their own each run: seeding twice never clashes
    span = (end - start).total_seconds()
    stages, weights = zip(*STAGES, strict=True)
    complaints = []
    for n in range(PER_UNIT * factor):
        received = start + timedelta(seconds=rng.random() * span)
        stage = rng.choices(stages, weights)[0]
        department = "police" if stage != "referred" else rng.choice(["schools", "other"])
        about = ("chief" if stage == "kept" else "officers") if department == "police" else ""
        anonymous = rng.random() < 0.2
        code = "".join(codes.choice(rules.CODE_ALPHABET) for _ in range(12))
        complaint = Complaint(
            tracking_code="-".join(code[i : i + 4] for i in range(0, 12, 4)),
            pin_hash="!bulk",  # an unusable hash: no PIN opens a bulk complaint
            received_at=received,
            channel=rng.choice(["online", "phone", "mail", "in_person", "email"]),
            language=rng.choice(["en", "en", "es", "pt-br", "ht", "zh-hans", "vi"]),
            anonymous=anonymous,
            complainant_name="" if anonymous else f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]}",
            narrative=NARRATIVES[n % len(NARRATIVES)],
            department=department,
            department_name="Harborview Public Schools" if department == "schools" else "",
            about=about,
            clauses=rng.choice([["2(b)"], ["2(a)", "2(b)"], ["2(e)"], ["3"]]),
            alleges_bias=rng.random() < 0.3,
            stage=stage,
            acknowledgement_due_on=(received + timedelta(days=7)).date(),
            post_due_on=(received + timedelta(days=7)).date() if about == "officers" else None,
            investigation_due_on=(received + timedelta(days=90)).date(),
            routed_at=received + timedelta(days=1) if stage != "received" else None,
            referred_to="Superintendent of Schools" if stage == "referred" else "",
            referred_at=received + timedelta(days=1) if stage == "referred" else None,
            acknowledged_at=received + timedelta(days=2) if stage != "received" else None,
            post_forwarded_at=received + timedelta(days=3) if about == "officers" and stage != "received" else None,
            outcome="Investigated; the officer was retrained." if stage == "closed" else "",
            closed_at=min(received + timedelta(days=rng.randint(20, 120)), now) if stage == "closed" else None,
        )
        complaints.append(complaint)
    complaints = Complaint.objects.bulk_create(complaints, batch_size=BATCH)

    officers = [c for c in complaints if c.about == "officers"]
    people = InvolvedPerson.objects.bulk_create(
        [
            InvolvedPerson(
                complaint=complaint,
                name=f"{LAST[n % len(LAST)]}",
                title="Officer",
                badge_number=f"{100 + n % 400}",
            )
            for n, complaint in enumerate(officers)
        ],
        batch_size=BATCH,
    )
    allegations = Allegation.objects.bulk_create(
        [
            Allegation(
                complaint=person.complaint,
                person=person,
                clause=person.complaint.clauses[0] if person.complaint.clauses[0] != "3" else "2(b)",
                summary="Asked about immigration status at a traffic stop.",
                disposition=rng.choice(["sustained", "not_sustained", "exonerated", "unfounded"])
                if person.complaint.stage == "closed"
                else "pending",
                disposed_at=person.complaint.closed_at,
            )
            for person in people
        ],
        batch_size=BATCH,
    )
    events = []
    for complaint in complaints:
        events.append(ComplaintEvent(complaint=complaint, at=complaint.received_at, kind="received"))
        if complaint.closed_at:
            events.append(ComplaintEvent(complaint=complaint, at=complaint.closed_at, kind="closed"))
    ComplaintEvent.objects.bulk_create(events, batch_size=BATCH)
    return {"complaints": len(complaints), "people involved": len(people), "allegations": len(allegations)}
