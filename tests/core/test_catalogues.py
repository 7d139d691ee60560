"""Catalogues compile without GNU gettext (polib), and the .mo says what the .po says."""

import gettext

import polib
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from lianxin.core.management.commands.compile_catalogues import (
    catalogue_paths,
    compile_catalogue,
    format_errors,
)

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'


def _load(mo_path):
    with open(mo_path, "rb") as fp:
        return gettext.GNUTranslations(fp)


def test_every_project_catalogue_is_found():
    apps = {path.parts[-5] for path in catalogue_paths()}
    assert {"core", "accounts", "cases", "venues", "wishes", "activities"} <= apps


@pytest.mark.parametrize("po_path", catalogue_paths(), ids=lambda p: p.parts[-5])
def test_compiled_catalogue_agrees_with_the_po(po_path, tmp_path):
    mo_path = tmp_path / "django.mo"
    compile_catalogue(po_path, mo_path)
    translations = _load(mo_path)
    catalogue = polib.pofile(str(po_path))
    translated = catalogue.translated_entries()
    assert translated, f"{po_path} has no translation"
    for entry in translated:
        if entry.msgid_plural:
            for n in (1, 2, 5):
                expected = entry.msgstr_plural[translations.plural(n)]
                if entry.msgctxt:
                    got = translations.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = translations.ngettext(entry.msgid, entry.msgid_plural, n)
                assert got == expected, (po_path, entry.msgid, n)
        elif entry.msgctxt:
            assert translations.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert translations.gettext(entry.msgid) == entry.msgstr, (po_path, entry.msgid)
    # Nothing beyond the translated entries (and the header) made it in.
    assert len(translations._catalog) == 1 + sum(
        len(e.msgstr_plural) if e.msgid_plural else 1 for e in translated
    )


def _locale_tree(tmp_path, body):
    po_path = tmp_path / "app" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PO_HEADER + body, encoding="utf-8")
    return po_path


def test_command_writes_each_mo_beside_its_po_leaving_out_fuzzy(tmp_path):
    po_path = _locale_tree(
        tmp_path,
        'msgid "你好"\nmsgstr "Hello"\n\n'
        '#, fuzzy\nmsgid "再见"\nmsgstr "Goodbye?"\n\n'
        'msgctxt "月份"\nmsgid "五"\nmsgstr "May"\n\n'
        '#, python-format\nmsgid "共 %(n)s 件"\nmsgid_plural "共 %(n)s 件"\n'
        'msgstr[0] "one request"\nmsgstr[1] "%(n)s requests"\n',
    )
    with override_settings(BASE_DIR=tmp_path, LOCALE_PATHS=[]):
        call_command("compile_catalogues", verbosity=0)
    translations = _load(po_path.with_suffix(".mo"))
    assert translations.gettext("你好") == "Hello"
    assert translations.gettext("再见") == "再见"  # fuzzy: not trusted, as msgfmt does
    assert translations.pgettext("月份", "五") == "May"
    assert translations.ngettext("共 %(n)s 件", "共 %(n)s 件", 3) % {"n": 3} == "3 requests"
    assert translations.ngettext("共 %(n)s 件", "共 %(n)s 件", 1) == "one request"


def test_a_second_run_rewrites_nothing(tmp_path):
    po_path = _locale_tree(tmp_path, 'msgid "你好"\nmsgstr "Hello"\n')
    assert compile_catalogue(po_path) is True
    assert compile_catalogue(po_path) is False


@pytest.mark.parametrize(
    ("flag", "msgid", "msgstr"),
    [
        ("python-format", "%(name)s 的诉求", "Request of %(nmae)s"),
        ("python-format", "第 %s 页", "Page"),
        ("python-format", "%s 到 %s", "%d to %s"),
        ("python-brace-format", "{name} 的诉求", "Request of {nmae}"),
    ],
)
def test_a_translation_whose_placeholders_would_raise_is_refused(tmp_path, flag, msgid, msgstr):
    _locale_tree(tmp_path, f'#, {flag}\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n')
    with override_settings(BASE_DIR=tmp_path, LOCALE_PATHS=[]), pytest.raises(CommandError):
        call_command("compile_catalogues", verbosity=0)


def test_placeholders_that_fit_pass():
    entry = polib.POEntry(msgid="%(a)s 和 %(b)s", msgstr="%(b)s and %(a)s", flags=["python-format"])
    assert format_errors(entry) == []
    entry = polib.POEntry(msgid="100%% 完成 %s", msgstr="100%% done %s", flags=["python-format"])
    assert format_errors(entry) == []
