"""Dashboards: what each role sees when it lands. Apps register their panels here; the core imports no app."""

from collections.abc import Callable
from dataclasses import dataclass

from welcoming.roles import Role


@dataclass(frozen=True)
class Panel:
    title: str
    template: str  # rendered with the panel's context plus `user`
    context: Callable[..., dict] | None = None  # (user) -> dict
    order: int = 50


_PANELS: dict[Role, list[Panel]] = {role: [] for role in Role}

# What each role is here to do, in a sentence (DESIGN.md section 1).
PURPOSE = {
    Role.RECORDS_CLERK: "Record detainers, warrants, federal requests, custody and release; see what the ordinance "
    "requires next.",
    Role.INTERNAL_AFFAIRS: "Investigate police complaints and act on findings.",
    Role.POLICE_CHIEF: "Sign the semiannual report, decide U visa requests, and oversee findings.",
    Role.CERTIFYING_OFFICIAL: "Read and decide U visa certification requests.",
    Role.COMPLAINTS_COORDINATOR: "Triage every complaint, route it, and follow up with departments.",
    Role.MUNICIPAL_CLERK: "Receive the signed report, forward it, docket it, and manage committee meetings.",
    Role.COUNCIL_STAFF: "Read meetings, agendas, the docket and docketed reports.",
    Role.ADMINISTRATOR: "Manage users and roles, the municipality profile and the audit log.",
}


def register(role: Role, panel: Panel) -> None:
    if panel not in _PANELS[role]:
        _PANELS[role].append(panel)
        _PANELS[role].sort(key=lambda p: p.order)


@dataclass
class Section:
    role: Role
    purpose: str
    panels: list[tuple[Panel, dict]]


def sections_for(user, roles: list[Role]) -> list[Section]:
    return [
        Section(role, PURPOSE[role], [(panel, panel.context(user) if panel.context else {}) for panel in _PANELS[role]])
        for role in roles
    ]
