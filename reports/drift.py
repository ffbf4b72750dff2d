"""Drift of a signed report (DESIGN.md section 5): its frozen figures and record ids against the live ones for
the same window, compared by `welcoming.drift`. The scheduler, and every save of a record a signed window rests
on, store the result on the report (`services.report_drift_check`); pages and the API read what is stored, so
no page counts anything to show it.
"""

from datetime import datetime

from django.utils import timezone

from detainers import figures as police
from reports import selectors
from reports.models import Report
from welcoming import drift
from welcoming.periods import window
from welcoming.selectors import municipality_get, town_zone

PEOPLE = {"individuals_detained": "detained", "individuals_transferred": "transferred"}
KINDS = {
    "immigration_detainer": "Immigration detainers",
    "administrative_warrant": "Administrative warrants",
    "notification_request": "Notification requests",
}


def flat_figures(document: dict) -> dict:
    """The ordinance's figures of a section 8 document, one value per key (the supplement is the app's own
    addition, and its definitions grow with the app)."""
    flat = {}
    for kind, counts in document["lodged"].items():
        flat[f"lodged.{kind}"] = counts["total"]
        flat.update({f"lodged.{kind}.{code}": n for code, n in counts["by_reason"].items()})
    flat.update({key: document[key] for key in PEOPLE})
    flat["reimbursements"] = document["reimbursements"]["total"]
    flat.update({f"reimbursements.case.{c['case'] or ''}": c["amount"] for c in document["reimbursements"]["by_case"]})
    return flat


def frozen_records(ids: dict) -> dict:
    """The records behind the figures, by category, from the ids a report froze (or the live ones). Every reason
    of every kind is a category, empty or not, so a document whose reason was edited moves between two."""
    records = {f"lodged.{kind}": ("detainer", set(pks)) for kind, pks in ids["lodged"].items()}
    if "lodged_by_reason" in ids:
        for kind in police.KINDS:
            reasons = ids["lodged_by_reason"].get(kind, {})
            records.update(
                {f"lodged.{kind}.{code}": ("detainer", set(reasons.get(code, ()))) for code in police.REASONS}
            )
    for key, name in PEOPLE.items():
        records[f"{name}.persons"] = ("person", set(ids[key]["persons"]))
        records[f"{name}.custody"] = ("custody", set(ids[key]["custody"]))
    records["reimbursements"] = ("reimbursement", set(ids["reimbursements"]))
    return records


def behind(key: str) -> list[str]:
    """The categories of records a figure rests on."""
    if key in PEOPLE:
        return [f"{PEOPLE[key]}.persons", f"{PEOPLE[key]}.custody"]
    if key.startswith("reimbursements"):
        return ["reimbursements"]
    return [key]


def live_document(ids: dict, reimbursements: dict) -> dict:
    """The ordinance's figures as the live ids give them: the same numbers `selectors.figures` counts (a report's
    signing checks that they agree), without counting them a second time."""
    return {
        "lodged": {
            kind: {
                "total": len(ids["lodged"][kind]),
                "by_reason": {
                    code: len(pks) for code in police.REASONS if (pks := ids["lodged_by_reason"][kind].get(code))
                },
            }
            for kind in police.KINDS
        },
        **{key: len(ids[key]["persons"]) for key in PEOPLE},
        "reimbursements": reimbursements,
    }


def report_drift(report: Report, *, now=None) -> dict:
    """How the live records differ from what the report froze, in `welcoming.drift`'s form, with the changes of
    the counting rule since signing named when a difference has no record behind it (a few queries, whatever
    the size of the town, and a few more when something drifted)."""
    now = now or timezone.now()
    period = window(report.period_start, report.period_end, zone=town_zone(municipality_get()))
    ids = police.figure_record_ids(period, now=now)
    live = live_document(ids, selectors.reimbursement_counts(period))
    snapshot = report.snapshot
    found = drift.drift(
        signed=drift.Frozen(flat_figures(snapshot["figures"]), frozen_records(snapshot["records"])),
        live=drift.Frozen(flat_figures(live), frozen_records(ids)),
        behind=behind,
        changes=lambda records: police.changes_since(records, report.signed_at),
        checked_at=now,
    )
    found["rule_changes"] = (
        police.counting_rules_since(version=snapshot.get("counting_rules"), signed_at=report.signed_at)
        if found["rule_changed"]
        else []
    )
    return found


# --- As the pages show it ---------------------------------------------------------------------------------


