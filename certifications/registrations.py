"""What the U visa certification requests add to the core, as data the core reads at start-up (`welcoming.apps`)."""

from django.db.models import Q

from certifications import demo, rules, selectors, services
from certifications.models import UVisaRequest
from welcoming.dashboards import Panel
from welcoming.findings import RuleSet
from welcoming.navigation import MenuEntry
from welcoming.retention import PURGED, Policy, purged_unless
from welcoming.roles import Role
from welcoming.supplement import Section

RULES = [
    RuleSet(
        UVisaRequest,
        (rules.decision_due, rules.declined_though_eligible),
        scheduled=lambda: UVisaRequest.objects.active().pending(),
    )
]

VOIDABLE = [UVisaRequest]

MENU = [MenuEntry("U visa requests", "certifications:list", selectors.VIEW)]

PANELS = [
    (
        (Role.POLICE_CHIEF, Role.CERTIFYING_OFFICIAL),
        Panel("U visa decisions", "certifications/panel.html", selectors.queue_summary, order=6),
    )
]

SUPPLEMENT = [Section("u_visa_requests", "U visa certification requests (2(i))", selectors.supplement_lines, order=15)]

PERIODIC = [("U visa requests due soon", lambda *, by: services.u_visa_due_soon_notify(by=by))]

# The victim is a person (purged with their other records); the request keeps who asked and why.
RETENTION = [
    Policy(
        UVisaRequest,
        dated_by="received_on",
        replace={
            "requester_name": PURGED,
            "requester_contact": "",
            "case_number": "",
            "crime_other": "",
            "expedite_reason": "",
            "reason": purged_unless(Q(reason="")),  # a decline keeps a (purged) reason
            "letter_reason": "",
        },
    )
]

DEMO_SEEDERS = [demo.seed]
