from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importer import _split
from .models import Announcement, BonusCategory, Correction, Position

# Seconds are shown (step=1) so an unchanged value is posted back as it was stored.
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Deadlines: a time typed to the minute means the end of that minute (23:59 → 23:59:59).
DEADLINE_FIELDS = ["registration_closes_at", "review_deadline"]

SCHEDULE_FIELDS = [
    "registration_opens_at",
    "registration_closes_at",
    "review_deadline",
    "interview_at",
]
# The ticket-printing window and the written exam's times belong to the exam plan (exams),
# the one source of truth; the announcement shows them through recruitment.hooks.


class _NoFormTagMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _typed_seconds(raw) -> bool:
    """True when the posted text carries seconds ("2026-12-31T23:59:30"), not just minutes."""
    text = str(raw or "").strip().replace(" ", "T")
    time_part = text.partition("T")[2]
    return time_part.count(":") >= 2


class ScheduleSecondsMixin:
    """Times keep their seconds through every edit, and a deadline typed to the minute
    closes at the end of it.

    - A posted time without seconds that names the same minute as the stored value keeps
      the stored value: a title-only edit no longer moves 23:59:59 to 23:59:00 (browsers
      post "23:59" for a datetime-local input whatever its seconds were).
    - A deadline (DEADLINE_FIELDS) typed to the minute gets 59 seconds: "23:59" closes at
      23:59:59, as announcements mean "截至23:59".
    """

    schedule_fields: list[str] = []

    def _stored(self, name):
        return getattr(self.instance, name, None) if getattr(self.instance, "pk", None) else None

    def clean(self):
        data = super().clean()
        for name in self.schedule_fields:
            value = data.get(name)
            if value is None or _typed_seconds(self.data.get(self.add_prefix(name))):
                continue
            stored = self._stored(name)
            if stored is not None and stored.replace(second=0, microsecond=0) == value.replace(
                second=0, microsecond=0
            ):
                data[name] = stored
            elif name in DEADLINE_FIELDS:
                data[name] = value.replace(second=59, microsecond=0)
        return data


class AnnouncementForm(ScheduleSecondsMixin, _NoFormTagMixin, forms.ModelForm):
    schedule_fields = SCHEDULE_FIELDS

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
            "written_pass_on_total",
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
        from . import hooks  # exams registers the lock (a confirmed ranking freezes these rules)

        if hooks.ranking_rules_locked(self.instance):
            for name in hooks.RANKING_RULE_FIELDS:
                if name in self.changed_data:
                    self.add_error(name, _("排名已确认，此规则已锁定，不能修改。"))
        return _check_schedule(self, data)


def _check_schedule(form, data):
    """The schedule's order, as field errors (shared by the edit and the correction form)."""
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    review = data.get("review_deadline")
    if opens and closes and closes <= opens:
        form.add_error("registration_closes_at", _("报名截止时间必须晚于报名开始时间。"))
    elif closes and review and review < closes:
        form.add_error("review_deadline", _("资格审核截止时间不能早于报名截止时间。"))
    interview = data.get("interview_at")
    if review and interview and interview <= review:
        form.add_error("interview_at", _("面试时间必须晚于资格审核截止时间。"))
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
        {"id": form.instance.pk, "name": form.cleaned_data["name"], "points": form.cleaned_data["points"]}
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
            "born_on_or_after",
            "born_on_or_before",
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
            "born_on_or_after": DATE_INPUT,
            "born_on_or_before": DATE_INPUT,
            "other_conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, announcement, **kwargs):
        self.announcement = announcement
        super().__init__(*args, **kwargs)
        self.fields["quota"].min_value = 1
        self.fields["quota"].widget.attrs["min"] = 1
        _birth_range_help(self, announcement)

    def clean(self):
        data = super().clean()
        if data.get("min_age") and data.get("max_age") and data["max_age"] < data["min_age"]:
            self.add_error("max_age", _("最高年龄不能小于最低年龄。"))
        return _check_birth_range(self, data)

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


def _birth_range_help(form, announcement) -> None:
    """Show the derived birth dates; leave the fields empty while they are derived, so that
    changing an age re-derives them instead of freezing the old dates as custom ones."""
    from .age_rules import birth_range

    instance = form.instance
    if instance.pk and not instance.birth_range_custom:
        form.initial["born_on_or_after"] = None
        form.initial["born_on_or_before"] = None
    reference = announcement.reference_date
    derived = birth_range(instance.min_age, instance.max_age, reference)
    params = {"reference": reference.isoformat()}
    form.fields["born_on_or_after"].help_text = _(
        "留空则按最高年龄自动计算（基准日 %(reference)s，例如 35 周岁及以下为 %(date)s 及以后出生）。"
    ) % {**params, "date": derived.earliest.isoformat()}
    form.fields["born_on_or_before"].help_text = _(
        "留空则按最低年龄自动计算（基准日 %(reference)s，例如 18 周岁及以上为 %(date)s 及以前出生）。"
    ) % {**params, "date": derived.latest.isoformat()}


def _check_birth_range(form, data):
    after, before = data.get("born_on_or_after"), data.get("born_on_or_before")
    if after and before and after > before:
        form.add_error("born_on_or_before", _("出生日期范围有误：起始日期晚于截止日期。"))
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


# --- Corrections (更正公告 / 补充公告) ------------------------------------------------------


class CorrectionNoticeForm(_NoFormTagMixin, forms.Form):
    """The notice itself; the changed fields come from the announcement or position form
    shown below it on the same page."""

    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=Correction.Kind.choices)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    reason = forms.CharField(
        label=gettext_lazy("更正或补充原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("在公告页面公开，并通知相关报考人员。"),
    )
    body = forms.CharField(
        label=gettext_lazy("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("支持 Markdown；修改的字段会自动列出“原为 → 改为”，无需在正文中重复。"),
    )


POSITION_CORRECTION_FIELDS = [
    "name",
    "district",
    "street",
    "community",
    "min_age",
    "max_age",
    "max_age_experienced",
    "experienced_years",
    "born_on_or_after",
    "born_on_or_before",
    "min_education",
    "majors",
    "household_regions",
    "household_settled_before",
    "political_requirement",
    "min_experience_years",
    "other_conditions",
]


class PositionCorrectionForm(_NoFormTagMixin, forms.ModelForm):
    majors = PositionForm.base_fields["majors"]
    household_regions = PositionForm.base_fields["household_regions"]

    class Meta:
        model = Position
        fields = POSITION_CORRECTION_FIELDS
        widgets = PositionForm.Meta.widgets

    def __init__(self, *args, announcement, **kwargs):
        self.announcement = announcement
        super().__init__(*args, **kwargs)
        _birth_range_help(self, announcement)

    def clean(self):
        data = super().clean()
        if data.get("min_age") and data.get("max_age") and data["max_age"] < data["min_age"]:
            self.add_error("max_age", _("最高年龄不能小于最低年龄。"))
        return _check_birth_range(self, data)
