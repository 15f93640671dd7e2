"""The public position table (岗位表) of an announcement: filters, the viewer's own
column (报名 / the status of the position applied to), and the Excel download.

Tables run to hundreds of rows, so the filtering happens on the positions loaded once for
the page (one query), and the rendered table is cached per filter and per kind of viewer
(recruitment/templates/recruitment/announcement_detail.html): anonymous visitors, an
applicant who has not applied, and an applicant who applied to position P at stage S all
share one rendering each. Only "positions I qualify for" depends on one person's profile
and is rendered for them alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role

from . import hooks, selectors
from .choices import Education
from .models import Announcement, Position

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class PositionFilterForm(forms.Form):
    district = forms.ChoiceField(label=gettext_lazy("区（县）"), required=False)
    education = forms.TypedChoiceField(
        label=gettext_lazy("我的学历"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("不限"))] + list(Education.choices),
        help_text=gettext_lazy("只显示该学历可以报考的岗位。"),
    )
    major = forms.CharField(label=gettext_lazy("专业"), required=False, max_length=50)
    qualify = forms.BooleanField(label=gettext_lazy("只看我符合条件的岗位"), required=False)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("全部"))] + [(name, name) for name in districts]


@dataclass(frozen=True)
class Viewer:
    """Who reads the table, as far as the table's own column differs."""

    kind: str  # "anonymous" | "applicant" | "other"
    applied: hooks.AppliedPosition | None = None

    @property
    def cache_key(self) -> str:
        if self.applied:
            return f"applied:{self.applied.position_id}:{self.applied.stage}"
        return self.kind


def viewer_for(user, announcement: Announcement) -> Viewer:
    """One query for a signed-in applicant (their application), none otherwise."""
    if not user.is_authenticated:
        return Viewer(kind="anonymous")
    if not user.has_role(Role.APPLICANT):
        return Viewer(kind="other")
    return Viewer(kind="applicant", applied=hooks.applied_position(user, announcement))


def _matches_major(position: Position, major: str) -> bool:
    if not position.majors:
        return True  # 不限专业
    wanted = "".join(major.split()).lower()
    return any(wanted in "".join(str(item).split()).lower() for item in position.majors)


class PositionTable:
    """Lazy: nothing is queried until the template (or the download) asks for rows."""

    def __init__(self, *, announcement: Announcement, params, user, viewer: Viewer):
        self.announcement, self.params, self.user, self.viewer = announcement, params, user, viewer

    @cached_property
    def positions(self) -> list[Position]:
        positions = list(self.announcement.positions.all())
        for position in positions:
            position.announcement = self.announcement  # no query per row for the reference date
        return positions

    @cached_property
    def form(self) -> PositionFilterForm:
        districts = sorted({position.district for position in self.positions})
        form = PositionFilterForm(self.params or None, districts=districts)
        form.is_valid()
        return form

    @cached_property
    def filters(self) -> dict:
        """The valid filters given (a form with an unknown district filters nothing on it)."""
        form = PositionFilterForm(self.params or None, districts=[self.params.get("district", "")])
        if not form.is_valid():
            return {}
        return {name: value for name, value in form.cleaned_data.items() if value not in (None, "", False)}

    @property
    def filtered(self) -> bool:
        return bool(self.filters)

    @property
    def wants_qualifying(self) -> bool:
        return bool(self.filters.get("qualify")) and self.can_filter_qualifying

    @property
    def can_filter_qualifying(self) -> bool:
        return self.viewer.kind == "applicant" and hooks.can_filter_qualifying()

    @cached_property
    def qualifying_ids(self) -> set[int] | None:
        if not self.wants_qualifying:
            return None
        return hooks.qualifying_position_ids(self.user, self.announcement, self.positions)

    @property
    def needs_profile(self) -> bool:
        return self.wants_qualifying and self.qualifying_ids is None

    @property
    def cache_key(self) -> str:
        """Varies the cached rendering: the filters (not the per-person one) and the viewer."""
        shared = {k: v for k, v in sorted(self.filters.items()) if k != "qualify"}
        return f"{urlencode(shared)}|{self.viewer.cache_key}"

    @property
    def cacheable(self) -> bool:
        return not self.wants_qualifying

    @cached_property
    def rows(self) -> list[tuple[Position, dict]]:
        filters = self.filters
        chosen = self.positions
        if district := filters.get("district"):
            chosen = [p for p in chosen if p.district == district]
        if (education := filters.get("education")) is not None:
            chosen = [p for p in chosen if p.min_education <= education]
        if major := filters.get("major"):
            chosen = [p for p in chosen if _matches_major(p, major)]
        if self.qualifying_ids is not None:
            chosen = [p for p in chosen if p.pk in self.qualifying_ids]
        counts = selectors.position_counts(self.announcement.pk)
        return [(position, counts.get(position.pk, selectors.ZERO_COUNTS)) for position in chosen]

    @property
    def download_query(self) -> str:
        return urlencode({k: v for k, v in self.params.items() if k in PositionFilterForm.base_fields})


def workbook(table: PositionTable) -> bytes:
    """The filtered position table as an .xlsx (岗位表), every text cell stored as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from .templatetags.recruitment_tags import age_requirement, other_requirements

    book = Workbook()
    sheet = book.active
    sheet.title = _("岗位表")[:31]
    header = [
        _("岗位代码"),
        _("岗位名称"),
        _("区（县）"),
        _("街道（乡镇）"),
        _("社区"),
        _("招聘人数"),
        _("年龄要求"),
        _("学历要求"),
        _("专业要求"),
        _("其他资格条件"),
        _("已报名"),
        _("审核通过"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, counts in table.rows:
        values = [
            position.code,
            position.name,
            position.district,
            position.street,
            position.community,
            position.quota,
            age_requirement(position),
            _("%(education)s及以上") % {"education": position.get_min_education_display()},
            "、".join(position.majors) if position.majors else _("不限"),
            other_requirements(position),
            counts["submitted"],
            counts["approved"],
        ]
        sheet.append([str(value) if isinstance(value, str) else value for value in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # openpyxl stores a string opening with "=" as a formula: force text.
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [10, 16, 10, 12, 12, 8, 40, 14, 24, 40, 8, 8]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
