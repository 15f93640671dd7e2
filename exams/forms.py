"""Forms of the exam pages: they validate input and shape; the rules that need the
database (overlaps, seats, lock) are checked by exams.services and shown at the field."""

from __future__ import annotations

from datetime import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role

from .models import MAX_ROOM_CAPACITY, ExamPlan, Room, Venue

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _Crispy:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class PlanForm(_Crispy, forms.ModelForm):
    class Meta:
        model = ExamPlan
        fields = [
            "print_starts_at",
            "print_ends_at",
            "entry_cutoff_minutes",
            "unprinted_forfeits",
            "exam_code",
            "district_code",
            "number_format",
            "rules_text",
        ]
        widgets = {
            "print_starts_at": DATETIME_INPUT,
            "print_ends_at": DATETIME_INPUT,
            "rules_text": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("print_starts_at"), data.get("print_ends_at")
        if starts and ends and ends <= starts:
            self.add_error("print_ends_at", _("打印截止时间必须晚于开始时间。"))
        return data


def _combine(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class SessionForm(_Crispy, forms.Form):
    subject = forms.CharField(label=_("科目"), max_length=100, initial=_("综合知识"))
    day = forms.DateField(label=_("考试日期"), widget=DATE_INPUT)
    start = forms.TimeField(label=_("开始时间"), widget=TIME_INPUT)
    end = forms.TimeField(label=_("结束时间"), widget=TIME_INPUT)
    full_marks = forms.DecimalField(
        label=_("满分"), initial=100, min_value=1, max_value=999, max_digits=5, decimal_places=2
    )
    parts = forms.CharField(
        label=_("试卷组成（可选）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "一行一个部分：名称、空格、分值，合计须等于满分，例如“公共基础知识 40”。留空表示一张试卷。"
        ),
    )
    positions = forms.ModelMultipleChoiceField(
        label=_("参加本场考试的岗位"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示全部岗位。不同岗位的考试可以同时进行。"),
    )

    def __init__(self, *args, plan: ExamPlan, session=None, **kwargs):
        if session is not None and "initial" not in kwargs:
            starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            kwargs["initial"] = {
                "subject": session.subject,
                "day": starts.date(),
                "start": starts.time(),
                "end": ends.time(),
                "full_marks": session.full_marks,
                "parts": "\n".join(f"{p['name']} {p['marks']}" for p in session.parts),
                "positions": list(session.positions.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["positions"].queryset = plan.announcement.positions.order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = _combine(data["day"], data["start"])
            data["ends_at"] = _combine(data["day"], data["end"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("结束时间必须晚于开始时间。"))
        return data


class VenueForm(_Crispy, forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "address", "directions", "code"]
        widgets = {"directions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"code": _("2位数字，留空自动分配。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False


class RoomsAddForm(_Crispy, forms.Form):
    count = forms.IntegerField(label=_("增加考场数"), min_value=1, max_value=300, initial=1)
    capacity = forms.IntegerField(
        label=_("每个考场座位数"),
        min_value=1,
        max_value=MAX_ROOM_CAPACITY,
        initial=30,
        error_messages={"max_value": _("一个考场最多 99 个座位（座位号只有两位）。")},
    )
    location = forms.CharField(label=_("考场位置（可选）"), max_length=100, required=False)


class RoomForm(_Crispy, forms.ModelForm):
    class Meta:
        model = Room
        fields = ["number", "location", "capacity"]
        error_messages = {"capacity": {"max_value": _("一个考场最多 99 个座位（座位号只有两位）。")}}


class ProctorForm(_Crispy, forms.Form):
    proctor = forms.ModelChoiceField(label=_("监考人员"), queryset=User.objects.none())
    chief = forms.BooleanField(label=_("主考（可在截止入场后放行、登记违纪）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proctor"].queryset = User.objects.filter(
            groups__name=Role.PROCTOR, is_active=True
        ).order_by("name")
        self.fields["proctor"].label_from_instance = lambda user: (
            f"{user.name or user.email}（{user.email or user.phone}）"
        )


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("更正原因（考生会看到）"))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class SessionTimeCorrectionForm(_Crispy, forms.Form):
    day = forms.DateField(label=_("考试日期"), widget=DATE_INPUT)
    start = forms.TimeField(label=_("开始时间"), widget=TIME_INPUT)
    end = forms.TimeField(label=_("结束时间"), widget=TIME_INPUT)
    reason = ReasonField()

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = _combine(data["day"], data["start"])
            data["ends_at"] = _combine(data["day"], data["end"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("结束时间必须晚于开始时间。"))
        return data


class RoomCorrectionForm(_Crispy, forms.Form):
    location = forms.CharField(label=_("考场新位置"), max_length=100)
    reason = ReasonField()


class VenueCorrectionForm(_Crispy, forms.Form):
    address = forms.CharField(label=_("考点地址"), max_length=200)
    directions = forms.CharField(
        label=_("交通指引"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = ReasonField()


class WindowCorrectionForm(_Crispy, forms.Form):
    print_starts_at = forms.DateTimeField(label=_("准考证打印开始时间"), widget=DATETIME_INPUT)
    print_ends_at = forms.DateTimeField(label=_("准考证打印截止时间"), widget=DATETIME_INPUT)
    reason = ReasonField()


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("准考证号或二维码"),
        max_length=400,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True, "data-qr-target": ""}
        ),
    )


class AdmitForm(forms.Form):
    ticket = forms.IntegerField(widget=forms.HiddenInput)
    via = forms.ChoiceField(choices=[("scan", "scan"), ("typed", "typed")], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("截止入场后放行原因"), max_length=200, required=False)


class DisqualifyForm(forms.Form):
    ticket = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("违纪情况"), max_length=200)
