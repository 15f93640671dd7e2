"""Forms of written results. Scores are typed as text and parsed by
exams.services.written.parse_points (2 decimals at most, 0 to full marks), so a typed
"82.555" or "八十" gets the same message as in an import."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models_written import BonusClaim, PositionPassLine, ScoreReviewRequest, ScoreStatus
from .services.written import ScoreInputError, parse_points

SCORE_INPUT = forms.TextInput(
    attrs={
        "class": "form-control form-control-sm",
        "inputmode": "decimal",
        "autocomplete": "off",
        "style": "max-width: 7rem",
    }
)
MARK_CHOICES = [("scored", _("有成绩")), ("absent", _("缺考")), ("disqualified", _("违纪"))]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("成绩表（.xlsx）"), help_text=_("请使用下载的模板；准考证号列须为文本格式。")
    )


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("定时发布时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空则立即发布。"),
    )


class PassLineForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("合格线方式"),
        choices=[("", _("按公告规定"))] + list(PositionPassLine.Mode.choices),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
    value = forms.DecimalField(
        label=_("分数或百分比"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(
            attrs={"class": "form-control form-control-sm", "style": "max-width: 7rem", "step": "0.01"}
        ),
    )


class ScoreFields:
    """Fields of one candidate's score for a paper: a status, a total (one part) or a field
    per part. `prefix` keeps several candidates apart in one form."""

    @staticmethod
    def add(form: forms.Form, prefix: str, paper, *, required=False):
        form.fields[f"{prefix}status"] = forms.ChoiceField(
            label=_("状态"),
            choices=MARK_CHOICES,
            initial="scored",
            required=True,
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )
        if len(paper.parts) > 1:
            for i, part in enumerate(paper.parts):
                form.fields[f"{prefix}p{i}"] = forms.CharField(
                    label=f"{part.name}（{part.full_marks}）",
                    required=False,
                    max_length=10,
                    widget=SCORE_INPUT,
                )
        else:
            form.fields[f"{prefix}total"] = forms.CharField(
                label=_("成绩（满分%(full)s）") % {"full": paper.full_marks},
                required=False,
                max_length=10,
                widget=SCORE_INPUT,
            )

    @staticmethod
    def clean(form: forms.Form, prefix: str, paper) -> tuple[str, Decimal | None, list[Decimal]] | None:
        """(status, raw, parts) or None when the candidate's fields are all empty."""
        data = form.cleaned_data
        status = data.get(f"{prefix}status") or "scored"
        if len(paper.parts) > 1:
            texts = [(data.get(f"{prefix}p{i}") or "").strip() for i in range(len(paper.parts))]
        else:
            texts = [(data.get(f"{prefix}total") or "").strip()]
        if status != ScoreStatus.SCORED:
            if any(texts):
                form.add_error(f"{prefix}status", _("缺考或违纪的考生不填分数。"))
            return status, None, []
        if not any(texts):
            return None
        values = []
        for i, (text, part) in enumerate(zip(texts, paper.parts, strict=False)):
            field = f"{prefix}p{i}" if len(paper.parts) > 1 else f"{prefix}total"
            if not text:
                form.add_error(field, _("请填写%(part)s的分数。") % {"part": part.name})
                continue
            try:
                values.append(
                    parse_points(text, part.full_marks if len(paper.parts) > 1 else paper.full_marks)
                )
            except ScoreInputError as error:
                form.add_error(field, error.message)
        if len(values) != len(texts):
            return None
        if len(paper.parts) > 1:
            return status, sum(values, Decimal(0)), values
        return status, values[0], []


class RoomEntryForm(forms.Form):
    """Double entry of one room: a row per ticket (`t<ticket id>_…`)."""

    def __init__(self, *args, tickets, papers_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for ticket in tickets:
            prefix = f"t{ticket.pk}_"
            paper = papers_for(ticket)
            ScoreFields.add(self, prefix, paper)
            self.rows.append((ticket, prefix, paper))

    def entries(self):
        """[(ticket, status, raw, parts)] of the filled rows (after is_valid)."""
        out = []
        for ticket, prefix, paper in self.rows:
            value = ScoreFields.clean(self, prefix, paper)
            if value is not None:
                out.append((ticket, *value))
        return out

    def bound_rows(self):
        for ticket, prefix, _paper in self.rows:
            names = [name for name in self.fields if name.startswith(prefix)]
            yield ticket, [self[name] for name in names]


class OneScoreForm(forms.Form):
    """One candidate's figure (resolution of a mismatch, a correction)."""

    def __init__(self, *args, paper, with_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.paper = paper
        ScoreFields.add(self, "", paper)
        if with_reason:
            self.fields["reason"] = forms.CharField(
                label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        self.value = ScoreFields.clean(self, "", self.paper)
        if self.value is None and not self.errors:
            raise forms.ValidationError(_("请填写分数，或选择缺考、违纪。"))
        return data


class BonusClaimForm(forms.Form):
    category = forms.ModelChoiceField(label=_("加分项目"), queryset=None)
    proof = forms.ModelChoiceField(
        label=_("证明材料"), queryset=None, help_text=_("从个人资料中已上传的材料里选择。")
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, categories, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["proof"].queryset = documents


class BonusDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("认定结果"),
        choices=[("confirm", BonusClaim.Status.CONFIRMED.label), ("refuse", BonusClaim.Status.REFUSED.label)],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("认定说明"), required=False, max_length=200)


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(label=_("复核理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class ReviewAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("复核结果"),
        choices=[c for c in ScoreReviewRequest.Outcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    rechecked_raw = forms.DecimalField(
        label=_("复核后的分数"), required=False, max_digits=5, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("复核说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