def figure_label(key: str) -> str:
    """“4(a) Immigration detainers, final order of removal”: a figure's key as a reader names it."""
    part, _, rest = key.partition(".")
    if part == "lodged":
        kind, _, code = rest.partition(".")
        label = f"4(a) {KINDS.get(kind, kind)}"
        reason = police.reason_label(code).lower() if code in police.REASONS else code.replace("_", " ")
        return f"{label}, {reason}" if code else label
    if part == "individuals_detained":
        return "4(b) People detained on an ICE hold"
    if part == "individuals_transferred":
        return "4(c) People transferred to ICE custody"
    case = rest.removeprefix("case.")
    if not rest:
        return "4(d) Reimbursements received"
    return f"4(d) Reimbursements, case {case}" if case else "4(d) Reimbursements tied to no case"


def _order(key: str) -> tuple:
    """The report's own order: 4(a) by kind, each kind's reasons in the form's order, then 4(b), 4(c), 4(d)."""
    part, _, rest = key.partition(".")
    if part == "lodged":
        kind, _, code = rest.partition(".")
        # A kind or reason no longer on the form (in a report signed before it went) sorts after the others.
        kinds, reasons = police.KINDS, police.REASONS
        return (
            0,
            kinds.index(kind) if kind in kinds else len(kinds),
            reasons.index(code) + 1 if code in reasons else len(reasons) + 1 if code else 0,
            code,
        )
    if part in PEOPLE:
        return (1 if part == "individuals_detained" else 2, 0, 0, "")
    return (3, 0, 1 if rest else 0, rest)


def compared(signed: dict, live: dict) -> list[dict]:
    """Every figure of two section 8 documents side by side, in the report's order, each difference marked: what
    the chief sees before signing a correction."""
    before, after = flat_figures(signed), flat_figures(live)
    return [
        {
            "label": figure_label(key),
            "signed": before.get(key),
            "now": after.get(key),
            "changed": before.get(key) != after.get(key),
        }
        for key in sorted(before.keys() | after.keys(), key=_order)
    ]


def drift_shown(report: Report, *, may_open_records: bool, limit: int | None = None) -> dict | None:
    """The stored drift of a report as a warning shows it, or None if it has not drifted; with `limit`, only the
    first records and how many more there are."""
    found = report.drift
    if not report.drift_digest or not found:
        return None
    shown = found["records"][:limit] if limit else found["records"]
    return {
        "checked_at": datetime.fromisoformat(found["checked_at"]),
        "figures": [
            {"label": figure_label(key), "signed": values["signed"], "now": values["now"]}
            for key, values in found["figures"].items()
        ],
        "records": [
            {
                "label": f"{police.RECORD_LABELS[r['type']]} {r['id']}",
                "url": police.record_link(r["type"], r["id"]) if may_open_records else "",
                "change": r["change"],
                "by": r["by"] if may_open_records else "",  # who entered police records: theirs to know
                "at": datetime.fromisoformat(r["at"]),
            }
            for r in shown
        ],
        "more": len(found["records"]) - len(shown),
        "rule_changed": found["rule_changed"],
        "rule_changes": found.get("rule_changes", []),
    }


def drift_for_api(report: Report) -> dict | None:
    """`drift` of `GET /api/v1/reports/{id}/`: as stored, without who made each change; None before the first
    check."""
    found = report.drift
    if not found:
        return None
    return {
        "changed": found["changed"],
        "checked_at": found["checked_at"],
        "figures": found["figures"],
        "records": [{"type": r["type"], "id": r["id"], "change": r["change"]} for r in found["records"]],
        "rule_changed": found["rule_changed"],
    }


def drift_panel(user) -> dict:
    """For the chief's and the municipal clerk's dashboards: each standing report whose records no longer match
    it, and when the reports were last checked (one query, without the frozen snapshots)."""
    reports = list(Report.objects.current().defer("snapshot").order_by("period_start"))
    may_open = user.has_perm("welcoming.view_police_records")
    checked = [r.drift_checked_at for r in reports if r.drift_checked_at]
    return {
        "drifted": [
            (
                r,
                f"The records no longer match the signed report for {r.period_start:%B %-d, %Y} to "
                f"{r.period_end:%B %-d, %Y} (version {r.version})",
                drift_shown(r, may_open_records=may_open, limit=5),
            )
            for r in reports
            if r.has_drifted
        ],
        "signed": len(reports),
        "checked_at": min(checked) if len(checked) == len(reports) and checked else None,
    }
