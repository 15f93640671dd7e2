"""Forms of the review console. Labels on every field; errors in Chinese at the field."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import EligibilityOutcome, Stage
from recruitment.models import Position

from .models import RejectionReason
from .selectors import ALL_STAGES, REVIEWABLE_STAGES


class QueueFilterForm(forms.Form):
    announcement = forms.ModelChoiceField(
        queryset=None, required=False, label=_("招聘公告"), empty_label=_("全部")
    )
    position = forms.ModelChoiceField(
        queryset=Position.objects.none(), required=False, label=_("岗位"), empty_label=_("全部")
    )
    stage = forms.ChoiceField(required=False, label=_("状态"))
    outcome = forms.ChoiceField(required=False, label=_("自动检查"))
    q = forms.CharField(
        required=False,
        max_length=40,
        label=_("搜索"),
        help_text=_("姓名、手机号、身份证号，或身份证号后 4 位、6 位"),
    )

    def __init__(self, *args, announcements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["announcement"].queryset = announcements.only("pk", "title").order_by(
            "-registration_opens_at", "-pk"
        )
        # The queue opens on 待审核 (review.selectors.clean_filters); "all" is every stage.
        self.fields["stage"].choices = [(ALL_STAGES, _("全部"))] + [
            (value, label) for value, label in Stage.choices if value in REVIEWABLE_STAGES
        ]
        self.fields["outcome"].choices = [("", _("全部")), *EligibilityOutcome.choices]
        announcement_id = (self.data.get("announcement") or "").strip() if self.is_bound else ""
        if announcement_id.isdigit():
            self.fields["position"].queryset = Position.objects.filter(
                announcement__in=announcements, announcement_id=int(announcement_id)
            ).only("pk", "code", "name")


class DecisionForm(forms.Form):
    APPROVE, REJECT, RETURN = "approve", "reject", "return"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("审核通过")), (REJECT, _("审核不通过")), (RETURN, _("退回修改"))],
        label=_("审核结论"),
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ModelChoiceField(
        queryset=RejectionReason.objects.filter(active=True),
        required=False,
        label=_("不通过原因"),
        empty_label=_("请选择"),
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        label=_("不通过说明"),
        help_text=_("报考人员会看到这段文字。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    instructions = forms.CharField(
        required=False,
        max_length=1000,
        label=_("需修改的内容"),
        help_text=_("写清楚要补充或更正什么，报考人员会看到。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.REJECT:
            if not data.get("reason"):
                self.add_error("reason", _("请选择不通过原因。"))
            if not (data.get("note") or "").strip():
                self.add_error("note", _("请填写不通过的具体说明，报考人员会看到这段文字。"))
        if decision == self.RETURN and not (data.get("instructions") or "").strip():
            self.add_error("instructions", _("请写明需要修改的内容。"))
        return data


class BulkApproveForm(forms.Form):
    confirm = forms.BooleanField(label=_("我已核对数量，确认全部审核通过"), required=True)
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # When the count was shown: only applications submitted by then are approved.
    as_of = forms.DateTimeField(widget=forms.HiddenInput)

    MAX_AGE = timedelta(hours=2)

    def clean_as_of(self):
        value = self.cleaned_data["as_of"]
        now = timezone.now()
        if value > now + timedelta(minutes=1) or value < now - self.MAX_AGE:
            raise forms.ValidationError(_("确认页面已过期，请重新核对数量后再确认。"))
        return value


class RejectionReasonForm(forms.ModelForm):
    class Meta:
        model = RejectionReason
        fields = ["code", "label", "label_en", "order", "active"]
        help_texts = {"code": _("英文字母、数字或连字符，保存后不能修改，例如 age")}


class RejectionReasonEditForm(forms.ModelForm):
    class Meta:
        model = RejectionReason
        fields = ["label", "label_en", "order", "active"]


class PositionAdjustForm(forms.Form):
    REDUCE, CANCEL = "reduce", "cancel"

    action = forms.ChoiceField(choices=[(REDUCE, _("核减名额")), (CANCEL, _("取消岗位"))], label=_("操作"))
    quota = forms.IntegerField(required=False, min_value=1, label=_("核减后的招聘人数"))
    reason = forms.CharField(max_length=500, label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REDUCE and not data.get("quota"):
            self.add_error("quota", _("请填写核减后的招聘人数。"))
        return data


class ReopenForm(forms.Form):
    """An administrator withdraws a decision made in error (review.services.application_reopen)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=1000,
        label=_("撤销原因"),
        help_text=_("报考人员会收到这段文字；撤销后报名回到待审核，重新作出审核结论。"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("请写明撤销审核结论的原因，报考人员会看到这段文字。")},
    )
