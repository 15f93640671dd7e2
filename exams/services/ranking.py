"""Ranking (综合成绩排名, issue 17 item 6): the run that stores a version, confirmation,
the 加试 results, and publication.

The run is a portal.BackgroundJob (kind "exam_ranking") in three phases:

* read (`assemble`): one exams.scoring.Candidate per application of the interview pool — the
  written score and the confirmed bonus items (exams.models_written), the examiners' signed-off
  scores and the interview group (exams.selectors.interview.interview_inputs), education and
  birth date from the application's snapshot, the 加试 score as the subscore "extra_test";
  the Rules from exams.rules.rules_for; the quota of each position;
* compute (`compute`): room coefficients (修正系数) over the scope, then exams.scoring.rank
  for each position — nothing here computes a score itself;
* write (`write_version`): one transaction under the announcement's row lock: a new
  RankingVersion and all its rows, or nothing. A run that dies halfway leaves no version;
  the rerun computes the same inputs again. On PostgreSQL compute and write run at once
  (`compute_and_write`: a writer thread COPYs the rows of the positions already ranked).

Idempotent: the version carries a fingerprint (sha256) of every input; a run whose inputs
match a stored version returns that version and writes nothing. A score corrected after
confirmation changes the fingerprint: the next run writes a new version and marks the
confirmed one out of date; it stays the one hiring reads until an administrator confirms the
new one (never an edit in place).

The read phase (assemble, fingerprint, rules_mapping…) is in exams.services.ranking_inputs, a
version's rows (row_tuples, the COPY) in exams.services.ranking_rows, and the compute and write
phases in exams.services.ranking_write; all are re-exported here.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from applicants.models import Application, Stage
from applicants.transitions import transition_many
from portal import audit, jobs
from portal.models import BackgroundJob
from recruitment.models import Announcement

from .. import scoring
from ..models_ranking import ExtraTestResult, RankingRow, RankingVersion
from ..models_rules import RankingSettings
from ..models_written import BonusClaim, WrittenScore

# The read phase lives in ranking_inputs and a version's rows in ranking_rows. Their names
# are re-exported here because callers import this module as `services` (views, tests,
# hiring, the demo, bench/ranking.py) and use services.assemble, services.fingerprint…; and
# the functions below call assemble/fingerprint/_copy_rows through this module's globals, so
# bench/ranking.py's patching of services.assemble / services.fingerprint still times them
# (and a test's patch of services._copy_rows still reaches write_version).
from .ranking_inputs import (  # noqa: F401 - re-exported, see above
    BEFORE_SHORTLIST,
    DEFAULT_ROOM_SCOPE,
    EXTRA_TEST,
    EXTRA_TEST_BREAKER,
    POOL_STAGES,
    ROOM_SCOPES,
    Inputs,
    _number,
    assemble,
    fingerprint,
    interview_inputs,
    interview_subscores,
    pool_ids,
    rules_mapping,
    rules_snapshot,
)
from .ranking_rows import ROW_COLUMNS, _copy_rows, _copy_text, row_tuples  # noqa: F401 - re-exported
from .ranking_write import (  # noqa: F401 - re-exported, see above
    VersionWritten,
    compute,
    compute_and_write,
    scopes,
    write_version,
)

JOB_KIND = "exam_ranking"
JOB_LABEL = gettext_lazy("计算综合成绩并排名")
TO_RANKED_FROM = (Stage.INTERVIEWED, Stage.SHORTLISTED)


class RankingConflict(Exception):
    """Another administrator acted first (confirmed a version meanwhile); `message` says who."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def register() -> None:
    """From exams.apps.ExamsConfig.ready: the job kinds (the run, the publication) and the
    applicant's panel."""
    from applicants.panels import register_panel
    from portal.jobs import register_kind

    from ..panels_ranking import ranking_panel
    from ..tasks_ranking import rank_announcement
    from . import ranking_publish

    register_kind(JOB_KIND, label=JOB_LABEL, task=rank_announcement)
    ranking_publish.register()
    register_panel("exams.ranking", render=ranking_panel, order=40)


def is_ranking_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


def _check_admin(actor) -> None:
    if not is_ranking_admin(actor):
        raise PermissionDenied(_("只有管理员可以进行此操作。"))


