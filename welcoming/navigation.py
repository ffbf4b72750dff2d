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


# The header's search box: one app's search page, shown to whoever may open it.
_SEARCH: list[MenuEntry] = []


def register_search(entry: MenuEntry) -> None:
    _SEARCH[:] = [entry]


def search_for(user) -> MenuEntry | None:
    """The header's search, if this user may use it (their permissions are already loaded for the menu)."""
    return next((entry for entry in _SEARCH if entry.permission is None or user.has_perm(entry.permission)), None)


def register(entry: MenuEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def menu_for(user) -> list[MenuEntry]:
    return [entry for entry in _ENTRIES + _TRAILING if entry.permission is None or user.has_perm(entry.permission)]
