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
  the rerun computes the same inputs again.

Idempotent: the version carries a fingerprint (sha256) of every input; a run whose inputs
match a stored version returns that version and writes nothing. A score corrected after
confirmation changes the fingerprint: the next run writes a new version and marks the
confirmed one out of date; it stays the one hiring reads until an administrator confirms the
new one (never an edit in place).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from applicants.models import Application, Stage
from applicants.transitions import transition_many
from portal import audit, jobs
from portal.models import BackgroundJob
from recruitment.models import Announcement, Position

from .. import scoring
from ..models import Ticket
from ..models_ranking import ExtraTestResult, RankingRow, RankingVersion
from ..models_rules import RankingSettings
from ..models_written import BonusClaim, ScoreStatus, WrittenScore
from ..rules import ranking_settings_of, rules_for
from ..selectors import ranking as selectors
from ..selectors.written import mask_name

JOB_KIND = "exam_ranking"
JOB_LABEL = gettext_lazy("计算综合成绩并排名")
EXTRA_TEST = "extra_test"
EXTRA_TEST_BREAKER = "subscore:extra_test"
# Which candidates share a room correction (修正系数), the announcement's setting
# RankingSettings.room_scope. "linked": the interview groups that interviewed the same
# positions, taken together (each group across its positions, the reading of issue 17);
# "position": each position alone; "announcement": every group at once.
ROOM_SCOPES = tuple(RankingSettings.RoomScope.values)
DEFAULT_ROOM_SCOPE = str(RankingSettings.RoomScope.LINKED)
# Stages of an application that may be ranked: the interview pool (H17a's interview_pool,
# when present) plus whoever a confirmed version already ranked (hiring may have moved them on).
POOL_STAGES = (Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.RANKED)
TO_RANKED_FROM = (Stage.INTERVIEWED, Stage.SHORTLISTED)
# Stages no ranked candidate can be in (read past when assembling the pool's snapshots).
BEFORE_SHORTLIST = (
    Stage.DRAFT,
    Stage.SUBMITTED,
    Stage.RETURNED,
    Stage.APPROVED,
    Stage.REJECTED,
    Stage.WITHDRAWN,
    Stage.TICKET_ISSUED,
    Stage.WRITTEN_SCORED,
    Stage.NOT_SHORTLISTED,
)


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


# ------------------------------------------------------------------ read


@dataclass
class Inputs:
    """Everything a ranking depends on, read in a few queries."""

    announcement_id: int
    rules: scoring.Rules
    room_scope: str
    quotas: dict[int, int]  # position id → posts
    candidates: dict[int, list[scoring.Candidate]]  # position id → candidates (key = str(app id))
    labels: dict[int, tuple[str, str]] = field(default_factory=dict)  # app id → (ticket no., masked name)
    waiting: set[int] = field(default_factory=set)  # in the pool, interview not signed off yet


def _optional(module: str):
    """A sibling helper's module, or None while it does not exist yet."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != module:
            raise
        return None


def interview_inputs(announcement) -> dict[int, tuple[str, tuple[Decimal, ...] | None]]:
    """H17b's exams.selectors.interview.interview_inputs: application id → (interview group
    code, the examiners' signed-off scores or None when absent). Empty while it does not exist."""
    module = _optional("exams.selectors.interview")
    if module is None or not hasattr(module, "interview_inputs"):
        return {}
    return module.interview_inputs(announcement)


def interview_subscores(announcement) -> dict[int, dict[str, Decimal]]:
    """Dimension subscores (application id → {dimension: points}) where H17b provides them."""
    module = _optional("exams.selectors.interview")
    function = (
        (getattr(module, "interview_subscores", None) or getattr(module, "subscores", None))
        if module
        else None
    )
    if function is None:
        return {}
    return function(announcement) or {}


def pool_ids(announcement, interview: dict) -> tuple[set[int], set[int]]:
    """(the applications ranked, those of them still waiting for an interview score).

    Ranked: H17a's interview pool (shortlisted and still in) where it exists, else the
    shortlisted/interviewed stages; plus whoever has interview inputs (signed off, or absent
    at the interview) and has not left (stage SHORTLISTED, INTERVIEWED, ABSENT or RANKED);
    plus whoever the confirmed version ranked (hiring may have moved them on since).
    Waiting: in the pool but neither signed off nor marked absent yet."""
    module = _optional("exams.selectors.shortlist")
    if module is not None and hasattr(module, "interview_pool"):
        pool = set(module.interview_pool(announcement).values_list("pk", flat=True))
    else:
        pool = set(
            Application.objects.filter(announcement=announcement, stage__in=POOL_STAGES).values_list(
                "pk", flat=True
            )
        )
    ids = set(pool)
    # By stage, then intersected here: an IN list of 100,000 ids costs Django seconds.
    for pk, stage in Application.objects.filter(
        announcement=announcement,
        stage__in=[Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.ABSENT, Stage.RANKED],
    ).values_list("pk", "stage"):
        if stage == Stage.RANKED or pk in interview:
            ids.add(pk)
    confirmed = selectors.confirmed_version(announcement)
    if confirmed is not None:
        ids |= set(RankingRow.objects.filter(version=confirmed).values_list("application_id", flat=True))
    waiting = {pk for pk in pool if pk not in interview}
    return ids, waiting


