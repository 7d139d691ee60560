"""Every user-facing message has its English entry.

The catalogues are re-extracted from the current source (with Django's makemessages, into a
copy of the tree) so a string added without updating ``locale/en`` fails here, as does an
empty or fuzzy translation.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lianxin"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if shutil.which("xgettext") is None:
        pytest.fail(
            "GNU gettext (xgettext) is needed to check translations: apt-get install gettext"
        )
    root = tmp_path_factory.mktemp("i18n") / "lianxin"
    shutil.copytree(
        SRC, root, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "data", "static")
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=root,
        check=False,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "lianxin.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(SRC.parent),
        },
    )
    if result.returncode != 0:
        pytest.fail(
            "makemessages failed (does every app have a committed locale/en/LC_MESSAGES/django.po?): "
            + result.stderr[-2000:]
        )
    return root


def _apps_with_messages(root: Path):
    return sorted(p for p in root.glob("*/locale/en/LC_MESSAGES/django.po"))


def test_every_message_has_an_english_translation(extracted):
    problems = []
    catalogues = _apps_with_messages(extracted)
    assert catalogues, "no catalogues extracted"
    for po_path in catalogues:
        app = po_path.parts[-5]
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            translated = (
                entry.msgstr or all(entry.msgstr_plural.values())
                if entry.msgid_plural
                else entry.msgstr
            )
            if not translated or "fuzzy" in entry.flags:
                problems.append(f"{app}: {entry.msgid!r}")
    assert not problems, f"{len(problems)} messages lack English: " + "; ".join(problems[:40])


def test_committed_catalogues_are_complete():
    for po_path in SRC.glob("*/locale/en/LC_MESSAGES/django.po"):
        po = polib.pofile(str(po_path))
        assert po.percent_translated() == 100, po_path
