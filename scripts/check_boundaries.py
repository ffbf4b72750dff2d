"""The import boundaries that keep each concern in its room (DESIGN.md section 7), checked over the source:

- the core (`welcoming`) imports no app: apps fill its registries through their `registrations.py`;
- `detainers` imports neither `reports` nor `complaints`: the police records stand on their own;
- `reports` imports no other app's models: it reads the records behind its figures through their selectors.

    python3 scripts/check_boundaries.py

Prints each import that crosses a boundary (file, line, module) and exits 1 if any does. Standard library only;
`make lint` runs it, and a test proves it finds a planted crossing.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("detainers", "certifications", "traffic", "complaints", "reports")

# (package whose files are checked, what a module it imports must not be, why)
RULES = [
    ("welcoming", lambda module: module.split(".")[0] in APPS, "the core imports no app"),
    (
        "detainers",
        lambda module: module.split(".")[0] in ("reports", "complaints"),
        "detainers imports neither reports nor complaints",
    ),
    (
        "reports",
        lambda module: (
            module.split(".")[0] in APPS and module.split(".")[0] != "reports" and module.endswith(".models")
        ),
        "reports imports no other app's models",
    ),
]


def imported_modules(tree: ast.AST):
    """(line, module) for every import in the file, those inside functions included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:  # `from detainers import models` imports detainers.models
                yield node.lineno, f"{node.module}.{alias.name}"


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for package, forbidden, why in RULES:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            crossing = {}  # one report per import statement, naming the first module it must not import
            for line, module in imported_modules(tree):
                if forbidden(module):
                    crossing.setdefault(line, module)
            found += [f"{path.relative_to(root)}:{line}: imports {module} ({why})" for line, module in crossing.items()]
    return found


def main() -> int:
    found = violations()
    for violation in found:
        print(violation, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
