"""Forms of the interview settings page and the shortlist pages. Every error at its field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.choices import TieBreaker
from recruitment.models import Announcement

from .models_rules import PANEL_MAX, PANEL_MIN, RankingSettings
from .services.settings import ANNOUNCEMENT_FIELDS

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIE_SLOTS = 4

# Plain-Chinese explanations of each choice, shown under the field.
HELP = {
    "written_pass_mode": _(
        "固定分数线：笔试达到某一分数（如60分）才能进入面试；按比例：以参加考试者平均分的一定百分比为合格线；"
        "考后划定：考试后再确定分数；不设合格线：参加考试者都可按成绩排序入围。"
    ),
    "written_pass_on_total": _(
        "不勾选：合格线只看笔试卷面成绩；勾选：卷面成绩加上确认的加分后再与合格线比较。"
    ),
    "bonus_mode": _("考生有多项加分时：只计最高一项（最常见），或累加（可设上限），或不计加分。"),
    "interview_ratio": _(
        "每个招聘名额进入面试的人数，例如3表示1:3；末位同分的一并进入；合格人数不足时按实有人数进入。"
    ),
    "interview_pass_line": _("面试成绩低于此分数的，不能进入体检考察，但仍显示综合成绩和名次。"),
    "written_weight": _("0至1之间的小数，例如0.4表示笔试占40%，面试占60%。选择“直接相加”时不使用。"),
    "public_notice_days": _("拟录用人员公示的天数。"),
    "bonus_to": _("加在笔试成绩上（最常见）：影响入围和综合成绩；加在综合成绩上：只在计算综合成绩时加上。"),
    "ratio_below_posts": _(
        "有的公告规定招聘人数少时入围比例更高，例如少于10人按1:3、10人及以上按1:2。两项都填才生效。"
    ),
    "panel_size": _("每个面试组的考官人数，3至9人，通常为7人；其中一人为主考官。"),
    "drop_extremes": _("考官5人及以上时，去掉一个最高分和一个最低分，其余取平均（同分也只去一个）。"),
    "interview_places": _("面试平均分四舍五入保留的小数位数，通常为2位。"),
    "by_dimensions": _("考官按几个评分要素分别打分，系统加总为面试成绩；各要素满分之和须为100分。"),
    "dimensions": _("每行一个要素：名称和满分，用空格分开，例如“综合分析能力 20”。"),
    "late_cutoff_minutes": _("面试开始后超过这一时间仍未报到的，视为放弃面试。"),
    "room_correction": _(
        "同一岗位分几个面试组时，用修正系数消除考官宽严不同的影响：修正系数 = 总平均分 ÷ 本组平均分，"
        "面试成绩乘以修正系数。两种方法只在各组人数不同时结果不同。"
    ),
    "room_scope": _(
        "哪些考生的面试成绩放在一起计算总平均分和各组平均分。"
        "同一面试组面试的各岗位合并计算（默认）：一个面试组面试了几个岗位的，这几个岗位和面试过它们的各面试组一起计算；"
        "每个岗位单独计算：只用本岗位考生的成绩计算，一个岗位只在一个面试组面试的，修正系数为1；"
        "本公告全部面试组合并计算：本公告所有面试组的考生一起计算。选择“不修正”时此项不起作用。"
    ),
    "composite_sum": _("勾选后综合成绩 = 笔试成绩 + 面试成绩，不按权重折算。"),
    "composite_pass_line": _("综合成绩低于此分数的不能进入体检考察；留空表示不设。"),
    "composite_rounding": _(
        "合计后四舍五入（最常见）；或先把笔试、面试折算后的成绩各自保留两位小数再相加。两者偶尔相差0.01分。"
    ),
    "unresolved_tie": _(
        "综合成绩和所有排序依据都相同、又跨过最后一个名额时：组织加试决定，或并列者全部进入体检考察。"
    ),
    "backfill_events": _(
        "拟录用人员出现以下情形空出名额时，从同岗位面试合格人员中按综合成绩由高到低递补。因弄虚作假被取消资格的不递补。"
    ),
    "backfill_until": _("此日期之后不再递补（含面试前的递补和录用阶段的递补）。"),
    "shortlist_backfill_rounds": _(
        "面试前有人放弃或复审不合格时，按笔试成绩从高到低递补；可以限制递补轮数。"
    ),
    "confirm_deadline": _("入围考生须在此时间前登录确认参加面试。"),
    "unconfirmed_gives_up": _("勾选后，截止时间过后仍未确认的考生视为放弃，空出的名额自动递补。"),
}


def parse_dimensions(text: str) -> list[dict]:
    """ "综合分析能力 20" per line → [{"name": …, "max": "20"}]; raises ValidationError."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, value = line.rpartition(" ")
        name = name.strip()
        try:
            points = Decimal(value.strip())
        except InvalidOperation:
            points = None
        if (
            not name
            or points is None
            or not points.is_finite()
            or points <= 0
            or points.as_tuple().exponent < -2
        ):
            raise forms.ValidationError(
                _("第%(n)s行应为“要素名称 满分”，例如“综合分析能力 20”。") % {"n": number}
            )
        if any(r["name"] == name for r in rows):
            raise forms.ValidationError(_("评分要素“%(name)s”重复。") % {"name": name})
        rows.append({"name": name, "max": str(points)})
    return rows