def check_complete(inputs: Inputs) -> None:
    """Refuse to rank while someone in the pool has no signed-off interview score and is not
    marked absent: ranking them as absent would cost them their place."""
    if inputs.waiting:
        raise ValidationError(
            _("还有 %(n)s 名入围考生的面试成绩未签字确认，也未登记缺考，暂不能排名。")
            % {"n": len(inputs.waiting)}
        )


def rank_now(announcement, *, actor, progress=None) -> VersionWritten:
    """Read, compute and write in this process (the job's body; tests and the demo call it)."""
    inputs = assemble(announcement)
    check_complete(inputs)
    return compute_and_write(announcement, inputs, fingerprint(inputs), actor=actor, progress=progress)


# ------------------------------------------------------------------ the job


def ranking_job_create(*, announcement, actor) -> BackgroundJob:
    """Queue a ranking run (administrators). A run of this announcement waiting or running is
    returned instead of a second one."""
    _check_admin(actor)
    with transaction.atomic():
        Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
        running = (
            BackgroundJob.objects.filter(
                kind=JOB_KIND,
                announcement_id=announcement.pk,
                status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
            )
            .order_by("pk")
            .first()
        )
        if running is not None:
            return running
        job = BackgroundJob.objects.create(
            kind=JOB_KIND, created_by=actor, announcement_id=announcement.pk, total=1
        )
        audit.record(actor, job, audit.ADDITION, note=str(JOB_LABEL))
        jobs.start_on_commit(job)
    return job


def _run_phases(job: BackgroundJob, announcement) -> VersionWritten:
    """Read, fingerprint, compute (progress per position), write; or, when a stored version
    has the same inputs, that version (nothing computed)."""
    inputs = assemble(announcement)
    check_complete(inputs)
    digest = fingerprint(inputs)
    if RankingVersion.objects.filter(announcement=announcement, fingerprint=digest).exists():
        return write_version(announcement, inputs, {}, actor=job.created_by, digest=digest)
    positions = len(inputs.candidates)
    BackgroundJob.objects.filter(pk=job.pk, claim_token=job.claim_token).update(total=positions + 1, done=0)
    job.total = positions + 1
    return compute_and_write(
        announcement, inputs, digest, actor=job.created_by, progress=lambda n: jobs.add_done(job, n)
    )


def ranking_run(job: BackgroundJob) -> BackgroundJob | None:
    """The job's body: claim, read, compute (progress per position), write (one transaction),
    finish with params["version"]. A second delivery of the message finds the job claimed and
    does nothing; a run that died is claimed again by the sweeper and starts over (nothing of
    the dead run was written)."""
    if not jobs.claim(job):
        return None
    announcement = Announcement.objects.get(pk=job.announcement_id)
    try:
        with jobs.gc_paused():
            written = _run_phases(job, announcement)
    except jobs.JobLost:
        return None
    except ValidationError as error:
        jobs.fail(job, Exception("；".join(error.messages)))
        return None
    except scoring.ScoringError as error:
        jobs.fail(
            job, Exception(_("排名规则或成绩有误（%(code)s），未保存任何结果。") % {"code": error.code})
        )
        return None
    params = {**job.params, "version": written.version.pk, "created": written.created}
    return jobs.finish(job, params=params, done=job.total)


# ------------------------------------------------------------------ confirm


