"""The apps' layering, read from the import statements: the core imports no app, and detainers (which the reports
and complaints read) imports neither. An app that needs to add to the core's pages registers from its
AppConfig.ready() (findings, menu, search), so the dependency points the other way."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"welcoming", "detainers", "certifications", "traffic", "complaints", "reports"}


def imported_apps(source: str) -> set[str]:
    """The project's apps a module's source imports, at its top or inside a function (relative imports stay in
    their own app)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & APPS


def imports_of(app: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(ROOT)): imported_apps(path.read_text())
        for path in sorted((ROOT / app).rglob("*.py"))
        if "__pycache__" not in path.parts
    }


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("welcoming", APPS - {"welcoming"}),
        ("detainers", {"complaints", "reports"}),
    ],
)
def test_an_app_imports_none_of_the_apps_above_it(app, forbidden):
    modules = imports_of(app)
    assert len(modules) > 10  # the app's own modules were read, not an empty folder
    assert {module: apps & forbidden for module, apps in modules.items() if apps & forbidden} == {}


def test_the_check_sees_an_import_at_the_top_or_inside_a_function():
    source = "from complaints import selectors\n\ndef ready():\n    import reports.figures\n    from . import rules\n"
    assert imported_apps(source) == {"complaints", "reports"}
    assert imported_apps("from welcoming.search import register_search_kind\nimport django\n") == {"welcoming"}
