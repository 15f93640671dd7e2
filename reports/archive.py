"""The recruitment archive (招聘档案) of an announcement: one zip for filing with the higher
authority, built by a background job (portal.jobs) with a progress bar.

Parts, each a file in the zip (Excel or PDF):
  01 the announcement and its corrections (PDF)
  02 the position table (Excel)
  03 the review decisions (Excel)
  04 the written score sheets (Excel)
  05 the confirmed ranking versions (Excel, a sheet per position)
  06 the public notices of hire (公示) (Excel)
  07 the hires (Excel)
A part whose app has no data for the announcement yet is left out, and the index file
(00-目录.txt) says so in a line. ID numbers are masked everywhere (2103**********1234).
The job is idempotent: a rerun rebuilds the whole zip.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.masking import mask_id_number
from applicants.models import ApplicationEvent, Stage
from portal import jobs
from portal.models import BackgroundJob
from recruitment.models import Announcement, Position

from . import documents, excel
from .tables import Table

JOB_KIND = "reports_archive"
JOB_LABEL = gettext_lazy("生成招聘档案")
ZIP = "application/zip"


@dataclass(frozen=True)
class Part:
    number: str
    name: str  # the file's name in the zip, without the number
    build: Callable  # (announcement) -> (bytes | None, reason when None)


def _date(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _announcement_pdf(announcement: Announcement):
    blocks = [
        (
            "",
            _("招聘单位：%(organiser)s\n报名时间：%(opens)s 至 %(closes)s\n发布时间：%(published)s")
            % {
                "organiser": announcement.organiser,
                "opens": _date(announcement.registration_opens_at),
                "closes": _date(announcement.registration_closes_at),
                "published": _date(announcement.published_at),
            },
        ),
        (_("公告正文"), announcement.body),
    ]
    for correction in announcement.corrections.order_by("published_at", "pk"):
        changes = "\n".join(
            f"{change.get('position_code') or ''} {change.get('label', '')}: {change.get('before', '')} → {change.get('after', '')}".strip()
            for change in (correction.changes or [])
        )
        blocks.append(
            (
                f"{correction.get_kind_display()}：{correction.title}（{_date(correction.published_at)}）",
                "\n\n".join(
                    part
                    for part in (
                        correction.body,
                        _("原因：%(reason)s") % {"reason": correction.reason},
                        changes,
                    )
                    if part
                ),
            )
        )
    return documents.simple_pdf(title=announcement.title, blocks=blocks, footer=announcement.title), ""


def _positions_xlsx(announcement: Announcement):
    statuses = dict(Position.Status.choices)
    table = Table(
        "positions",
        _("岗位表"),
        [
            _("岗位代码"),
            _("岗位名称"),
            _("区（县）"),
            _("街道（乡镇）"),
            _("社区"),
            _("招聘人数"),
            _("原招聘人数"),
            _("状态"),
            _("最低学历"),
            _("年龄"),
            _("专业要求"),
            _("户籍要求"),
            _("其他条件"),
        ],
    )
    for position in announcement.positions.order_by("code", "pk"):
        table.rows.append(
            [
                position.code,
                position.name,
                position.district,
                position.street,
                position.community,
                position.quota,
                position.original_quota,
                str(statuses.get(position.status, position.status)),
                position.get_min_education_display(),
                f"{position.min_age}–{position.max_age}",
                "、".join(position.majors or []) or _("不限"),
                "、".join(position.household_regions or []) or _("不限"),
                position.other_conditions,
            ]
        )
    if not table.rows:
        return None, _("公告没有岗位。")
    return excel.workbook(table, caption=announcement.title), ""


def _decisions_xlsx(announcement: Announcement):
    labels = dict(Stage.choices)
    events = (
        ApplicationEvent.objects.filter(
            application__announcement=announcement,
            to_stage__in=[Stage.APPROVED, Stage.REJECTED, Stage.RETURNED],
        )
        .select_related("application__position", "actor")
        .order_by("at", "pk")
    )
    table = Table(
        "decisions",
        _("资格审核记录"),
        [
            _("时间"),
            _("报名序号"),
            _("姓名"),
            _("身份证号"),
            _("岗位代码"),
            _("审核结果"),
            _("说明"),
            _("审核人"),
        ],
    )
    for event in events.iterator(chunk_size=2000):
        snapshot = event.application.snapshot if isinstance(event.application.snapshot, dict) else {}
        table.rows.append(
            [
                _date(event.at),
                event.application_id,
                snapshot.get("real_name", ""),
                mask_id_number(snapshot.get("id_number", "")),
                event.application.position.code,
                str(labels.get(event.to_stage, event.to_stage)),
                event.reason,
                str(event.actor) if event.actor_id else "",
            ]
        )
    if not table.rows:
        return None, _("还没有资格审核决定。")
    return excel.workbook(table, caption=announcement.title), ""


def _scores_xlsx(announcement: Announcement):
    from exams.models_written import ScoreStatus, WrittenScore  # noqa: PLC0415

    statuses = dict(ScoreStatus.choices)
    scores = (
        WrittenScore.objects.filter(announcement=announcement)
        .select_related("ticket__application", "position")
        .order_by("position__code", "ticket__number")
    )
    table = Table(
        "scores",
        _("笔试成绩"),
        [
            _("准考证号"),
            _("姓名"),
            _("身份证号"),
            _("岗位代码"),
            _("成绩状态"),
            _("笔试成绩"),
            _("加分"),
            _("笔试总成绩"),
            _("是否合格"),
            _("岗位排名"),
        ],
    )
    for score in scores.iterator(chunk_size=2000):
        snapshot = (
            score.ticket.application.snapshot if isinstance(score.ticket.application.snapshot, dict) else {}
        )
        table.rows.append(
            [
                score.ticket.number,
                snapshot.get("real_name", ""),
                mask_id_number(snapshot.get("id_number", "")),
                score.position.code,
                str(statuses.get(score.status, score.status)),
                score.raw,
                score.bonus,
                score.total,
                "" if score.passed is None else (_("合格") if score.passed else _("不合格")),
                score.rank,
            ]
        )
    if not table.rows:
        return None, _("还没有笔试成绩。")
    return excel.workbook(table, caption=announcement.title), ""


def _rankings_xlsx(announcement: Announcement):
    try:
        from exams.models_ranking import RankingRow, RankingVersion  # noqa: PLC0415
        from exams.selectors import ranking as ranking_selectors  # noqa: PLC0415
    except ImportError:
        return None, _("排名功能尚未启用。")
    versions = list(
        RankingVersion.objects.filter(announcement=announcement, confirmed_at__isnull=False).order_by(
            "number"
        )
    )
    if not versions:
        return None, _("还没有确认的排名版本。")
    sheets = []
    columns = [
        _("名次"),
        _("准考证号"),
        _("姓名"),
        _("笔试成绩"),
        _("面试成绩"),
        _("综合成绩"),
        _("合格"),
        _("拟进入体检考察"),
        _("需加试"),
    ]
    for version in versions:
        positions = Position.objects.filter(
            pk__in=RankingRow.objects.filter(version=version).values("position_id")
        ).order_by("code")
        for position in positions:
            table = Table(
                "ranking",
                f"V{version.number}-{position.code}",
                columns,
                note=_("第 %(number)s 版，确认时间 %(at)s")
                % {"number": version.number, "at": _date(version.confirmed_at)},
            )
            for row in ranking_selectors.rows_for(version, position):
                table.rows.append(
                    [
                        row.rank if row.rank is not None else "—",
                        row.ticket_number,
                        row.masked_name,
                        row.written_total,
                        row.interview,
                        row.composite,
                        _("是") if row.eligible else _("否"),
                        _("是") if row.proposed else "",
                        _("是") if row.extra_test else "",
                    ]
                )
            sheets.append(table)
    return excel.workbook_of(sheets, caption=announcement.title), ""


def _notices_xlsx(announcement: Announcement):
    try:
        from hiring.models import Proposal, PublicNotice  # noqa: PLC0415
    except ImportError:
        return None, _("录用功能尚未启用。")
    notices = list(PublicNotice.objects.filter(announcement=announcement).order_by("published_at", "pk"))
    if not notices:
        return None, _("还没有发布拟录用公示。")
    table = Table(
        "notices",
        _("拟录用公示"),
        [
            _("公示标题"),
            _("公示开始日期"),
            _("公示结束日期"),
            _("公示天数"),
            _("岗位代码"),
            _("姓名"),
            _("综合成绩"),
        ],
    )
    proposals = (
        Proposal.objects.filter(notice__in=notices)
        .select_related("notice", "position", "application")
        .order_by("notice__published_at", "position__code", "rank")
    )
    listed = set()
    for proposal in proposals:
        notice = proposal.notice
        listed.add(notice.pk)
        snapshot = proposal.application.snapshot if isinstance(proposal.application.snapshot, dict) else {}
        table.rows.append(
            [
                notice.title,
                notice.starts_on.isoformat(),
                notice.ends_on.isoformat(),
                notice.days,
                proposal.position.code,
                snapshot.get("real_name", ""),
                proposal.composite,
            ]
        )
    for notice in notices:
        if notice.pk not in listed:
            table.rows.append(
                [
                    notice.title,
                    notice.starts_on.isoformat(),
                    notice.ends_on.isoformat(),
                    notice.days,
                    "",
                    "",
                    "",
                ]
            )
    return excel.workbook(table, caption=announcement.title), ""


def _hires_xlsx(announcement: Announcement):
    table = documents.hires_table(announcement)
    if not table.rows:
        return None, _("还没有录用人员。")
    return excel.workbook(table, caption=announcement.title), ""


def parts() -> list[Part]:
    return [
        Part("01", _("招聘公告及更正公告.pdf"), _announcement_pdf),
        Part("02", _("岗位表.xlsx"), _positions_xlsx),
        Part("03", _("资格审核记录.xlsx"), _decisions_xlsx),
        Part("04", _("笔试成绩.xlsx"), _scores_xlsx),
        Part("05", _("确认的排名版本.xlsx"), _rankings_xlsx),
        Part("06", _("拟录用公示.xlsx"), _notices_xlsx),
        Part("07", _("录用人员名单.xlsx"), _hires_xlsx),
    ]


def build_zip(announcement: Announcement, *, progress=None) -> bytes:
    """The archive as bytes; `progress(done)` after each part."""
    buffer = io.BytesIO()
    index = [
        _("招聘档案：%(title)s") % {"title": announcement.title},
        _("生成时间：%(at)s") % {"at": _date(timezone.now())},
        "",
    ]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, part in enumerate(parts(), start=1):
            content, reason = part.build(announcement)
            filename = f"{part.number}-{part.name}"
            if content is None:
                index.append(_("%(file)s：未包含（%(reason)s）") % {"file": filename, "reason": reason})
            else:
                archive.writestr(filename, content)
                index.append(_("%(file)s：已包含") % {"file": filename})
            if progress:
                progress(done)
        archive.writestr(_("00-目录.txt"), "\r\n".join(index) + "\r\n")
    return buffer.getvalue()


def filename(announcement_id) -> str:
    return f"archive-{announcement_id}-{timezone.localtime():%Y%m%d-%H%M}.zip"


def job_create(*, actor, announcement: Announcement) -> BackgroundJob:
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=JOB_KIND, created_by=actor, announcement_id=announcement.pk, total=len(parts())
        )
        jobs.start_on_commit(job)
    return job


def job_run(job: BackgroundJob) -> BackgroundJob:
    """Build the zip into private storage. One run holds the job (portal.jobs); a rerun
    after a crash starts from the first part."""
    if not jobs.claim(job):
        return job
    try:
        announcement = Announcement.objects.get(pk=job.announcement_id)
        content = build_zip(announcement, progress=lambda done: jobs.set_done(job, done))
        job.result_file.save(filename(announcement.pk), ContentFile(content), save=False)
        try:
            return jobs.finish(job, result_file=job.result_file.name)
        except jobs.JobLost:
            job.result_file.delete(save=False)
            raise
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise
