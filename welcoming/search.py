"""The kinds of record the header's search box finds. The core imports no app: each app registers its kinds here
from its AppConfig.ready(), and the search asks only the kinds this user may read."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

SHOWN = 5  # of each kind; the rest are a link away


@dataclass(frozen=True)
class SearchKind:
    key: str  # the section's id on the page
    title: str  # its heading
    # Any one of these lets a user read some records of the kind; `records` narrows to which. A user with none is
    # never asked about the kind, so neither its records nor a count of them can reach the page.
    read_permissions: tuple[str, ...]
    # (user=, query=) -> the kind's own list search, in that list's order, so "more" opens exactly these records.
    records: Callable[..., QuerySet]
    list_url_name: str
    row_template: str  # one record's line, rendered with `record`
    list_params: tuple[tuple[str, str], ...] = ()  # what the list needs beside the words (a queue, say)
    order: int = 50

    def may_read(self, user) -> bool:
        return any(user.has_perm(permission) for permission in self.read_permissions)

    def list_url(self, query: str) -> str:
        return f"{reverse(self.list_url_name)}?{urlencode({**dict(self.list_params), 'q': query})}"


@dataclass(frozen=True)
class Found:
    """One kind of record a search found: how many the user may read, and the first of them in their list's order."""

    kind: SearchKind
    count: int
    records: list = field(default_factory=list)


_KINDS: dict[str, SearchKind] = {}


def register_search_kind(kind: SearchKind) -> None:
    _KINDS[kind.key] = kind


def kinds_for(user) -> list[SearchKind]:
    return sorted((kind for kind in _KINDS.values() if kind.may_read(user)), key=lambda kind: kind.order)


def search(*, user, query: str, shown: int = SHOWN) -> list[Found]:
    """What the words find in each kind this user may read: two queries per kind, the count and the first `shown`."""
    if not query:
        return []  # every list's empty search is "everything": the page asks for words instead
    found = []
    for kind in kinds_for(user):
        records = kind.records(user=user, query=query)
        found.append(Found(kind, records.count(), list(records[:shown])))
    return found
