"""The menu: the core imports no app; apps register their entries here from their AppConfig.ready()."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    permission: str | None = None  # None: every signed-in, verified user

    def url(self) -> str:
        return reverse(self.url_name)


_ENTRIES: list[MenuEntry] = [
    MenuEntry("Dashboard", "welcoming:home"),
    MenuEntry("Findings", "welcoming:findings", "welcoming.view_findings"),
]
_TRAILING: list[MenuEntry] = [
    MenuEntry("Ordinance", "welcoming:ordinance"),
    MenuEntry("Notifications", "welcoming:notifications"),
    MenuEntry("API tokens", "welcoming:tokens"),
    MenuEntry("Administration", "admin:index", "welcoming.administer"),
]


def register(entry: MenuEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def menu_for(user) -> list[MenuEntry]:
    return [entry for entry in _ENTRIES + _TRAILING if entry.permission is None or user.has_perm(entry.permission)]
