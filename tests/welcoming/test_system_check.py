"""The set-up's first step names the system packages a machine lacks, before anything fails deep in the suite."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_system.py"


def run_check(*args, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False)


def test_this_machine_has_what_the_suite_needs():
    result = run_check("--tests")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_an_empty_font_path_names_the_font_packages_and_the_line_that_installs_them(tmp_path, monkeypatch):
    env = {"PATH": "/usr/bin:/bin", "FONT_DIRS": str(tmp_path)}
    result = run_check("--tests", env=env)
    assert result.returncode == 1
    assert "the Noto Sans CJK font, for Chinese letters (fonts-noto-cjk)" in result.stderr
    assert (
        result.stderr.splitlines()[-1].strip() == "apt-get install -y fonts-noto-core fonts-noto-cjk fonts-dejavu-core"
    )


def test_make_checks_the_system_before_anything_else():
    # `make -n` prints what each target would run, in order, without running it.
    for target, needs in [("run", ""), ("test", " --tests"), ("e2e", " --tests --browser")]:
        # (Run as a fresh make, not as a sub-make of `make test`, which would print where it enters first.)
        env = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        first = subprocess.run(
            ["make", "--no-print-directory", "-n", target],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.splitlines()[0]
        assert first.rstrip().endswith(f"scripts/check_system.py{needs}"), (target, first)
