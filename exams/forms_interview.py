"""Forms of the interview pages. They check shape; the rules (panel size, one chief, the
day, locked scores) are the interview services' (exams.services.interview, interview_day,
interview_scoring) and shown at the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role

from .forms import DATE_INPUT, TIME_INPUT, _Crispy
from .models_interview import InterviewGroup


def _examiners():
    return User.objects.filter(groups__name=Role.EXAMINER, is_active=True).order_by("name", "pk")


def _label(user) -> str:
    return f"{user.name or user.email}（{user.email or user.phone}）"


class GroupForm(_Crispy, forms.ModelForm):
    class Meta:
        model = InterviewGroup
        fields = [
            "code",
            "name",
            "date",
            "starts_at",
            "report_by",
            "place",
            "waiting_room",
            "bring",
            "positions",
        ]
        widgets = {
            "date": DATE_INPUT,
            "starts_at": TIME_INPUT,
            "report_by": TIME_INPUT,
            "positions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, announcement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["positions"].queryset = announcement.positions.order_by("code", "pk")
        self.fields["positions"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["positions"].required = True

    def clean(self):
        data = super().clean()
        start, report = data.get("starts_at"), data.get("report_by")
        if start and report and report > start:
            self.add_error("report_by", _("报到截止时间不能晚于面试开始时间。"))
        return data


class ExaminerForm(_Crispy, forms.Form):
    user = forms.ModelChoiceField(label=_("考官"), queryset=User.objects.none())
    chief = forms.BooleanField(label=_("主考官"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _examiners()
        self.fields["user"].label_from_instance = _label


class ReplaceForm(_Crispy, forms.Form):
    user = forms.ModelChoiceField(label=_("替换为"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _examiners()
        self.fields["user"].label_from_instance = _label


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)


class ScoreForm(forms.Form):
    """One total (0–100) or one field per dimension; the numbers are read by the service."""

    def __init__(self, *args, config, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control form-control-lg"}
        if config.by_dimensions:
            for index, dimension in enumerate(config.dimensions):
                self.fields[f"d{index}"] = forms.CharField(
                    label=dimension.name,
                    max_length=10,
                    required=False,
                    help_text=_("满分 %(max)s") % {"max": f"{dimension.maximum.normalize():f}"},
                    widget=forms.TextInput(attrs=attrs),
                )
        else:
            self.fields["total"] = forms.CharField(
                label=_("评分（0–100，最多两位小数）"),
                max_length=10,
                required=False,
                widget=forms.TextInput(attrs=attrs),
            )
        self.config = config

    def values(self) -> tuple[str | None, dict]:
        data = self.data
        if self.config.by_dimensions:
            return None, {d.name: data.get(f"d{i}", "") for i, d in enumerate(self.config.dimensions)}
        return data.get("total", ""), {}

    def add_service_errors(self, error) -> None:
        names = {d.name: f"d{i}" for i, d in enumerate(self.config.dimensions)}
        for key, messages in error.message_dict.items():
            field = names.get(key, key if key in self.fields else None)
            for message in messages:
                self.add_error(field, message)
