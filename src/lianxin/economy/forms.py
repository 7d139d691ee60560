from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
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


class ImportForm(Form):
    file = forms.FileField(label=_("收入台账表格（.xlsx）"))
    dry_run = forms.BooleanField(label=_("仅检查，不写入（试导入）"), required=False, initial=True)

    def clean_file(self):
        f = self.cleaned_data["file"]
        limit = getattr(settings, "LIANXIN_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
        if f.size > limit:
            raise forms.ValidationError(
                _("文件不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}
            )
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的表格。"))
        return f
