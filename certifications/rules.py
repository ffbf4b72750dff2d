"""Clause 2(i)'s rules for U visa certification requests: record in, findings out, nothing written.

DESIGN.md section 3: a request whose decision is due within the configured warning days is a warning; one past
its due date, still undecided or decided late, is a violation; a decline although the crime qualifies and the
victim is helpful is a violation. (An "other, similar activity" crime is left to the official's judgment: its
decline is not flagged.)
"""

from datetime import datetime, time, timedelta

from certifications.models import UVisaRequest
from welcoming.findings import FindingDraft, RuleContext

VIOLATION, WARNING = "violation", "warning"


def _end_of(day, zone) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def decision_due(request: UVisaRequest, context: RuleContext):
    """2(i): decide within the municipality's deadline — warn as it nears, a violation once it has passed. A
    decision is late if it is dated after the due date or was entered after it (a date cannot be backdated
    away), and so is a withdrawal recorded only after the deadline had passed."""
    if request.is_voided:
        return
    warning_days, zone = context.town.u_visa_warning_days, context.zone
    today = context.now.astimezone(zone).date()
    recorded_on = request.decision_recorded_at.astimezone(zone).date() if request.decision_recorded_at else None
    decided_late = request.decided_on is not None and max(request.decided_on, recorded_on or request.decided_on) > (
        request.due_on
    )
    if decided_late or (request.decided_on is None and today > request.due_on):
        yield FindingDraft(
            section="2(i)",
            severity=VIOLATION,
            code="2i-decision-late",
            message=f"The U visa certification request received {request.received_on} was due for a decision on "
            f"{request.due_on}"
            + (
                f" and was {request.get_decision_display().lower()} on {request.decided_on} (entered "
                f"{recorded_on or request.decided_on})."
                if decided_late
                else " and is still undecided."
            ),
            facts={"due_on": request.due_on, "decided_on": request.decided_on, "recorded_on": recorded_on},
            occurred_at=_end_of(request.due_on, zone),
        )
    elif request.decided_on is None and today >= request.due_on - timedelta(days=warning_days):
        yield FindingDraft(
            section="2(i)",
            severity=WARNING,
            code="2i-decision-due-soon",
            message=f"The U visa certification request received {request.received_on} must be decided by "
            f"{request.due_on}.",
            facts={"due_on": request.due_on},
            occurred_at=datetime.combine(request.due_on - timedelta(days=warning_days), time.min, tzinfo=zone),
        )


def declined_though_eligible(request: UVisaRequest, context: RuleContext):
    """2(i): a victim of qualifying criminal activity who has been, is being or is likely to be helpful is
    certified; declining such a request is a violation."""
    if request.is_voided or request.decision != UVisaRequest.Decision.DECLINED:
        return
    if request.qualifying_crime == "other" or request.helpfulness not in UVisaRequest.HELPFUL:
        return
    yield FindingDraft(
        section="2(i)",
        severity=VIOLATION,
        code="2i-declined-eligible",
        message=f"A U visa certification was declined on {request.decided_on} although the crime "
        f"({request.get_qualifying_crime_display().lower()}) qualifies and the victim "
        f"{request.get_helpfulness_display().lower()}.",
        facts={
            "crime": request.qualifying_crime,
            "helpfulness": request.helpfulness,
            "decided_on": request.decided_on,
        },
        occurred_at=datetime.combine(request.decided_on, time(12), tzinfo=context.zone),
    )