def _room_scope(announcement) -> str:
    """The announcement's RankingSettings.room_scope (no row: the default, "linked")."""
    row = ranking_settings_of(announcement)
    scope = row.room_scope if row is not None else DEFAULT_ROOM_SCOPE
    return scope if scope in ROOM_SCOPES else DEFAULT_ROOM_SCOPE


def _education(snapshot: dict) -> int:
    levels = [item.get("level") or 0 for item in snapshot.get("education") or []]
    return max((int(level) for level in levels), default=0)


def _birth(snapshot: dict) -> date | None:
    value = snapshot.get("birth_date")
    return date.fromisoformat(value) if value else None


def _flags(snapshot: dict) -> frozenset[str]:
    """Statuses for "flag:<name>" tie-breakers: the political status as stored (e.g. the
    code for 中共党员) and "community_work" for anyone with community work experience."""
    flags = set()
    if snapshot.get("political_status"):
        flags.add(str(snapshot["political_status"]))
    if any(item.get("community_work") for item in snapshot.get("work") or []):
        flags.add("community_work")
    return frozenset(flags)


def assemble(announcement, *, interview=None, ids=None) -> Inputs:
    """Read every input of the announcement's ranking (the read phase). `interview`: the
    interview inputs when the caller has them (the bench), else read through interview_inputs.
    Queries: the announcement (read again: settings saved through another instance must
    count), the pool, the applications, the written scores, the bonus items, the tickets, the
    加试 scores, the quotas, plus the interview selector's."""
    announcement = Announcement.objects.get(pk=announcement.pk)
    rules = rules_for(announcement)
    extra = selectors.extra_test_scores(announcement)
    if extra and EXTRA_TEST_BREAKER not in rules.tie_breakers:
        rules = scoring.Rules(
            **{**_rules_kwargs(rules), "tie_breakers": (*rules.tie_breakers, EXTRA_TEST_BREAKER)}
        )
    interview = interview_inputs(announcement) if interview is None else interview
    subscores = interview_subscores(announcement)
    waiting: set[int] = set()
    if ids is None:
        ids, waiting = pool_ids(announcement, interview)
    # Only the snapshot keys used (a full snapshot carries work, documents…); the pool is
    # chosen here, not by an IN list of 100,000 ids.
    apps = (
        row
        for row in Application.objects.filter(announcement=announcement)
        .exclude(stage__in=BEFORE_SHORTLIST)
        .values_list(
            "pk",
            "position_id",
            "snapshot__real_name",
            "snapshot__birth_date",
            "snapshot__education",
            "snapshot__political_status",
            "snapshot__work",
        )
        if row[0] in ids
    )
    written = dict(
        WrittenScore.objects.filter(announcement=announcement, status=ScoreStatus.SCORED).values_list(
            "ticket__application_id", "raw"
        )
    )
    bonus: dict[int, list[Decimal]] = defaultdict(list)
    for app_id, points in BonusClaim.objects.filter(
        application__announcement=announcement, status=BonusClaim.Status.CONFIRMED
    ).values_list("application_id", "category__points"):
        bonus[app_id].append(Decimal(points))
    tickets = dict(Ticket.objects.filter(announcement=announcement).values_list("application_id", "number"))
    candidates: dict[int, list[scoring.Candidate]] = defaultdict(list)
    labels = {}
    for app_id, position_id, real_name, birth_date, education, political_status, work in apps:
        snapshot = {
            "real_name": real_name,
            "birth_date": birth_date,
            "education": education,
            "political_status": political_status,
            "work": work,
        }
        room, scores = interview.get(app_id, ("", None))
        sub = dict(subscores.get(app_id) or {})
        if app_id in extra:
            sub[EXTRA_TEST] = extra[app_id]
        candidates[position_id].append(
            scoring.Candidate(
                key=str(app_id),
                written=written.get(app_id),
                bonus=tuple(bonus.get(app_id, ())),
                interview=tuple(scores) if scores is not None else None,
                room=room or "",
                education=_education(snapshot),
                birth_date=_birth(snapshot),
                flags=_flags(snapshot),
                subscores=sub,
            )
        )
        labels[app_id] = (tickets.get(app_id, ""), mask_name(snapshot.get("real_name", "")))
    quotas = dict(Position.objects.filter(pk__in=list(candidates)).values_list("pk", "quota"))
    for position_id in list(candidates):
        if not quotas.get(position_id):  # a cancelled position (quota 0) is not ranked
            del candidates[position_id]
    return Inputs(
        announcement_id=announcement.pk,
        rules=rules,
        room_scope=_room_scope(announcement),
        quotas={pk: quotas[pk] for pk in candidates},
        candidates=dict(candidates),
        labels=labels,
        waiting=waiting,
    )


