from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.workdays.models import DayKind


class DayForm(Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("名称"), max_length=50, help_text=_("如“元旦”“春节”；调休上班日可写“春节调休”。")
    )


class CompleteForm(Form):
    reference = forms.CharField(
        label=_("依据文件"),
        max_length=200,
        required=False,
        help_text=_("如“国务院办公厅关于2027年部分节假日安排的通知”。"),
    )


class ReopenForm(Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=500)


class ImportForm(Form):
    file = forms.FileField(label=_("节假日安排表格（.xlsx）"))
    dry_run = forms.BooleanField(label=_("仅检查，不写入（试导入）"), required=False, initial=True)
    complete = forms.BooleanField(
        label=_("导入后确认所涉年份的安排已完整"), required=False, initial=False
    )
    reference = forms.CharField(label=_("依据文件"), max_length=200, required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 2 MB。"))
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的表格。"))
        return f