class AnnouncementRulesForm(forms.ModelForm):
    """The rule fields whose home is recruitment.Announcement."""

    class Meta:
        model = Announcement
        fields = [name for name in ANNOUNCEMENT_FIELDS if name != "tie_breakers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = list(self.instance.tie_breakers or []) if self.instance.pk else []
        plain = [item for item in stored if item in TieBreaker.values]
        self.extra_breakers = [item for item in stored if item not in TieBreaker.values]
        for index in range(TIE_SLOTS):
            self.fields[f"tie_{index}"] = forms.ChoiceField(
                label=_("第%(n)s排序依据") % {"n": index + 1},
                choices=[("", _("（不再比较）"))] + list(TieBreaker.choices),
                required=False,
                initial=plain[index] if index < len(plain) else "",
            )
        self.fields["written_weight"].widget.attrs.update({"step": "0.05", "min": "0", "max": "1"})
        for name, field in self.fields.items():
            if name in HELP:
                field.help_text = HELP[name]
        self.fields["tie_0"].help_text = _(
            "综合成绩相同时依次比较：笔试成绩高者优先、面试成绩高者优先、学历高者优先、年龄小者优先。仍相同的按“排名仍然并列时”处理，绝不随机决定。"
        )

    def clean_written_weight(self):
        value = self.cleaned_data.get("written_weight")
        if value is not None and not (Decimal(0) <= value <= Decimal(1)):
            raise forms.ValidationError(_("笔试成绩权重须在0至1之间，例如0.4。"))
        return value

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"tie_{index}") for index in range(TIE_SLOTS)]
        seen, breakers, gap = set(), [], False
        for index, value in enumerate(chosen):
            if not value:
                gap = True
                continue
            if gap:
                self.add_error(f"tie_{index}", _("请按顺序填写，不要跳过前面的排序依据。"))
            if value in seen:
                self.add_error(f"tie_{index}", _("该排序依据已经选过。"))
            seen.add(value)
            breakers.append(value)
        data["tie_breakers"] = breakers + [item for item in self.extra_breakers if item not in seen]
        if data.get("bonus_mode") == "sum_capped" and not data.get("bonus_cap"):
            self.add_error("bonus_cap", _("累加设上限时，请填写大于0的上限。"))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ANNOUNCEMENT_FIELDS}


