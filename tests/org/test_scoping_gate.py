"""One scoping gate in fact: nothing outside ``lianxin.org`` builds a unit-path filter, and no
view narrows a queryset by scope itself (views call selectors; selectors call org.scoping).

Demo-data builders and migrations are exempt. ``request.path`` is a URL, not a unit path, so
only unit paths are matched: ``path__startswith`` lookups and ``<something>.unit.path``/
``<unit>.path.startswith`` calls.
"""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "lianxin"

# A Django lookup on a unit path: ``path__startswith=``, ``unit__path__startswith``, in a dict
# key or keyword, and the same on ``__path__startswith`` built in an f-string.
LOOKUP = re.compile(r"path__startswith")
# A Python prefix test on a unit's path: ``unit.path.startswith(``, ``m.unit.path.startswith(``,
# ``owner.path.startswith(`` — any ``.path.startswith(`` except on the request.
CALL = re.compile(r"(?<!request)(?<!self\.request)\.path\.startswith\(")


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "org" or "migrations" in rel.parts or path.name == "demo.py":
            continue
        if "demo" in rel.parts:
            continue
        yield rel, path.read_text(encoding="utf-8")


def _offenders(pattern):
    found = []
    for rel, text in _modules():
        for n, line in enumerate(text.splitlines(), 1):
            if pattern.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    return found


def test_the_patterns_match_what_they_should():
    assert LOOKUP.search("Q(unit__path__startswith=p)")
    assert LOOKUP.search('f"{field}__path__startswith"')
    assert CALL.search("case.unit.path.startswith(m.unit.path)")
    assert CALL.search("owner.path.startswith(p)")
    assert not CALL.search("request.path.startswith('/api/')")
    assert not CALL.search("self.request.path.startswith('/admin/')")
    assert not LOOKUP.search("request.path == '/'")


def test_no_unit_path_filter_outside_org():
    lookups, calls = _offenders(LOOKUP), _offenders(CALL)
    assert not lookups + calls, "use org.scoping instead of a path filter:\n" + "\n".join(
        lookups + calls
    )


VIEW_SCOPING = re.compile(r"\b(scope_queryset|scope_queryset_for_roles|scope_q)\(")


def _view_modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        in_views_package = "views" in rel.parts[:-1]
        if in_views_package or path.stem == "views" or path.stem.startswith("views_"):
            yield rel, path.read_text(encoding="utf-8")


def test_views_never_narrow_by_scope_themselves():
    found = [
        f"{rel}:{n}: {line.strip()}"
        for rel, text in _view_modules()
        for n, line in enumerate(text.splitlines(), 1)
        if VIEW_SCOPING.search(line)
    ]
    assert not found, "call a selector instead:\n" + "\n".join(found)


def test_org_views_use_selectors_only():
    text = (SRC / "org" / "views.py").read_text(encoding="utf-8")
    assert "visible_to(" not in text and "scope_queryset" not in text
