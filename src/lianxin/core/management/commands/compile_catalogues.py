"""Compile every locale's ``django.po`` into ``django.mo`` with polib: no GNU gettext needed.

Django's ``compilemessages`` shells out to ``msgfmt``, which a minimal Debian lacks, so ``make``
uses this instead. It writes what ``msgfmt --check-format`` would: fuzzy and obsolete entries
are left out, and a translation whose placeholders do not fit its msgid (``%(name)s``, ``%s``,
``{name}``) is refused, since it would raise when the page renders.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)
BRACE = re.compile(r"(?<!\{)\{(?P<field>[^{}!:]*)[^{}]*\}(?!\})")


def _percent(text: str) -> tuple[set[str], list[str]]:
    names: set[str] = set()
    positional: list[str] = []
    for match in PERCENT.finditer(text):
        if match["conv"] == "%":
            continue
        if match["name"] is not None:
            names.add(match["name"])
        else:
            positional.append(match["conv"])
    return names, positional


def format_errors(entry: polib.POEntry) -> list[str]:
    """Placeholders in the translation that the msgid does not supply (empty when it fits)."""
    ids = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    strs = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    errors = []
    if "python-format" in entry.flags:
        id_names = set().union(*(_percent(i)[0] for i in ids))
        id_positional = _percent(ids[-1])[1]
        for text in strs:
            names, positional = _percent(text)
            if names - id_names:
                errors.append(f"unknown placeholder(s) {sorted(names - id_names)}")
            # A plural form may drop the count ("one request"); a plain translation may not.
            if positional != id_positional and (positional or not entry.msgid_plural):
                errors.append(f"positional {positional} where the msgid has {id_positional}")
    if "python-brace-format" in entry.flags:
        id_fields = {m["field"] for i in ids for m in BRACE.finditer(i)}
        for text in strs:
            fields = {m["field"] for m in BRACE.finditer(text)}
            if fields - id_fields:
                errors.append(f"unknown field(s) {sorted(fields - id_fields)}")
    return errors


def catalogue_paths() -> list[Path]:
    """Every ``LC_MESSAGES/*.po`` of the project's apps and of ``LOCALE_PATHS``."""
    roots = [Path(settings.BASE_DIR)] + [Path(p) for p in getattr(settings, "LOCALE_PATHS", [])]
    found: set[Path] = set()
    for root in roots:
        found.update(root.glob("**/locale/*/LC_MESSAGES/*.po"))
        found.update(root.glob("*/LC_MESSAGES/*.po"))  # a LOCALE_PATHS entry is a locale dir
    return sorted(found)


def compile_catalogue(po_path: Path, mo_path: Path | None = None) -> bool:
    """Write the .mo for one .po; True when it changed. Raises ValueError on a bad placeholder."""
    catalogue = polib.pofile(str(po_path))
    problems = [
        f"{po_path}:{entry.linenum}: {problem} in msgstr of {entry.msgid!r}"
        for entry in catalogue.translated_entries()
        for problem in format_errors(entry)
    ]
    if problems:
        raise ValueError("\n".join(problems))
    mo_path = mo_path or po_path.with_suffix(".mo")
    data = catalogue.to_binary()
    if mo_path.exists() and mo_path.read_bytes() == data:
        return False
    partial = mo_path.with_name(mo_path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(mo_path)  # a running server never reads half a catalogue
    return True


class Command(BaseCommand):
    help = "用 polib 编译全部翻译文件（.po → .mo），不需要 GNU gettext"

    requires_system_checks = []

    def handle(self, *args, **options):
        paths = catalogue_paths()
        if not paths:
            raise CommandError("no .po catalogues found")
        errors, written = [], 0
        for po_path in paths:
            try:
                written += compile_catalogue(po_path)
            except (ValueError, OSError) as exc:
                errors.append(str(exc))
        if errors:
            raise CommandError("\n".join(errors))
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(paths)} catalogues, {written} .mo written")
