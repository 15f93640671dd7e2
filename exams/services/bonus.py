"""Bonus points (加分): the applicant claims a category of the announcement with proof, until
the review deadline; a reviewer assigned to the announcement (or an administrator) confirms
or refuses each claim, with a reason for a refusal. Only confirmed claims count, combined as
the announcement says (exams.scoring.bonus_points through exams.rules.rules_for)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application, Document, Stage
from portal import audit
from review.selectors import submitted_document_uuids

from ..models_written import BonusClaim
from ..selectors import written as selectors
from .written import results_touch

# Stages in which an application may still claim (submitted and not refused or withdrawn).
CLAIMABLE_STAGES = [Stage.DRAFT, Stage.SUBMITTED, Stage.RETURNED, Stage.APPROVED, Stage.TICKET_ISSUED]


def can_claim(application: Application, now=None) -> bool:
    now = now or timezone.now()
    return application.stage in CLAIMABLE_STAGES and now <= application.announcement.review_deadline


def _check_proof(application: Application, actor, proof: Document | None) -> None:
    """Raises ValidationError unless `proof` is a document of the actor's own profile (and,
    once submitted, one the submission took along: the reviewer opens only those)."""
    if proof is None:
        raise ValidationError({"proof": _("请选择证明材料。")})
    if proof.profile.user_id != actor.pk:
        raise ValidationError({"proof": _("只能选择本人上传的材料。")})
    if application.stage != Stage.DRAFT and str(proof.uuid) not in submitted_document_uuids(application):
        raise ValidationError({"proof": _("请选择报名时提交的材料（审核人员只能查看提交的材料）。")})


def bonus_claim_create(
    *, application: Application, actor, category, proof: Document | None, note: str = "", now=None
) -> BonusClaim:
    """The applicant claims `category` (of the application's announcement) with `proof` (a
    document of their own profile). Raises PermissionDenied (not theirs; past the review
    deadline; the application is closed), ValidationError (another announcement's category;
    a document not theirs; no proof; claimed already)."""
    if application.applicant_id != actor.pk:
        raise PermissionDenied
    if not can_claim(application, now):
        raise PermissionDenied(_("资格审核截止后不能再申请加分。"))
    if category.announcement_id != application.announcement_id:
        raise ValidationError({"category": _("该加分项目不属于本次招聘。")})
    _check_proof(application, actor, proof)
    try:
        with transaction.atomic():
            claim = BonusClaim.objects.create(
                application=application, category=category, proof=proof, note=(note or "").strip()[:200]
            )
            audit.record(actor, claim, audit.ADDITION)
    except IntegrityError:
        raise ValidationError({"category": _("已申请过该加分项目。")})
    return claim


def bonus_claim_withdraw(*, claim: BonusClaim, actor, now=None) -> None:
    """The applicant takes back an undecided claim before the review deadline."""
    if claim.application.applicant_id != actor.pk:
        raise PermissionDenied
    if claim.status != BonusClaim.Status.CLAIMED or not can_claim(claim.application, now):
        raise PermissionDenied(_("该加分申请已审核或已过截止时间，不能撤回。"))
    with transaction.atomic():
        audit.record(actor, claim, audit.DELETION)
        claim.delete()


def bonus_claims_sync(*, application: Application, actor, categories, chosen, now=None) -> dict[str, int]:
    """Make `application`'s undecided claims among `categories` (the announcement's) be
    exactly `chosen` [(category, proof document)]: the apply form's ticks, when a draft is
    saved (暂存) and when it is submitted. A ticked category without a claim gets one
    (bonus_claim_create's checks), a claim whose proof was changed is given the new proof, a
    claim no longer ticked is withdrawn; decided claims (confirmed or refused) stay as they
    are. Each change is audited. Saving the same ticks twice changes nothing, so a draft
    saved twice and then submitted holds one claim per category.

    Call inside the transaction that saves or submits the application: the application row
    is locked, so two tabs saving at once apply one after the other.
    Returns {"created": n, "changed": n, "removed": n}.
    Raises PermissionDenied (not the applicant's; closed), ValidationError (as
    bonus_claim_create: another announcement's category, a document not theirs, no proof)."""
    if application.applicant_id != actor.pk:
        raise PermissionDenied
    counts = {"created": 0, "changed": 0, "removed": 0}
    chosen = {category.pk: (category, proof) for category, proof in chosen}
    wanted_ids = {category.pk for category in categories}
    with transaction.atomic():
        list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk", flat=True))
        existing = {
            claim.category_id: claim
            for claim in BonusClaim.objects.filter(application=application, category_id__in=wanted_ids)
        }
        if (chosen or existing) and not can_claim(application, now):
            raise PermissionDenied(_("资格审核截止后不能再申请加分。"))
        for category_id, claim in existing.items():
            if category_id in chosen or claim.status != BonusClaim.Status.CLAIMED:
                continue
            audit.record(actor, claim, audit.DELETION)
            claim.delete()
            counts["removed"] += 1
        for category_id, (category, proof) in chosen.items():
            claim = existing.get(category_id)
            if claim is None:
                bonus_claim_create(
                    application=application, actor=actor, category=category, proof=proof, now=now
                )
                counts["created"] += 1
            elif claim.status == BonusClaim.Status.CLAIMED and claim.proof_id != getattr(proof, "pk", None):
                _check_proof(application, actor, proof)
                claim.proof = proof
                claim.save(update_fields=["proof"])
                audit.record(actor, claim, audit.CHANGE, fields=["proof"])
                counts["changed"] += 1
    return counts


def bonus_claim_decide(*, claim: BonusClaim, actor, confirm: bool, reason: str = "") -> BonusClaim:
    """Confirm or refuse a claim (a refusal needs a reason). A decision may be changed by
    deciding again; each is audited, and the written results are marked out of date.
    Raises PermissionDenied (not staff of the announcement), ValidationError (no reason)."""
    announcement_id = claim.application.announcement_id
    if not selectors.is_score_staff(actor, announcement_id):
        raise PermissionDenied(_("只有分配到该公告的审核人员或管理员可以认定加分。"))
    reason = (reason or "").strip()
    if not confirm and not reason:
        raise ValidationError({"reason": _("不予认定须填写理由。")})
    status = BonusClaim.Status.CONFIRMED if confirm else BonusClaim.Status.REFUSED
    with transaction.atomic():
        updated = BonusClaim.objects.filter(pk=claim.pk).update(
            status=status, reason=reason[:200], reviewed_by=actor, reviewed_at=timezone.now()
        )
        if not updated:
            raise PermissionDenied(_("该加分申请已不存在。"))
        claim.refresh_from_db()
        audit.record(actor, claim, audit.CHANGE, fields=["status", "reason"], note=reason)
        results_touch(announcement_id)
    return claim
