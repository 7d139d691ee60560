"""The one upload form of the .xlsx imports (村级集体经济, 阵地档案): a file and the dry-run box.

Rule: a file over ``LIANXIN_IMPORT_MAX_BYTES`` (default 20 MB) or not named ``.xlsx`` is
refused on the form, before a background job is started for it — the reader
(``core.spreadsheets.read_table``) then only sees files the form let through. An app subclasses
``XlsxImportForm`` to give the file its own label.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def import_max_bytes() -> int:
    """``LIANXIN_IMPORT_MAX_BYTES``: the largest import file accepted."""
    return int(getattr(settings, "LIANXIN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_xlsx_upload(f: UploadedFile) -> UploadedFile:
    """``f`` if it is small enough and named .xlsx, else a ``ValidationError`` in Chinese."""
    limit = import_max_bytes()
    if (f.size or 0) > limit:
        raise forms.ValidationError(_("文件不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)})
    if not (f.name or "").lower().endswith(".xlsx"):
        raise forms.ValidationError(_("请上传 .xlsx 格式的表格。"))
    return f


class XlsxImportForm(Form):
    """Upload an .xlsx sheet, by default as a dry run; subclasses relabel ``file``."""

    file = forms.FileField(label=_("表格（.xlsx）"))
    dry_run = forms.BooleanField(label=_("仅检查，不写入（试导入）"), required=False, initial=True)

    def clean_file(self) -> UploadedFile:
        return clean_xlsx_upload(self.cleaned_data["file"])