class RankingSettingsForm(forms.ModelForm):
    """The settings whose home is exams.RankingSettings."""

    backfill_events = forms.MultipleChoiceField(
        label=_("哪些情形递补"),
        choices=RankingSettings.BackfillEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dimensions = forms.CharField(
        label=_("评分要素"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    class Meta:
        model = RankingSettings
        fields = [
            "bonus_to",
            "ratio_below_posts",
            "ratio_below",
            "panel_size",
            "drop_extremes",
            "interview_places",
            "by_dimensions",
            "dimensions",
            "late_cutoff_minutes",
            "room_correction",
            "room_scope",
            "room_mean_places",
            "coefficient_places",
            "corrected_places",
            "composite_sum",
            "composite_pass_line",
            "composite_rounding",
            "unresolved_tie",
            "backfill_events",
            "backfill_until",
            "shortlist_backfill_rounds",
            "confirm_deadline",
            "unconfirmed_gives_up",
        ]
        widgets = {
            "confirm_deadline": DATETIME_INPUT,
            "backfill_until": DATE_INPUT,
            "room_scope": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["dimensions"] = "\n".join(
                f"{row['name']} {row['max']}" for row in (self.instance.dimensions or [])
            )
            self.initial["backfill_events"] = list(self.instance.backfill_events or [])
        self.fields["ratio_below_posts"].label = _("招聘人数少于此数的岗位")
        self.fields["ratio_below"].label = _("这些岗位的入围比例")
        self.fields["panel_size"].widget.attrs.update({"min": PANEL_MIN, "max": PANEL_MAX})
        self.fields["confirm_deadline"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name, field in self.fields.items():
            if name in HELP:
                field.help_text = HELP[name]

    def clean_panel_size(self):
        value = self.cleaned_data.get("panel_size")
        if value is not None and not (PANEL_MIN <= value <= PANEL_MAX):
            raise forms.ValidationError(_("每组考官人数须在3至9人之间。"))
        return value

    def clean_dimensions(self):
        return parse_dimensions(self.cleaned_data.get("dimensions", ""))

    def clean(self):
        data = super().clean()
        posts, ratio = data.get("ratio_below_posts"), data.get("ratio_below")
        if posts is not None and ratio is None:
            self.add_error("ratio_below", _("请同时填写招聘人数较少时的入围比例。"))
        if ratio is not None and posts is None:
            self.add_error("ratio_below_posts", _("请同时填写招聘人数的界限。"))
        panel = data.get("panel_size")
        if data.get("drop_extremes") and panel is not None and panel < 5:
            self.add_error("drop_extremes", _("考官少于5人时不能去掉最高分和最低分，请取消勾选或增加考官。"))
        if data.get("by_dimensions"):
            dims = data.get("dimensions") or []
            if not dims:
                self.add_error("dimensions", _("按评分要素打分时，请填写评分要素。"))
            elif sum(Decimal(row["max"]) for row in dims) != 100:
                total = sum(Decimal(row["max"]) for row in dims)
                self.add_error(
                    "dimensions", _("各评分要素满分之和为%(total)s分，应为100分。") % {"total": total}
                )
        line = data.get("composite_pass_line")
        if line is not None and not data.get("composite_sum") and line > 100:
            self.add_error("composite_pass_line", _("综合成绩满分为100分，合格线不能超过100分。"))
        if data.get("unconfirmed_gives_up") and not data.get("confirm_deadline"):
            self.add_error("confirm_deadline", _("“逾期未确认视为放弃”需要先设置确认截止时间。"))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["backfill_events"] = sorted(data.get("backfill_events") or [])
        return {name: data[name] for name in self.Meta.fields}


class RecheckForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("复审结果"),
        choices=[("1", _("通过")), ("0", _("不通过"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("说明（不通过时必填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("passed") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("复审不通过须填写原因。"))
        return data


class SignedDeclarationForm(forms.Form):
    file = forms.FileField(label=_("本人签字的放弃声明（PDF、JPEG 或 PNG）"))
    reason = forms.CharField(label=_("原因或说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DisqualifyForm(forms.Form):
    reason = forms.CharField(
        label=_("取消资格的原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class GiveUpStartForm(forms.Form):
    reason = forms.CharField(label=_("放弃原因（选填）"), required=False, max_length=200)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
        error_messages={"min_length": _("请输入6位验证码。"), "max_length": _("请输入6位验证码。")},
    )
