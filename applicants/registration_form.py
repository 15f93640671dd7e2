"""The registration form (报名登记表) as a one-page A4 PDF: what the applicant submitted (the
application's snapshot, with the submitted photo), the position, the integrity declaration
with a signature and date line, and a box for the document re-check (资格复审). The applicant
prints it from the application page and brings it, signed, to the re-check; staff print it too.

``registration_form(application, photo=…)`` turns a loaded application into plain data and
``render(data)`` turns that into bytes; neither queries the database nor reads files, so both
are tested by example (``read_submitted_photo`` is the one reader of a file, for the views). Texts are Chinese (an official paper):
labels go through gettext with zh-hans active. ``render`` raises ``portal.pdf.FontMissing``
when the server has no CJK TrueType font.
"""

from __future__ import annotations

import io
import posixpath
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, SimpleDocTemplate, Spacer, Table, TableStyle

from portal import pdf
from recruitment.choices import Education, PoliticalStatus

from .apply_extensions import FormSection, form_sections
from .models import ApplicantProfile, Sex

BEIJING = ZoneInfo("Asia/Shanghai")
MARGIN = 15 * mm
GRID = colors.HexColor("#444444")
SHADE = colors.HexColor("#eef1f5")


@dataclass(frozen=True)
class RegistrationForm:
    """What one registration form shows. Dates are printed as given (already text);
    ``submitted_at``/``declaration_accepted_at`` aware datetimes or None. Table rows are
    tuples of text: education (level, school, major, graduated, full-time), work (period,
    employer, role, community work), certificates (name, number, issued)."""

    announcement_title: str
    application_number: str
    submitted_at: datetime | None
    position_label: str
    position_unit: str
    real_name: str
    sex: str
    birth_date: str
    ethnicity: str
    political_status: str
    id_number: str
    household: str
    household_settled_on: str
    address: str
    phone: str
    email: str
    education: tuple[tuple[str, ...], ...]
    work: tuple[tuple[str, ...], ...]
    certificates: tuple[tuple[str, ...], ...]
    photo: bytes | None
    declaration_text: str
    declaration_accepted_at: datetime | None
    # Tables higher apps add (e.g. the bonus items claimed): applicants.apply_extensions.
    sections: tuple[FormSection, ...] = ()


# --- from an application ------------------------------------------------------------------


def snapshot_photo_name(application) -> str:
    """The storage name of the photo submitted with ``application`` ("photos/…"), or "" when
    there is none or the name is not a plain file under photos/. Older snapshots stored only
    whether there was a photo (True): then the profile's (``applicant.profile`` loaded)."""
    snapshot = application.snapshot if isinstance(application.snapshot, dict) else {}
    name = snapshot.get("photo")
    if name is True:
        profile = getattr(application.applicant, "profile", None)
        name = profile.photo.name if profile is not None and profile.photo else ""
    if not isinstance(name, str) or not name.startswith("photos/") or posixpath.normpath(name) != name:
        return ""
    return name


def read_submitted_photo(application) -> bytes | None:
    """The bytes of the photo submitted with ``application`` (private storage), or None when
    there is none or the file is gone. The one function here that reads a file."""
    name = snapshot_photo_name(application)
    if not name:
        return None
    storage = ApplicantProfile._meta.get_field("photo").storage
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def extra_sections(application) -> tuple[FormSection, ...]:
    """The sections higher apps print on the form of ``application`` (e.g. exams' bonus items
    claimed), in Chinese; the registered readers make their queries (exams: one). For the
    views, beside ``read_submitted_photo``."""
    with translation.override("zh-hans"):
        return form_sections(application)


def _text(value) -> str:
    return "" if value is None else str(value)


def _day(value) -> str:
    """An ISO date from the snapshot as 2017-07-01 (unparseable text is printed as it is)."""
    if not value:
        return ""
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return str(value)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        try:
            return str(choices(int(value)).label)
        except (TypeError, ValueError):
            return _text(value)


def _rows(items, build) -> tuple[tuple[str, ...], ...]:
    return tuple(build(item) for item in items or () if isinstance(item, dict))