def ranking_confirm(*, version: RankingVersion, actor, seen_confirmed: int | None) -> RankingVersion:
    """Confirm `version` for hiring (administrators). `seen_confirmed`: the id of the version
    that was confirmed when the administrator opened the page (None: none was): when another
    administrator confirmed a version meanwhile, RankingConflict says who and nothing changes.
    Refused (ValidationError) when the scores changed since the version was computed (run the
    ranking again). The previously confirmed version is superseded; the ranked candidates move
    to RANKED (applicants.transitions.transition_many). Audited."""
    _check_admin(actor)
    announcement = version.announcement
    current_digest = fingerprint(assemble(announcement))
    now = timezone.now()
    with transaction.atomic():
        Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
        fresh = RankingVersion.objects.select_for_update().get(pk=version.pk)
        current = (
            RankingVersion.objects.filter(announcement=announcement, status=RankingVersion.Status.CONFIRMED)
            .select_related("confirmed_by")
            .first()
        )
        if current is not None and current.pk == fresh.pk:
            raise RankingConflict(_("第 %(n)s 版已由 %(who)s 于 %(at)s 确认，无需重复确认。") % _who(current))
        if (current.pk if current else None) != seen_confirmed:
            if current is None:
                raise RankingConflict(_("您打开页面后，已确认的排名版本发生了变化，请刷新后重试。"))
            raise RankingConflict(
                _("您打开页面后，%(who)s 已于 %(at)s 确认了第 %(n)s 版，请刷新页面查看后再决定。")
                % _who(current)
            )
        if fresh.fingerprint != current_digest:
            raise ValidationError(
                _("第 %(n)s 版计算后成绩或规则已有变动，不能确认。请重新排名，再确认新生成的版本。")
                % {"n": fresh.number}
            )
        if current is not None:
            current.status = RankingVersion.Status.SUPERSEDED
            current.save(update_fields=["status"])
            audit.record(actor, current, audit.CHANGE, fields=["status"])
        fresh.status = RankingVersion.Status.CONFIRMED
        fresh.confirmed_by = actor
        fresh.confirmed_at = now
        fresh.outdated_at = None
        fresh.save(update_fields=["status", "confirmed_by", "confirmed_at", "outdated_at"])
        audit.record(actor, fresh, audit.CHANGE, fields=["status", "confirmed_at"])
        ranked = RankingRow.objects.filter(version=fresh, absent=False).values_list(
            "application_id", flat=True
        )
        transition_many(
            list(ranked),
            to_stage=Stage.RANKED,
            actor=actor,
            from_stages=list(TO_RANKED_FROM),
            reason=_("综合成绩排名第 %(n)s 版已确认") % {"n": fresh.number},
        )
    return fresh


def _who(version: RankingVersion) -> dict:
    who = version.confirmed_by
    name = str(who) if who else ""
    at = timezone.localtime(version.confirmed_at).strftime("%Y-%m-%d %H:%M") if version.confirmed_at else ""
    return {"n": version.number, "who": name, "at": at}


def _signature(announcement_id: int) -> tuple:
    """When anything a ranking reads last changed (cheap aggregate queries): the announcement
    and its settings, the applications (stage moves), written scores, bonus decisions,
    interview scores and sign-offs, 加试 scores."""
    from django.db.models import Count, Sum

    from ..models_interview import InterviewCandidate, InterviewScore

    def last(queryset, field, total=None):
        """Latest change, count and (for scores) the sum: a bulk UPDATE that leaves the
        timestamp alone still changes the sum."""
        return queryset.aggregate(m=Max(field), n=Count("pk"), s=Sum(total) if total else Count("pk"))

    values = (
        last(Announcement.objects.filter(pk=announcement_id), "updated_at"),
        last(RankingSettings.objects.filter(announcement_id=announcement_id), "updated_at"),
        last(Application.objects.filter(announcement_id=announcement_id), "updated_at"),
        last(WrittenScore.objects.filter(announcement_id=announcement_id), "updated_at", "raw"),
        last(BonusClaim.objects.filter(application__announcement_id=announcement_id), "reviewed_at"),
        last(
            InterviewScore.objects.filter(candidate__group__announcement_id=announcement_id), "submitted_at"
        ),
        last(InterviewCandidate.objects.filter(group__announcement_id=announcement_id), "signed_off_at"),
        last(ExtraTestResult.objects.filter(announcement_id=announcement_id), "entered_at", "score"),
    )
    return tuple((str(v["m"]), v["n"], str(v["s"])) for v in values)


def current_fingerprint(announcement) -> str:
    """The fingerprint of the announcement's ranking inputs as they are now. Reading every
    input of a large announcement takes seconds, so the result is cached under a signature
    of when those inputs last changed (eight aggregate queries): any change recomputes it."""
    from django.core.cache import cache

    key = (
        "exams:ranking:fp:"
        + hashlib.sha256(repr((announcement.pk, _signature(announcement.pk))).encode()).hexdigest()
    )
    digest = cache.get(key)
    if digest is None:
        digest = fingerprint(assemble(announcement))
        cache.set(key, digest, 24 * 3600)
    return digest


def is_outdated(version: RankingVersion) -> bool:
    """The inputs changed since `version` was computed (a score corrected, a 加试 entered)."""
    if version.outdated_at is not None:
        return True
    return current_fingerprint(version.announcement) != version.fingerprint
