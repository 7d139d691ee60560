from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.core.uploads import XlsxImportForm
from lianxin.economy.models import SOURCES


class IncomeForm(Form):
    """The six sources in 元 and a note; the amounts are checked by ``income_set``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SOURCES:
            self.fields[key] = forms.CharField(
                label=_("%(label)s（元）") % {"label": label},
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        self.fields["note"] = forms.CharField(label=_("备注"), required=False, max_length=300)


class ImportForm(XlsxImportForm):
    file = forms.FileField(label=_("收入台账表格（.xlsx）"))
