from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from detainers import services
from reports import selectors
from welcoming.roles import Role

TZ = ZoneInfo("America/New_York")
# The demo municipality passed its ordinance on June 1, 2024: period 4 runs June 1 – November 30, 2026, and
# period 5 from December 1, 2026. "Now" is in period 5, so period 4 is whole.
NOW = datetime(2026, 12, 15, 12, 0, tzinfo=TZ)
PERIOD_4 = (date(2026, 6, 1), date(2026, 11, 30))
PERIOD_5 = (date(2026, 12, 1), date(2027, 5, 31))


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def named_staff(make_staff, username: str, role: Role, first_name: str, last_name: str):
    """A staff member with a full name, as the reports and the docket print it."""
    user = make_staff(username, role)
    user.first_name, user.last_name = first_name, last_name
    user.save()
    return user


@pytest.fixture
def chief(make_staff):
    return named_staff(make_staff, "chief", Role.POLICE_CHIEF, "Charlene", "Chief")


@pytest.fixture
def town_clerk(make_staff):
    return named_staff(make_staff, "townclerk", Role.MUNICIPAL_CLERK, "Tess", "Clerk")


@pytest.fixture
def ia(make_staff):
    return make_staff("ia", Role.INTERNAL_AFFAIRS)


@pytest.fixture
def records(municipality, clerk):
    """Records made through the services, as the clerk makes them."""

    class Records:
        def person(self, name="Ana Example", department_id=""):
            return services.person_create(full_name=name, department_id=department_id, by=clerk)

        def custody(self, person=None, *, booked, basis="criminal_charge"):
            return services.custody_create(
                person=person or self.person(), booked_at=booked, basis=basis, by=clerk, now=NOW
            )

        def lodge(self, custody, *, at, form="I-247A", reasons=(("final_order", ""),), judicial_warrant=False, **extra):
            return services.detainer_create(
                judicial_warrant=judicial_warrant,
                custody=custody,
                form=form,
                lodged_at=at,
                received_via="fax",
                reasons=list(reasons),
                by=clerk,
                now=NOW,
                **extra,
            )

        def release(self, custody, *, eligible, at=None):
            return services.custody_release(
                custody=custody,
                at=at or eligible,
                eligible_at=eligible,
                eligibility_reason="bail_posted",
                by=clerk,
                now=NOW,
            )

        def transfer(self, custody, *, eligible, at, authority="detainer", authority_received_at=None):
            return services.custody_transfer_to_ice(
                custody=custody,
                at=at,
                authority=authority,
                authority_received_at=authority_received_at,
                eligible_at=eligible,
                eligibility_reason="sentence_served",
                by=clerk,
                now=NOW,
            )

        def reimbursement(self, amount, received_on, case_label=""):
            return services.reimbursement_create(
                amount=Decimal(amount),
                received_on=received_on,
                program="per_case" if case_label else "scaap",
                case_label=case_label,
                by=clerk,
                now=NOW,
            )

    return Records()


def figures_for(municipality, period=PERIOD_4, now=NOW) -> dict:
    window = selectors.figures_window(municipality=municipality, start=period[0], end=period[1])
    document = selectors.figures(municipality=municipality, window=window, now=now)
    assert_drilldowns_match(document, window, now)
    return document


def assert_drilldowns_match(document, window, now):
    """Every number has exactly as many records behind it as it says (people for 4(b) and 4(c))."""
    for kind, counts in document["lodged"].items():
        assert len(selectors.lodged_records(window, kind=kind)) == counts["total"], kind
        for reason, count in counts["by_reason"].items():
            assert len(selectors.lodged_records(window, kind=kind, reason=reason)) == count, (kind, reason)
    assert len(selectors.detained_people(window, now=now)) == document["individuals_detained"]
    assert len(selectors.transferred_people(window)) == document["individuals_transferred"]
    received = selectors.reimbursement_records(window)
    assert selectors.money(sum(r.amount for r in received)) == document["reimbursements"]["total"]
    for case in document["reimbursements"]["by_case"]:
        rows = selectors.reimbursement_records(window, case=case["case"] or selectors.NO_CASE)
        assert selectors.money(sum(r.amount for r in rows)) == case["amount"]
