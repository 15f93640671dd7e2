from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importer import _split
from .models import Announcement, BonusCategory, Position

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SCHEDULE_FIELDS = [
    "registration_opens_at",
    "registration_closes_at",
    "review_deadline",
    "ticket_print_starts_at",
    "ticket_print_ends_at",
    "written_exam_at",
    "interview_at",
]


class _NoFormTagMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AnnouncementForm(_NoFormTagMixin, forms.ModelForm):
    class Meta:
        model = Announcement
        fields = [
            "title",
            "organiser",
            "contact",
            "body",
            *SCHEDULE_FIELDS,
            "age_reference_date",
            "opening_ratio",
            "interview_ratio",
            "written_pass_mode",
            "written_pass_line",
            "interview_pass_line",
            "written_weight",
            "bonus_mode",
            "bonus_cap",
            "allow_switch_on_cancel",
            "public_notice_days",
        ]
        widgets = {
            **dict.fromkeys(SCHEDULE_FIELDS, DATETIME_INPUT),
            "age_reference_date": DATE_INPUT,
            "body": forms.Textarea(attrs={"rows": 14}),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        review = data.get("review_deadline")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("报名截止时间必须晚于报名开始时间。"))
        elif closes and review and review < closes:
            self.add_error("review_deadline", _("资格审核截止时间不能早于报名截止时间。"))
        start, end = data.get("ticket_print_starts_at"), data.get("ticket_print_ends_at")
        if start and end and end <= start:
            self.add_error("ticket_print_ends_at", _("准考证打印截止时间必须晚于开始时间。"))
        written, interview = data.get("written_exam_at"), data.get("interview_at")
        if written and interview and interview <= written:
            self.add_error("interview_at", _("面试时间必须晚于笔试时间。"))
        return data


class BonusCategoryForm(forms.ModelForm):
    class Meta:
        model = BonusCategory
        fields = ["name", "points"]


BonusCategoryFormSet = forms.inlineformset_factory(
    Announcement, BonusCategory, form=BonusCategoryForm, extra=2, can_delete=True, max_num=20
)


def bonus_categories_from(formset) -> list[dict]:
    return [
        {"name": form.cleaned_data["name"], "points": form.cleaned_data["points"]}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("name")
    ]


class ListField(forms.CharField):
    """A list typed as words separated by 、 or ，; blank or 不限 means no restriction."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "、".join(value)
        return value

    def to_python(self, value):
        return _split(super().to_python(value))


class PositionForm(_NoFormTagMixin, forms.ModelForm):
    majors = ListField(
        label=gettext_lazy("专业要求"),
        required=False,
        help_text=gettext_lazy("多个专业用顿号（、）分隔；留空或填“不限”为不限专业。"),
    )
    household_regions = ListField(
        label=gettext_lazy("户籍要求"),
        required=False,
        help_text=gettext_lazy("例如“辽宁省鞍山市”，多个用顿号分隔；留空为不限。"),
    )

    class Meta:
        model = Position
        fields = [
            "code",
            "name",
            "district",
            "street",
            "community",
            "quota",
            "min_age",
            "max_age",
            "max_age_experienced",
            "experienced_years",
            "min_education",
            "majors",
            "household_regions",
            "household_settled_before",
            "political_requirement",
            "min_experience_years",
            "other_conditions",
        ]
        widgets = {
            "household_settled_before": DATE_INPUT,
            "other_conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, announcement, **kwargs):
        self.announcement = announcement
        super().__init__(*args, **kwargs)
        self.fields["quota"].min_value = 1
        self.fields["quota"].widget.attrs["min"] = 1

    def clean_quota(self):
        quota = self.cleaned_data["quota"]
        if quota is not None and quota < 1:
            raise forms.ValidationError(_("招聘人数必须大于 0。"))
        return quota

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        others = self.announcement.positions.filter(code=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("本公告已有岗位代码 %(code)s。") % {"code": code})
        return code

    def clean(self):
        data = super().clean()
        if data.get("min_age") and data.get("max_age") and data["max_age"] < data["min_age"]:
            self.add_error("max_age", _("最高年龄不能小于最低年龄。"))
        return data


class PositionImportForm(_NoFormTagMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("岗位表（Excel .xlsx）"),
        help_text=gettext_lazy("不超过 2 MB，最多 2000 行；请使用平台提供的模板。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("替换本公告现有的全部岗位"),
        required=False,
        help_text=gettext_lazy("不勾选则追加；岗位代码不得与现有岗位重复。"),
    )


class AttachmentForm(_NoFormTagMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("附件名称"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("PDF 文件"),
        help_text=gettext_lazy("只接受 PDF，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ReasonForm(_NoFormTagMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("将告知该岗位的报考人员。"),
    )


class ReduceForm(ReasonForm):
    quota = forms.IntegerField(label=gettext_lazy("核减后的招聘人数"), min_value=1)

    field_order = ["quota", "reason"]

    def __init__(self, *args, position, **kwargs):
        self.position = position
        super().__init__(*args, **kwargs)
        self.fields["quota"].widget.attrs["max"] = max(position.quota - 1, 1)

    def clean_quota(self):
        quota = self.cleaned_data["quota"]
        if not 0 < quota < self.position.quota:
            raise forms.ValidationError(
                _("核减后的人数须大于 0 且小于现有人数 %(quota)d。") % {"quota": self.position.quota}
            )
        return quota


class ReviewerAssignForm(_NoFormTagMixin, forms.Form):
    reviewer = forms.ModelChoiceField(label=gettext_lazy("资格审核人员"), queryset=None)

    def __init__(self, *args, **kwargs):
        from .selectors import reviewer_candidates

        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_candidates()