def _rules_kwargs(rules: scoring.Rules) -> dict:
    return {f.name: getattr(rules, f.name) for f in fields(rules)}


def _number(value: Decimal) -> str:
    """A Decimal in its shortest plain form: 0.50 → "0.5", 60.00 → "60" (never "6E+1"), so a
    value read back from the database (with its column's scale) fingerprints as typed."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _plain(value):
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, frozenset | set):
        return sorted(_plain(item) for item in value)
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items())}
    if isinstance(value, date):
        return value.isoformat()
    return value


def rules_mapping(rules: scoring.Rules, room_scope: str = DEFAULT_ROOM_SCOPE) -> dict:
    """The rules as a JSON mapping (Rules.from_mapping reads it back) plus the room scope."""
    data = {name: _plain(value) for name, value in _rules_kwargs(rules).items()}
    data["room_scope"] = room_scope
    return data


def rules_snapshot(inputs: Inputs) -> dict:
    return rules_mapping(inputs.rules, inputs.room_scope)


def fingerprint(inputs: Inputs) -> str:
    """sha256 of the canonical JSON of every input: the rules, the scope, the quotas and
    each candidate's scores, room, education, birth date, flags and subscores. Decimals are
    normalised (78.5 and 78.50 are one score)."""

    texts: dict = {}  # 700,000 scores hold a few thousand values: each is formatted once

    def number(value):
        if value is None:
            return None
        text = texts.get(value)
        if text is None:
            text = texts[value] = _number(Decimal(value))
        return text

    payload = {
        "rules": rules_snapshot(inputs),
        "quotas": {str(k): v for k, v in sorted(inputs.quotas.items())},
        "candidates": [
            [
                position_id,
                c.key,
                number(c.written),
                sorted(number(b) for b in c.bonus),
                None if c.interview is None else sorted(number(s) for s in c.interview),
                c.room,
                c.education,
                c.birth_date.isoformat() if c.birth_date else None,
                sorted(c.flags),
                {name: number(value) for name, value in sorted(c.subscores.items())},
            ]
            for position_id in sorted(inputs.candidates)
            for c in sorted(inputs.candidates[position_id], key=lambda c: c.key)
        ],
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------ compute


def _present(c: scoring.Candidate) -> bool:
    return c.written is not None and c.interview is not None


def scopes(inputs: Inputs) -> list[list[int]]:
    """Groups of positions whose rooms are corrected together (see ROOM_SCOPES)."""
    positions = sorted(inputs.candidates)
    if inputs.room_scope == "announcement":
        return [positions] if positions else []
    if inputs.room_scope == "position":
        return [[p] for p in positions]
    parent: dict[object, object] = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for position_id in positions:
        find(("p", position_id))
        for c in inputs.candidates[position_id]:
            if _present(c):
                parent[find(("r", c.room))] = find(("p", position_id))
    groups: dict[object, list[int]] = defaultdict(list)
    for position_id in positions:
        groups[find(("p", position_id))].append(position_id)
    return list(groups.values())


def compute(inputs: Inputs, progress=None) -> dict[int, scoring.Ranking]:
    """position id → exams.scoring.Ranking: exams.scoring.rank_scope over each scope (the
    coefficients (修正系数) over the scope's rooms, then each position's ranking). `progress(n)`
    is told the positions done about every 2 % of them and at the end (each call is a write).
    Raises exams.scoring.ScoringError."""
    rules = inputs.rules
    results: dict[int, scoring.Ranking] = {}
    step = max(1, len(inputs.candidates) // 50)
    pending = 0
    for group in scopes(inputs):
        results.update(
            scoring.rank_scope({p: (inputs.candidates[p], inputs.quotas[p]) for p in group}, rules)
        )
        pending += len(group)
        if progress is not None and pending >= step:
            progress(pending)
            pending = 0
    if progress is not None and pending:
        progress(pending)
    return results


# ------------------------------------------------------------------ write


ROW_COLUMNS = (
    "version_id",
    "position_id",
    "application_id",
    "order",
    "ticket_number",
    "masked_name",
    "room",
    "absent",
    "written_total",
    "interview_raw",
    "coefficient",
    "interview",
    "composite",
    "rank",
    "eligible",
    "proposed",
    "extra_test",
    "tie_group",
    "extra_test_score",
)


def row_tuples(version_id: int, inputs: Inputs, results: dict[int, scoring.Ranking]):
    """The rows of a version, as tuples in ROW_COLUMNS order."""
    for position_id in sorted(results):
        ranking = results[position_id]
        rooms = {c.key: c for c in inputs.candidates[position_id]}
        proposed, extra = set(ranking.proposed), set(ranking.extra_test)
        groups = {key: index for index, keys in enumerate(ranking.unresolved_ties, 1) for key in keys}
        order = 0
        for row in ranking.rows:
            order += 1
            app_id = int(row.key)
            ticket, name = inputs.labels.get(app_id, ("", ""))
            c = rooms[row.key]
            yield (
                version_id,
                position_id,
                app_id,
                order,
                ticket,
                name,
                c.room,
                False,
                row.written_total,
                row.interview_raw,
                row.coefficient,
                row.interview,
                row.composite,
                row.rank,
                row.eligible,
                row.key in proposed,
                row.key in extra,
                groups.get(row.key),
                c.subscores.get(EXTRA_TEST),
            )
        for key in ranking.absent:
            order += 1
            app_id = int(key)
            ticket, name = inputs.labels.get(app_id, ("", ""))
            c = rooms[key]
            yield (
                version_id,
                position_id,
                app_id,
                order,
                ticket,
                name,
                c.room,
                True,
                *(None,) * 6,  # written_total … rank
                False,
                False,
                False,
                None,
                c.subscores.get(EXTRA_TEST),
            )


def _copy_rows(rows) -> None:
    """COPY on PostgreSQL (100,000 rows in about a second), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        RankingRow.objects.bulk_create(
            [RankingRow(**dict(zip(ROW_COLUMNS, values, strict=True))) for values in rows], batch_size=2000
        )
        return
    table = connection.ops.quote_name(RankingRow._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ROW_COLUMNS)
    buffer = io.StringIO()
    for values in rows:
        buffer.write("\t".join(_copy_text(value) for value in values))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)  # noqa: S608 - names only


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class VersionWritten:
    """What write_version did: the version, and whether it is new."""

    def __init__(self, version: RankingVersion, created: bool):
        self.version = version
        self.created = created


