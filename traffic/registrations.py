"""What the unlicensed-driver stops add to the core, as data the core reads at start-up (`welcoming.apps`)."""

from traffic import demo, rules, selectors
from traffic.models import UnlicensedDriverStop
from welcoming.findings import RuleSet
from welcoming.navigation import MenuEntry
from welcoming.retention import PURGED, Policy
from welcoming.supplement import Section

RULES = [RuleSet(UnlicensedDriverStop, (rules.custody_for_no_license_alone, rules.impounded_without_a_chance))]

MENU = [MenuEntry("Traffic stops", "traffic:list", selectors.VIEW)]

SUPPLEMENT = [Section("traffic_stops", "Stops of drivers without a license (2(f))", selectors.supplement_lines, 16)]

# No driver is recorded; only the notes may name someone.
RETENTION = [Policy(UnlicensedDriverStop, dated_by="stopped_at", replace={"notes": PURGED})]

DEMO_SEEDERS = [demo.seed]
