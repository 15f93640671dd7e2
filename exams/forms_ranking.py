"""Forms of the ranking pages: the 加试 scores of the candidates flagged for it, and the 加试
notice (date, time, place)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services.extra_test import parse_extra_score
from .services.extra_test_notice import FIELD_LIMITS


class ExtraTestForm(forms.Form):
    """One score field per candidate flagged for the 加试 (0–100, up to 2 decimals). Fields
    left empty are not recorded; at least one is needed."""

    def __init__(self, *args, rows, initial_scores: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            name = f"score_{row.application_id}"
            self.fields[name] = forms.CharField(
                label=f"{row.ticket_number} {row.masked_name}",
                required=False,
                initial=initial_scores.get(row.application_id),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            row.field_name = name

    def clean(self):
        cleaned = super().clean()
        scores = {}
        for row in self.rows:
            text = (cleaned.get(row.field_name) or "").strip()
            if not text:
                continue
            try:
                scores[row.application_id] = parse_extra_score(text)
            except ValidationError as error:
                self.add_error(row.field_name, error)
        if not scores and not self.errors:
            raise ValidationError(_("请至少录入一名考生的加试成绩。"))
        self._scores = scores
        return cleaned

    def scores(self) -> dict[int, Decimal]:
        return dict(self._scores)

    def bound_rows(self):
        return [(row, self[row.field_name]) for row in self.rows]


class ExtraTestNoticeForm(forms.Form):
    """The 加试通知: date, time and place as the administrator writes them (each optional;
    the message says what is still to be announced)."""

    test_date = forms.CharField(
        label=_("加试日期"),
        required=False,
        max_length=FIELD_LIMITS["test_date"],
        help_text=_("例如：2026年5月10日（星期日）"),
    )
    test_time = forms.CharField(
        label=_("加试时间"),
        required=False,
        max_length=FIELD_LIMITS["test_time"],
        help_text=_("例如：上午8:30报到，9:00开始"),
    )
    test_place = forms.CharField(
        label=_("加试地点"),
        required=False,
        max_length=FIELD_LIMITS["test_place"],
        help_text=_("例如：区政务服务中心三楼第一会议室"),
    )
