"""The report's supplement: what the report tells beyond the four figures clause 4 requires (DESIGN.md section 5).

Each app contributes its own sections from AppConfig.ready() (the core imports no app); the report, its JSON,
its CSV and its pages list them, always marked as going beyond the ordinance. A section counts with aggregate
queries, a fixed number of them whatever the data, so the report's cost does not grow with the records.
"""

from collections.abc import Callable
from dataclasses import dataclass

from welcoming.periods import Window

BEYOND_THE_ORDINANCE = (
    "These lines go beyond what clause 4 of the ordinance requires. They are given so that the "
    "committee can see the department's other dealings with federal immigration authorities."
)


@dataclass(frozen=True)
class Line:
    key: str  # stable: other software reads it
    label: str
    value: int | None  # None: nothing to compute it from, never a 0 that reads as a measured zero
    none_because: str = ""  # why there is no value ("no requests were decided"); required with None

    def __post_init__(self):
        if self.value is None and not self.none_because:
            raise ValueError(f"Supplement line {self.key!r} has no value and says not why.")


@dataclass(frozen=True)
class Section:
    key: str  # stable: other software reads it
    title: str
    lines: Callable[[Window], list[Line]]
    order: int = 50


_SECTIONS: list[Section] = []


def register(section: Section) -> None:
    if section.key not in {s.key for s in _SECTIONS}:
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda s: (s.order, s.key))


def sections() -> list[Section]:
    return list(_SECTIONS)


def compute(window: Window) -> list[dict]:
    """Every registered section for the window: [{"key", "title", "lines": [{"key", "label", "value"}]}]; a line
    with no value also says why ("none_because")."""
    return [
        {
            "key": section.key,
            "title": section.title,
            "lines": [
                {"key": line.key, "label": line.label, "value": line.value}
                | ({"none_because": line.none_because} if line.value is None else {})
                for line in section.lines(window)
            ],
        }
        for section in _SECTIONS
    ]
