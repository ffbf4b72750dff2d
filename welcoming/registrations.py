"""What the core adds to its own registries (the findings' and closures' panels, the administrator's overview,
the supplement's findings and closures), declared like every app's in its `registrations.py`."""

from welcoming import selectors
from welcoming.dashboards import Panel
from welcoming.roles import Role
from welcoming.supplement import Section

PANELS = [
    (
        (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF),
        Panel("Findings", "welcoming/panels/findings.html", selectors.findings_summary, order=10),
    ),
    (
        (Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF),
        Panel("Voids, dismissals and closures", "welcoming/panels/closures.html", selectors.closures_count, order=20),
    ),
    (
        (Role.ADMINISTRATOR,),
        Panel("The system", "welcoming/panels/administrator.html", selectors.administrator_overview),
    ),
]

SUPPLEMENT = [
    Section("findings_by_clause", "Findings by clause", selectors.supplement_findings_by_clause, order=80),
    Section("closures", "Voids, dismissals and automatic closures", selectors.supplement_closures, order=90),
]