def registration_form(
    application, *, photo: bytes | None, declaration_text: str, sections: tuple[FormSection, ...] = ()
) -> RegistrationForm:
    """The form's data from ``application`` (with ``announcement``, ``position`` and
    ``applicant`` loaded: no query is made), the submitted photo's bytes (or None) and the
    sections of higher apps (``extra_sections``; empty ones are left out).
    Everything personal comes from the snapshot (what was submitted); phone and e-mail, which
    the snapshot does not hold, from the account."""
    with translation.override("zh-hans"):
        snap = application.snapshot if isinstance(application.snapshot, dict) else {}
        position = application.position
        household = "".join(
            _text(snap.get(key)) for key in ("household_province", "household_city", "household_district")
        )
        unit = " ".join(part for part in (position.district, position.street, position.community) if part)
        yes, no = _("是"), _("否")
        return RegistrationForm(
            announcement_title=application.announcement.title,
            application_number=f"{application.pk:08d}",
            submitted_at=application.submitted_at,
            position_label=f"{position.code} {position.name}",
            position_unit=unit,
            real_name=_text(snap.get("real_name")),
            sex=_label(Sex, snap.get("sex")) if snap.get("sex") else "",
            birth_date=_day(snap.get("birth_date")),
            ethnicity=_text(snap.get("ethnicity")),
            political_status=_label(PoliticalStatus, snap.get("political_status"))
            if snap.get("political_status")
            else "",
            id_number=_text(snap.get("id_number")),
            household=household,
            household_settled_on=_day(snap.get("household_settled_on")),
            address=_text(snap.get("address")),
            phone=_text(snap.get("phone") or getattr(application.applicant, "phone", "")),
            email=_text(snap.get("email") or getattr(application.applicant, "email", "")),
            education=_rows(
                snap.get("education"),
                lambda e: (
                    _label(Education, e.get("level")) if e.get("level") not in (None, "") else "",
                    _text(e.get("school")),
                    _text(e.get("major")),
                    _day(e.get("graduated_on")),
                    "" if e.get("full_time") is None else (yes if e.get("full_time") else no),
                ),
            ),
            work=_rows(
                snap.get("work"),
                lambda w: (
                    f"{_day(w.get('started_on'))} — {_day(w.get('ended_on')) or _('至今')}",
                    _text(w.get("employer")),
                    _text(w.get("role")),
                    yes if w.get("community_work") else no,
                ),
            ),
            certificates=_rows(
                snap.get("certificates"),
                lambda c: (_text(c.get("name")), _text(c.get("number")), _day(c.get("issued_on"))),
            ),
            photo=photo,
            declaration_text=str(declaration_text),
            declaration_accepted_at=application.declaration_accepted_at,
            sections=tuple(section for section in sections if section.rows),
        )


# --- the PDF --------------------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return f"{value.astimezone(BEIJING):%Y-%m-%d %H:%M}" if value else ""


def render(data: RegistrationForm) -> bytes:
    """One A4 page (the content shrinks to fit when lists are long). Raises
    ``portal.pdf.FontMissing`` without a CJK font."""
    with translation.override("zh-hans"):
        return _render(data)


def _grid_style(*extra):
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            *extra,
        ]
    )


