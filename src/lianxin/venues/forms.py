"""Input forms: they parse and label fields; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form, ModelForm
from lianxin.core.uploads import XlsxImportForm
from lianxin.org.pickers import UnitChoiceField
from lianxin.venues.models import (
    Condition,
    PhotoKind,
    Severity,
    Structure,
    UpgradePlan,
    Venue,
    VenueKind,
    WorkType,
)

NUM = {"inputmode": "decimal"}


class ArchiveForm(Form):
    """The phone form a village fills in a survey campaign (one venue record)."""

    bounded_model = Venue  # number fields bounded by the venue's columns (core.forms)
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    build_year = forms.IntegerField(
        label=_("建设年度"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    floor_area = forms.DecimalField(
        label=_("建筑面积（㎡）"),
        required=False,
        min_value=0,
        decimal_places=1,
        widget=forms.NumberInput(attrs=NUM),
    )
    office_area = forms.DecimalField(
        label=_("办公面积（㎡）"),
        required=False,
        min_value=0,
        decimal_places=1,
        widget=forms.NumberInput(attrs=NUM),
    )
    service_area = forms.DecimalField(
        label=_("服务面积（㎡）"),
        required=False,
        min_value=0,
        decimal_places=1,
        widget=forms.NumberInput(attrs=NUM),
        help_text=_("便民服务、议事、活动等群众使用的面积"),
    )
    structure = forms.ChoiceField(
        label=_("房屋结构"), required=False, choices=[("", "—"), *Structure.choices]
    )
    floors = forms.IntegerField(
        label=_("层数"),
        required=False,
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    condition = forms.ChoiceField(
        label=_("房屋状况"), required=False, choices=[("", "—"), *Condition.choices]
    )
    phone = forms.CharField(label=_("中心电话"), max_length=20, required=False)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=100, required=False)
    lng = forms.FloatField(label=_("经度"), required=False, min_value=73, max_value=136)
    lat = forms.FloatField(label=_("纬度"), required=False, min_value=3, max_value=54)

    def clean(self):
        data = super().clean()
        floor, office, service = (
            data.get("floor_area"),
            data.get("office_area"),
            data.get("service_area"),
        )
        if (
            floor is not None
            and office is not None
            and service is not None
            and office + service > floor
        ):
            self.add_error("service_area", _("办公面积与服务面积之和不能超过建筑面积。"))
        return data


class HazardForm(Form):
    description = forms.CharField(label=_("隐患描述"), max_length=200)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)


PHOTO_INPUT = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})


class PhotoForm(Form):
    # A plain FileField: an ImageField would let Pillow open the upload before core.photos'
    # byte and pixel caps; photo_clean (in the service) checks and re-encodes it.
    image = forms.FileField(label=_("照片"), widget=PHOTO_INPUT)
    kind = forms.ChoiceField(label=_("类别"), choices=PhotoKind.choices)
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class CampaignForm(Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    due_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ImportForm(XlsxImportForm):
    file = forms.FileField(label=_("档案表格（.xlsx）"))


class PlanForm(ModelForm):
    class Meta:
        model = UpgradePlan
        fields = [
            "year",
            "work_type",
            "target_area",
            "style_notes",
            "interior_notes",
            "budget",
            "fund_provincial",
            "fund_party_fee",
            "fund_party_building",
            "fund_other",
        ]
        widgets = {
            "style_notes": forms.Textarea(attrs={"rows": 2}),
            "interior_notes": forms.Textarea(attrs={"rows": 2}),
            "work_type": forms.Select(choices=WorkType.choices),
        }
        help_texts = {"budget": _("单位：万元；各渠道资金之和须等于预算")}

    def clean(self):
        data = super().clean()
        parts = [
            data.get(f)
            for f in ("fund_provincial", "fund_party_fee", "fund_party_building", "fund_other")
        ]
        if (
            data.get("budget") is not None
            and all(p is not None for p in parts)
            and sum(parts) != data["budget"]
        ):
            self.add_error(
                "budget", _("各渠道资金合计 %(total)s 万元，与预算不一致。") % {"total": sum(parts)}
            )
        return data

    def _post_clean(self):
        # Model validation runs in the service (plan_save), which owns the rule.
        pass


class DutyForm(Form):
    staff = forms.ModelChoiceField(label=_("值班人员"), queryset=None)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    post = forms.CharField(label=_("岗位"), max_length=50, initial=_("坐班干部"))
    starts = forms.TimeField(
        label=_("开始"),
        initial="08:30",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=_("结束"),
        initial="17:30",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, staff_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs
        self.fields["staff"].label_from_instance = str

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("结束时间须晚于开始时间。"))
        return data


class CertificateForm(Form):
    staff = forms.ModelChoiceField(label=_("持证人"), queryset=None)
    name = forms.CharField(label=_("证书名称"), max_length=60)
    number = forms.CharField(label=_("证书编号"), max_length=40, required=False)
    expires_on = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, staff_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs
        self.fields["staff"].label_from_instance = str


class VenueCreateForm(ArchiveForm):
    """A new venue of any type (新时代文明实践站, 暖蜂驿站, 司机之家 …) at a unit in scope."""

    unit = UnitChoiceField(label=_("所属单位"), queryset=None)  # grouped by town (org.pickers)
    kind = forms.ChoiceField(label=_("场所类型"), choices=VenueKind.choices)

    field_order = ["unit", "kind", "name"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.order_fields(self.field_order)
