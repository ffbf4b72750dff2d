"""The import boundaries hold on the tree as it stands, and the check finds each kind of crossing when one is
planted (so a check that silently read nothing could not pass)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("check_boundaries", ROOT / "scripts" / "check_boundaries.py")
check_boundaries = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_boundaries)


def test_no_import_crosses_a_boundary():
    assert check_boundaries.violations() == []


@pytest.mark.parametrize(
    ("path", "source", "why"),
    [
        ("welcoming/findings.py", "def f():\n    from detainers import rules\n", "the core imports no app"),
        ("welcoming/views.py", "import complaints.selectors\n", "the core imports no app"),
        ("detainers/views.py", "from reports.selectors import figures\n", "detainers imports neither"),
        ("detainers/rules.py", "from complaints import services\n", "detainers imports neither"),
        ("reports/selectors.py", "from detainers.models import Custody\n", "reports imports no other app's models"),
        ("reports/views.py", "from complaints import models\n", "reports imports no other app's models"),
    ],
)
def test_a_planted_crossing_is_found(tmp_path, path, source, why):
    for package in ("welcoming", "detainers", "reports"):
        (tmp_path / package).mkdir()
    (tmp_path / "reports" / "fine.py").write_text("from detainers import figures\nfrom reports.models import Report\n")
    (tmp_path / path).write_text(source)
    [found] = check_boundaries.violations(tmp_path)
    assert found.startswith(path) and why in found