def _list_table(s, width, headers, widths, rows, empty):
    body = [[pdf.para(h, s["center"]) for h in headers]]
    if rows:
        body += [[pdf.para(cell, s["cell"]) for cell in row] for row in rows]
    else:
        body.append([pdf.para(empty, s["cell"])] + [""] * (len(headers) - 1))
    style = _grid_style(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    if not rows:
        style.add("SPAN", (0, 1), (-1, 1))
    return Table(body, colWidths=[width * w for w in widths], style=style)


def _render(data: RegistrationForm) -> bytes:
    s = pdf.styles()
    width, height = A4[0] - 2 * MARGIN - 12, A4[1] - 2 * MARGIN - 12
    label, value = s["label"], s["cell"]
    L = lambda text: pdf.para(text, label)  # noqa: E731
    V = lambda text: pdf.para(text, value)  # noqa: E731

    story = [
        pdf.para(data.announcement_title, s["subtitle"]),
        Spacer(1, 1.5 * mm),
        pdf.para(_("报名登记表"), s["title"]),
        pdf.para(
            _("报名序号：%(number)s　　网上提交时间：%(at)s")
            % {"number": data.application_number, "at": _when(data.submitted_at) or _("未提交")},
            s["small"].clone("meta", alignment=2),
        ),
        Spacer(1, 2 * mm),
    ]

    # label, value, label, value, photo: 24 + 44 + 27 + 49 mm, the rest (≈ 36 mm) for the photo
    col = [24 * mm, 44 * mm, 27 * mm, 49 * mm]
    col.append(width - sum(col))
    photo = pdf.PhotoBox(data.photo, missing_text=_("照片缺失，请粘贴近期一寸免冠照片"))
    rows = [
        [L(_("姓名")), V(data.real_name), L(_("性别")), V(data.sex), photo],
        [L(_("出生日期")), V(data.birth_date), L(_("民族")), V(data.ethnicity), ""],
        [L(_("政治面貌")), V(data.political_status), L(_("联系电话")), V(data.phone), ""],
        [L(_("身份证号")), V(data.id_number), L(_("电子邮箱")), V(data.email), ""],
        [L(_("户籍所在地")), V(data.household), L(_("户籍迁入日期")), V(data.household_settled_on), ""],
        [L(_("现居住地址")), V(data.address), "", "", ""],
        [L(_("报考岗位")), V(data.position_label), L(_("岗位所在单位")), V(data.position_unit), ""],
    ]
    main = Table(
        rows,
        colWidths=col,
        rowHeights=[None, None, None, None, None, None, None],
        style=_grid_style(
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            ("BACKGROUND", (2, 0), (2, 4), SHADE),
            ("BACKGROUND", (2, 6), (2, 6), SHADE),
            ("SPAN", (4, 0), (4, 4)),  # the photo
            ("ALIGN", (4, 0), (4, 0), "CENTER"),
            ("SPAN", (1, 5), (4, 5)),  # address across
            ("SPAN", (3, 6), (4, 6)),  # the unit
        ),
    )
    story += [main, Spacer(1, 3 * mm)]

    story += [pdf.para(_("学习经历"), s["heading"])]
    story.append(
        _list_table(
            s,
            width,
            [_("学历"), _("毕业院校"), _("专业"), _("毕业时间"), _("全日制")],
            [0.16, 0.34, 0.26, 0.14, 0.10],
            data.education,
            _("无"),
        )
    )
    story += [pdf.para(_("工作经历"), s["heading"])]
    story.append(
        _list_table(
            s,
            width,
            [_("起止时间"), _("工作单位"), _("职务"), _("社区工作")],
            [0.28, 0.42, 0.18, 0.12],
            data.work,
            _("无"),
        )
    )
    story += [pdf.para(_("资格证书"), s["heading"])]
    story.append(
        _list_table(
            s,
            width,
            [_("证书名称"), _("证书编号"), _("取得时间")],
            [0.44, 0.36, 0.20],
            data.certificates,
            _("无"),
        )
    )
    for section in data.sections:
        story += [pdf.para(section.title, s["heading"])]
        story.append(_list_table(s, width, section.headers, section.widths, section.rows, _("无")))

    accepted = (
        _("（已于 %(at)s 在网上确认）") % {"at": _when(data.declaration_accepted_at)}
        if data.declaration_accepted_at
        else ""
    )
    sign = _("本人签名：____________________　　　日期：________年____月____日")
    declaration = Table(
        [
            [
                L(_("诚信承诺")),
                [
                    pdf.para(data.declaration_text + accepted, s["body"]),
                    Spacer(1, 7 * mm),
                    pdf.para(sign, s["body"]),
                ],
            ],
            [
                L(_("资格复审意见")),
                [
                    pdf.para(_("□ 符合报考条件　　□ 不符合报考条件　　说明："), s["body"]),
                    Spacer(1, 9 * mm),
                    pdf.para(
                        _("审核人签名：____________________　　　日期：________年____月____日"), s["body"]
                    ),
                ],
            ],
        ],
        colWidths=[27 * mm, width - 27 * mm],
        style=_grid_style(
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ),
    )
    story += [Spacer(1, 4 * mm), declaration, Spacer(1, 3 * mm)]
    story.append(
        pdf.para(
            _(
                "本表根据网上提交的报名信息生成，请核对无误后签名，资格复审时连同相关证件原件及复印件一并提交。"
            ),
            s["small"].clone("foot", textColor=colors.HexColor("#555555")),
        )
    )

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        invariant=True,
    )
    pdf.document_info(
        doc, title=_("报名登记表 %(name)s") % {"name": data.real_name}, subject=data.announcement_title
    )
    doc.build([KeepInFrame(width, height, story, mode="shrink")])
    return buffer.getvalue()
