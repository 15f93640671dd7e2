from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.units import Unit

from . import grades, week
from .models import Outcome, Post, SideJob, TrainingProgramme, WorkforceSettings

WEEKDAYS = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]
SLOT_ROWS = 4


class ProbationReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("试用期考核结论"),
        choices=[("confirm", _("合格，予以转正")), ("end", _("不合格，解除聘用"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProbationSetForm(forms.Form):
    months = forms.IntegerField(label=_("试用期（月）"), min_value=0, max_value=6)
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class AssignManagerForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("街道（乡镇）"), queryset=Unit.objects.filter(kind=Unit.Kind.STREET)
    )
    manager = forms.ModelChoiceField(label=_("街道管理员"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from accounts.roles import Role

        self.fields["manager"].queryset = (
            get_user_model().objects.filter(groups__name=Role.UNIT_MANAGER).order_by("name")
        )
        self.fields["manager"].label_from_instance = lambda user: f"{user.name or user.email}"


class RoundOpenForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位（街道）"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


OUTCOME_CHOICES = [("", _("未评定")), *Outcome.choices]


class SideJobDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=[("approve", _("同意")), ("refuse", _("不同意"))],
        widget=forms.RadioSelect,
    )
    refusal = forms.ChoiceField(
        label=_("不予批准原因"), choices=[("", "—"), *SideJob.Refusal.choices], required=False
    )
    note = forms.CharField(
        label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("refusal"):
            self.add_error("refusal", _("请选择不予批准的原因。"))
        return data


class SideJobForm(forms.Form):
    organisation = forms.CharField(label=_("兼职单位"), max_length=100)
    kind = forms.ChoiceField(label=_("兼职类别"), choices=SideJob.Kind.choices)
    description = forms.CharField(label=_("兼职内容"), max_length=300, required=False)
    paid = forms.BooleanField(label=_("有报酬"), required=False)
    hours_per_week = forms.DecimalField(
        label=_("每周时长（小时）"), min_value=0.5, max_value=60, max_digits=4, decimal_places=1
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(SLOT_ROWS):
            self.fields[f"slot{i}_day"] = forms.TypedChoiceField(
                label=_("星期"), choices=[("", "—"), *WEEKDAYS], coerce=int, required=False, empty_value=None
            )
            self.fields[f"slot{i}_start"] = forms.TimeField(
                label=_("开始"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )
            self.fields[f"slot{i}_end"] = forms.TimeField(
                label=_("结束"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )

    def slot_rows(self):
        return [
            (self[f"slot{i}_day"], self[f"slot{i}_start"], self[f"slot{i}_end"]) for i in range(SLOT_ROWS)
        ]

    def clean(self):
        data = super().clean()
        slots = []
        for i in range(SLOT_ROWS):
            day, start, end = data.get(f"slot{i}_day"), data.get(f"slot{i}_start"), data.get(f"slot{i}_end")
            if day is None and start is None and end is None:
                continue
            if day is None or start is None or end is None:
                self.add_error(f"slot{i}_day", _("请完整填写星期、开始和结束时间。"))
                continue
            try:
                slots.append(week.parse_slot(day, start.isoformat(), end.isoformat()))
            except ValueError:
                self.add_error(f"slot{i}_end", _("结束时间须晚于开始时间。"))
        if not slots and not self.errors:
            self.add_error(None, _("请至少填写一个每周时段。"))
        data["slots"] = slots
        return data


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = TrainingProgramme
        fields = ["name", "kind", "description", "auto_enrol_new_hires", "pass_score"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SessionForm(forms.Form):
    title = forms.CharField(label=_("课程"), max_length=100)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=24, max_digits=4, decimal_places=1)
    place = forms.CharField(label=_("地点"), max_length=200)
    teacher = forms.CharField(label=_("授课人"), max_length=50, required=False)


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("培训结果"), choices=[("passed", _("合格")), ("failed", _("不合格"))])
    score = forms.DecimalField(label=_("成绩"), required=False, min_value=0, max_value=100, decimal_places=2)


def slot_text(slot) -> str:
    day, start, end = slot
    return f"{dict(WEEKDAYS)[int(day)]} {start.strftime('%H:%M') if isinstance(start, time) else start}–{end.strftime('%H:%M') if isinstance(end, time) else end}"


class SettingsForm(forms.ModelForm):
    """The city's rules an administrator sets on the portal (the pay table and duty hours
    have their own page: PayHoursForm)."""

    class Meta:
        model = WorkforceSettings
        fields = [
            "entry_mode",
            "step_years",
            "basic_counts",
            "fail_resets",
            "early_after_excellent",
            "max_early_steps",
            "excellent_share",
            "assessment_scale",
            "training_hours_required",
            "training_period_years",
            "side_job_max_hours",
            "side_job_max_months",
            "probation_reminder_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ranges = self.instance.grade_ranges or {}
        for post in grades.POSTS:
            low, high = ranges.get(post, grades.GradeRules().ranges[post])
            label = Post(post).label
            self.fields[f"{post}_low"] = forms.IntegerField(
                label=_("%(post)s最低等级") % {"post": label}, min_value=1, max_value=18, initial=low
            )
            self.fields[f"{post}_high"] = forms.IntegerField(
                label=_("%(post)s最高等级") % {"post": label}, min_value=1, max_value=18, initial=high
            )

    def clean(self):
        data = super().clean()
        for post in grades.POSTS:
            low, high = data.get(f"{post}_low"), data.get(f"{post}_high")
            if low is not None and high is not None and low > high:
                self.add_error(f"{post}_high", _("最高等级不能低于最低等级。"))
        return data

    def save(self, commit=True):
        self.instance.grade_ranges = {
            post: [self.cleaned_data[f"{post}_low"], self.cleaned_data[f"{post}_high"]]
            for post in grades.POSTS
        }
        return super().save(commit=commit)


GRADES = range(1, 19)


def _money(value) -> str:
    """3150 → "3150", 3150.5 → "3150.50" (the table's text; no exponent)."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


BLOCKS = (("am", _("上午")), ("pm", _("下午")))


class PayHoursForm(forms.Form):
    """The pay table (monthly base pay per grade, 1 to 18) and the weekly duty hours (up to
    two blocks a day): what a worker sees as their level's pay, and what a side job may not
    overlap. Each fault is said at its field."""

    def __init__(self, *args, settings: WorkforceSettings, **kwargs):
        super().__init__(*args, **kwargs)
        pay = settings.pay_table or {}
        for grade in GRADES:
            self.fields[f"pay_{grade}"] = forms.DecimalField(
                label=_("%(n)s级") % {"n": grade},
                min_value=0,
                max_value=99999,
                max_digits=7,
                decimal_places=2,
                required=False,
                initial=pay.get(str(grade)) or None,
                widget=forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}),
            )
        by_day: dict[int, list] = {}
        for day, start, end in sorted(settings.duty_hours or [], key=lambda b: (int(b[0]), b[1])):
            by_day.setdefault(int(day), []).append((start, end))
        for day, day_label in WEEKDAYS:
            blocks = by_day.get(day, [])
            for index, (block, block_label) in enumerate(BLOCKS):
                start, end = blocks[index] if index < len(blocks) else (None, None)
                for part, part_label, value in (("start", _("开始"), start), ("end", _("结束"), end)):
                    self.fields[f"d{day}_{block}_{part}"] = forms.TimeField(
                        label=f"{day_label}{block_label}{part_label}",
                        required=False,
                        initial=value,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    )

    def pay_fields(self):
        return [self[f"pay_{grade}"] for grade in GRADES]

    def duty_rows(self):
        return [
            (label, [(self[f"d{day}_{b}_start"], self[f"d{day}_{b}_end"]) for b, _l in BLOCKS])
            for day, label in WEEKDAYS
        ]

    def clean(self):
        data = super().clean()
        previous = None
        for grade in GRADES:
            value = data.get(f"pay_{grade}")
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                self.add_error(
                    f"pay_{grade}",
                    _("不得低于%(n)s级的%(pay)s元。") % {"n": previous[0], "pay": previous[1]},
                )
            previous = (grade, value)
        if not any(data.get(f"pay_{grade}") is not None for grade in GRADES) and not self.errors:
            self.add_error("pay_1", _("请至少填写一个等级的工资。"))
        blocks = []
        for day, _label in WEEKDAYS:
            last_end = None
            for block, _block_label in BLOCKS:
                start, end = data.get(f"d{day}_{block}_start"), data.get(f"d{day}_{block}_end")
                if (start is None) != (end is None):
                    if f"d{day}_{block}_start" in self.errors or f"d{day}_{block}_end" in self.errors:
                        continue
                    missing = f"d{day}_{block}_end" if end is None else f"d{day}_{block}_start"
                    self.add_error(missing, _("开始和结束时间须同时填写。"))
                    continue
                if start is None:
                    continue
                if end <= start:
                    self.add_error(f"d{day}_{block}_end", _("结束时间须晚于开始时间。"))
                    continue
                if last_end is not None and start < last_end:
                    self.add_error(f"d{day}_{block}_start", _("下午须在上午结束之后开始。"))
                    continue
                last_end = end
                blocks.append([day, start.strftime("%H:%M"), end.strftime("%H:%M")])
        self.duty_hours = blocks
        self.pay_table = {
            str(grade): _money(data[f"pay_{grade}"])
            for grade in GRADES
            if data.get(f"pay_{grade}") is not None
        }
        return data
