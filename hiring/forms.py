"""Forms of the hiring pages. Validation that needs the data (periods, order of checks,
deadlines) is in hiring.services; its ValidationError is put back on these forms' fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckResult, HiringSettings, Objection, Proposal

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SettingsForm(forms.ModelForm):
    class Meta:
        model = HiringSettings
        fields = [
            "check_order",
            "medical_standard",
            "recheck_days",
            "notice_day_kind",
            "supervision_phone",
            "objection_address",
            "report_materials",
        ]
        widgets = {"report_materials": forms.Textarea(attrs={"rows": 3})}


class NoticeForm(forms.Form):
    proposals = forms.MultipleChoiceField(
        label=_("公示人员"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择要公示的拟录用人员。")},
    )
    title = forms.CharField(
        label=_("公示标题"), max_length=200, required=False, help_text=_("留空则按公告标题生成。")
    )
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DATE_INPUT)
    ends_on = forms.DateField(
        label=_("公示结束日期"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("一般由系统按公示天数计算；只有节假日数据缺少该年份时才需要填写。"),
    )
    end_note = forms.CharField(
        label=_("结束日期依据"),
        max_length=300,
        required=False,
        help_text=_("例如：按国务院办公厅关于2027年部分节假日安排的通知计算。"),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = choices


class MedicalScheduleForm(forms.Form):
    on_date = forms.DateField(label=_("体检日期"), widget=DATE_INPUT)
    place = forms.CharField(label=_("体检地点"), max_length=200)


class MedicalResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("体检结论"),
        choices=[
            ("", "—"),
            (CheckResult.PASSED, _("合格")),
            (CheckResult.FAILED, _("不合格")),
            (CheckResult.ABSENT, _("未参加（视为放弃）")),
        ],
    )
    result_on = forms.DateField(label=_("结论日期"), widget=DATE_INPUT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BackgroundForm(forms.Form):
    result = forms.ChoiceField(
        label=_("考察结论"),
        choices=[("", "—"), (CheckResult.PASSED, _("合格")), (CheckResult.FAILED, _("不合格"))],
    )
    on_date = forms.DateField(label=_("考察日期"), widget=DATE_INPUT)
    summary = forms.CharField(
        label=_("考察情况摘要"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("收到日期"), widget=DATE_INPUT)
    summary = forms.CharField(
        label=_("异议内容摘要"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectionDecisionForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("核查结论"),
        choices=[
            ("", "—"),
            (Objection.Outcome.UPHELD, _("属实（取消拟录用）")),
            (Objection.Outcome.DISMISSED, _("不属实")),
        ],
    )
    outcome_note = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 2}))


class RemoveForm(forms.Form):
    EVENTS = [
        ("", "—"),
        (Proposal.Event.GAVE_UP, _("本人放弃（上传签字的书面声明）")),
        (Proposal.Event.DISQUALIFIED, _("违纪或弄虚作假（不递补）")),
    ]
    event = forms.ChoiceField(label=_("取消原因"), choices=EVENTS)
    note = forms.CharField(label=_("说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label=_("本人签字的书面声明"), required=False, help_text=_("本人放弃时必须上传（PDF、JPG或PNG）。")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("event") == Proposal.Event.GAVE_UP and not data.get("file"):
            self.add_error("file", _("请上传本人签字的书面声明。"))
        return data


class HireForm(forms.Form):
    start_date = forms.DateField(label=_("报到（入职）日期"), widget=DATE_INPUT)
    contract_years = forms.DecimalField(
        label=_("合同期限（年）"), max_digits=3, decimal_places=1, min_value=0.5, max_value=10, initial=3
    )
    report_place = forms.CharField(label=_("报到地点"), max_length=200)
    report_materials = forms.CharField(
        label=_("报到须携带的材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("留空则用录用设置中的内容。"),
    )


class ExtraTestForm(forms.Form):
    def __init__(self, *args, waiting=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in waiting:  # hiring.selectors.Waiting
            help_text = ""
            if item.last_score is not None:
                help_text = _("上次加试成绩：%(score)s分") % {"score": item.last_score}
            self.fields[f"score_{item.proposal.pk}"] = forms.DecimalField(
                label=item.name,
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                help_text=help_text,
                # The words of the ranking's 加试 page (exams.services.extra_test).
                error_messages={
                    "invalid": _("请输入 0 到 100 之间的分数，最多两位小数。"),
                    "min_value": _("请输入 0 到 100 之间的分数，最多两位小数。"),
                    "max_value": _("请输入 0 到 100 之间的分数，最多两位小数。"),
                    "max_decimal_places": _("分数最多保留两位小数。"),
                    "max_digits": _("请输入 0 到 100 之间的分数，最多两位小数。"),
                    "max_whole_digits": _("请输入 0 到 100 之间的分数，最多两位小数。"),
                },
            )


class GiveUpStartForm(forms.Form):
    reason = forms.CharField(label=_("放弃原因（选填）"), max_length=300, required=False)
    agree = forms.BooleanField(label=_("我已阅读上述声明，确认放弃。"))


class GiveUpConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