def write_version(
    announcement, inputs: Inputs, results: dict[int, scoring.Ranking], *, actor, digest: str | None = None
) -> VersionWritten:
    """Store the results as a new version, all or nothing, under the announcement's row lock.
    Inputs matching a stored version (same fingerprint) return it, writing nothing; a new
    version marks a confirmed one with other inputs out of date."""
    digest = digest or fingerprint(inputs)
    now = timezone.now()
    with transaction.atomic():
        Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
        existing = RankingVersion.objects.filter(announcement=announcement, fingerprint=digest).first()
        confirmed = selectors.confirmed_version(announcement)
        if existing is not None:
            if existing.status == RankingVersion.Status.CONFIRMED and existing.outdated_at:
                existing.outdated_at = None
                existing.save(update_fields=["outdated_at"])
            return VersionWritten(existing, False)
        number = (
            RankingVersion.objects.filter(announcement=announcement).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        previous = confirmed or selectors.latest_version(announcement)
        version = RankingVersion.objects.create(
            announcement=announcement,
            number=number,
            fingerprint=digest,
            rules=rules_snapshot(inputs),
            quotas={str(k): v for k, v in inputs.quotas.items()},
            previous=previous,
            candidates=sum(len(c) for c in inputs.candidates.values()),
            created_by=actor,
        )
        _copy_rows(row_tuples(version.pk, inputs, results))
        if confirmed is not None and confirmed.outdated_at is None:
            confirmed.outdated_at = now
            confirmed.save(update_fields=["outdated_at"])
        audit.record(actor, version, audit.ADDITION, note=_("第 %(n)s 版排名") % {"n": number})
    return VersionWritten(version, True)


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
    results = compute(inputs, progress)
    return write_version(announcement, inputs, results, actor=actor)


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
    results = compute(inputs, progress=lambda n: jobs.add_done(job, n))
    return write_version(announcement, inputs, results, actor=job.created_by, digest=digest)


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
    from django.db.models import Count, Max, Sum

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
