"""Demo: an announcement past its interviews, with a confirmed and published ranking (issue 17).

Called from exams.demo.seed. The steps belong to four helpers and run in order, each through
its own module: the written results (exams.demo_scores, H16), the shortlist
(exams.demo_shortlist, H17a), the interview groups with signed-off scores (exams.demo_groups,
H17b), then the ranking here: run, confirm, publish. A step whose module is not there yet is
skipped with a printed note. Idempotent: the ranking of unchanged scores is the same version
(its fingerprint), already confirmed and published the second time.
"""

from __future__ import annotations

import importlib

from django.core.exceptions import ValidationError


def _optional(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return None


def seed(stdout):
    scores = _optional("exams.demo_scores")
    if scores is None or not hasattr(scores, "seed_scored_announcement"):
        stdout.write("exams: interview demo skipped (exams.demo_scores is not there yet)")
        return
    announcement = scores.seed_scored_announcement(stdout)
    for name in ("exams.demo_shortlist", "exams.demo_groups"):
        module = _optional(name)
        if module is None or not hasattr(module, "seed"):
            stdout.write(f"exams: {name} is not there yet; its step is skipped")
            continue
        module.seed(announcement, stdout)
    rank(announcement, stdout)


def rank(announcement, stdout):
    """Run the ranking of `announcement`, confirm and publish it (as admin@demo.cn)."""
    from accounts.demo import ensure_user

    from .models_ranking import RankingVersion
    from .selectors import ranking as selectors
    from .services import ranking as services
    from .services import ranking_publish

    admin = ensure_user("admin@demo.cn")
    try:
        written = services.rank_now(announcement, actor=admin)
    except ValidationError as error:
        stdout.write(f"exams: ranking of “{announcement.title}” skipped: {'；'.join(error.messages)}")
        return None
    version = written.version
    if version.status != RankingVersion.Status.CONFIRMED:
        current = selectors.confirmed_version(announcement)
        version = services.ranking_confirm(
            version=version, actor=admin, seen_confirmed=current.pk if current else None
        )
    if version.published_at is None:
        version = ranking_publish.ranking_publish(version=version, actor=admin)
    stdout.write(
        f"exams: ranking of “{announcement.title}” version {version.number} confirmed and published"
        f" ({version.candidates} candidates; admin@demo.cn)"
    )
    return version
