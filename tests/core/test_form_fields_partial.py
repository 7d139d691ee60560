"""The shared form partial lays multi-choice fields out as a fieldset of inline checks.

It used to wrap the whole CheckboxSelectMultiple list in one ``form-check`` under a ``<label>``
pointing at nothing, so the boxes floated over the next fields (the 错时 rule form, the training
programme's 包含网格, the household tags).
"""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    days = forms.MultipleChoiceField(
        label="星期",
        choices=[("1", "周一"), ("2", "周二"), ("3", "周三")],
        widget=forms.CheckboxSelectMultiple,
    )
    mood = forms.ChoiceField(
        label="评价", choices=[("a", "满意"), ("b", "不满意")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="同意", required=False)
    name = forms.CharField(label="姓名")


def _render(data=None) -> str:
    return render_to_string("partials/form_fields.html", {"form": _Form(data)})


def test_multiple_checkboxes_are_a_fieldset_of_inline_checks():
    html = _render({"days": ["2"], "mood": "a", "name": "x"})
    block = re.search(r'<fieldset class="mb-3"[^>]*>\s*<legend[^>]*>星期.*?</fieldset>', html, re.S)
    assert block, html
    checks = re.findall(
        r'<div class="form-check form-check-inline m-0"><input type="checkbox"[^>]*>',
        block.group(0),
    )
    assert len(checks) == 3
    assert sum("checked" in c for c in checks) == 1 and 'value="2"' in next(
        c for c in checks if "checked" in c
    )
    # each box has its own label, and no <label for=...> points at the group as a whole
    assert (
        len(re.findall(r'<label class="form-check-label" for="id_days_\d">', block.group(0))) == 3
    )
    assert 'for="id_days"' not in html


def test_radio_choices_are_a_fieldset_and_single_checkbox_and_text_keep_label():
    html = _render()
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>评价", html)
    assert len(re.findall(r'type="radio"[^>]*required', html)) == 2
    assert '<label class="form-label" for="id_agree">同意' in html
    assert '<label class="form-label" for="id_name">姓名' in html


def test_errors_show_under_the_group():
    html = _render({"name": "x"})
    block = re.search(r"<fieldset.*?星期.*?</fieldset>", html, re.S).group(0)
    assert "is-invalid" in block and 'role="alert"' in block
