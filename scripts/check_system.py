"""What the README's system packages provide, checked before `make run`, `make test` or `make e2e` does anything
else: a machine without them would otherwise fail deep inside the set-up or the suite (two PDF tests assert on a
font's name). Prints the one `apt-get install` line that fixes what is missing and exits 1.

    python3 scripts/check_system.py [--tests] [--browser]

Standard library only: it runs before the virtualenv exists. FONT_DIRS (colon-separated) replaces the folders
searched for fonts, so a test can show what an empty font path looks like.
"""

import ctypes.util
import os
import shutil
import sys
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


def _library(name):
    return lambda: ctypes.util.find_library(name) is not None


def _program(name):
    return lambda: shutil.which(name) is not None


def _font(*file_names):
    def found():
        folders = os.environ.get("FONT_DIRS")
        roots = folders.split(":") if folders is not None else FONT_DIRS
        for root in filter(None, roots):
            for _folder, _subfolders, files in os.walk(Path(root).expanduser()):
                if any(name in files for name in file_names):
                    return True
        return False

    return found


# (what it is for, the Debian package that provides it, how to tell it is here)
NEEDED = [
    ("Pango, for WeasyPrint's PDFs", "libpango-1.0-0", _library("pango-1.0")),
    ("Pango's FreeType backend", "libpangoft2-1.0-0", _library("pangoft2-1.0")),
    ("HarfBuzz's subsetter, for the fonts embedded in PDFs", "libharfbuzz-subset0", _library("harfbuzz-subset")),
    ("the MIME database, for uploads' types", "shared-mime-info", lambda: Path("/usr/share/mime/types").exists()),
    ("the Noto Sans font, for letters and reports", "fonts-noto-core", _font("NotoSans-Regular.ttf")),
    (
        "the Noto Sans CJK font, for Chinese letters",
        "fonts-noto-cjk",
        _font("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
    ),
    ("the DejaVu Sans font, the PDFs' fallback", "fonts-dejavu-core", _font("DejaVuSans.ttf")),
    ("gettext's msgfmt, to compile the translations", "gettext", _program("msgfmt")),
]
TESTS = [("poppler's pdftotext, to read PDFs back in the tests", "poppler-utils", _program("pdftotext"))]
BROWSER = [("Debian's Chromium, for the browser tests", "chromium", lambda: Path("/usr/bin/chromium").exists())]


def missing(*, tests: bool = False, browser: bool = False) -> list[tuple[str, str]]:
    needed = [*NEEDED, *(TESTS if tests else ()), *(BROWSER if browser else ())]
    return [(what, package) for what, package, present in needed if not present()]


def main(argv: list[str]) -> int:
    lacking = missing(tests="--tests" in argv, browser="--browser" in argv)
    if not lacking:
        return 0
    print("This machine lacks system packages the app needs:", file=sys.stderr)
    for what, package in lacking:
        print(f"  - {what} ({package})", file=sys.stderr)
    packages = " ".join(dict.fromkeys(package for _what, package in lacking))
    print(f"Install them (as root), then run make again:\n  apt-get install -y {packages}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
