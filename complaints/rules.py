"""Clause 3's routing and deadlines as pure functions: a complaint's facts in, a destination or dates out.

DESIGN.md section 4: police complaints go to internal affairs, except those against internal affairs or the
chief, which the complaints coordinator keeps; complaints about schools (2(l)) or any other department are
referred to that department. Deadlines count from the day of receipt (day 0): acknowledgement and POST forwarding
in business days (weekends, Massachusetts legal holidays and the municipality's own holidays skipped), the
investigation in calendar days.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from welcoming.business_days import BusinessCalendar


class Route(StrEnum):
    INTERNAL_AFFAIRS = "internal_affairs"
    COORDINATOR = "coordinator"  # against internal affairs or the chief: kept (and may go to the executive)
    DEPARTMENT = "department"  # schools or another department: referred to its contact


def route_for(*, department: str, about: str) -> Route:
    if department == "police":
        return Route.INTERNAL_AFFAIRS if about == "officers" else Route.COORDINATOR
    return Route.DEPARTMENT


def post_forwarding_required(*, department: str, alleges_bias: bool, alleges_force: bool) -> bool:
    """G.L. c.6E §8: a complaint against a police officer alleging bias (immigration status, national origin,
    race…) or excessive, prohibited or deadly force goes to the POST Commission."""
    return department == "police" and (alleges_bias or alleges_force)


def acknowledgement_required(*, channel: str, contact: str = "") -> bool:
    """Everyone who complains is acknowledged in writing — online by the receipt on the confirmation page, else by
    a letter sent to the contact they gave. A finding referred from inside has nobody to tell, and a complainant
    who left no way to reach them (anonymous or not) has nowhere a letter could go."""
    if channel == "finding":
        return False
    return channel == "online" or bool(contact.strip())


@dataclass(frozen=True)
class Deadlines:
    acknowledgement: date | None
    post_forwarding: date | None
    investigation: date


@dataclass(frozen=True)
class DeadlineSettings:
    acknowledgement_business_days: int = 5
    post_forwarding_business_days: int = 2
    investigation_days: int = 90


def deadlines(
    *,
    received_on: date,
    channel: str,
    contact: str = "",
    department: str,
    alleges_bias: bool,
    alleges_force: bool,
    calendar: BusinessCalendar,
    settings: DeadlineSettings,
) -> Deadlines:
    acknowledgement = (
        calendar.add_business_days(received_on, settings.acknowledgement_business_days)
        if acknowledgement_required(channel=channel, contact=contact)
        else None
    )
    post = (
        calendar.add_business_days(received_on, settings.post_forwarding_business_days)
        if post_forwarding_required(department=department, alleges_bias=alleges_bias, alleges_force=alleges_force)
        else None
    )
    return Deadlines(acknowledgement, post, received_on + timedelta(days=settings.investigation_days))


@dataclass(frozen=True)
class Overdue:
    acknowledgement: bool
    post_forwarding: bool
    investigation: bool

    @property
    def any(self) -> bool:
        return self.acknowledgement or self.post_forwarding or self.investigation

    @property
    def steps(self) -> list[str]:
        names = [("acknowledgement", self.acknowledgement), ("post_forwarding", self.post_forwarding)]
        return [name for name, late in [*names, ("investigation", self.investigation)] if late]


def overdue(complaint, today: date) -> Overdue:
    """What is late on `today`: a deadline passed with its step not taken. Due today is not yet late; nothing is
    late on a closed complaint."""
    if complaint.closed_at:
        return Overdue(False, False, False)
    return Overdue(
        acknowledgement=bool(
            complaint.acknowledgement_due_on
            and not complaint.acknowledged_at
            and today > complaint.acknowledgement_due_on
        ),
        post_forwarding=bool(
            complaint.post_due_on and not complaint.post_forwarded_at and today > complaint.post_due_on
        ),
        investigation=bool(not complaint.closed_at and today > complaint.investigation_due_on),
    )


def next_deadline(complaint) -> date:
    """The first date by which something must still be done: what the queues sort by."""
    pending = [complaint.investigation_due_on]
    if complaint.acknowledgement_due_on and not complaint.acknowledged_at:
        pending.append(complaint.acknowledgement_due_on)
    if complaint.post_due_on and not complaint.post_forwarded_at:
        pending.append(complaint.post_due_on)
    return min(pending)


# Crockford's base 32 without I, L, O, U: read over the phone without confusion.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def tracking_code_normalised(code: str) -> str:
    """What a complainant types, as stored: upper case, spaces and dashes dropped, O read as 0, I and L as 1."""
    raw = "".join(code.upper().split()).replace("-", "").translate(str.maketrans("OIL", "011"))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
