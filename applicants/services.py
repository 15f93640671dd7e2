"""Every change an applicant makes: one function each, in a transaction, audited.

The review console (review.services) calls profile_lock_identity on approval.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal import audit
from recruitment.models import Announcement, Position

from . import eligibility, id_claims, id_numbers
from .models import (
    STAGES_AT_OR_AFTER_APPROVED,
    ApplicantProfile,
    Application,
    ApplicationEvent,
    Certificate,
    Document,
    EducationRecord,
    Stage,
    WorkRecord,
)
from .names import clean_real_name
from .notify import notify_applicant
from .selectors import frozen_document_uuids, profile_for_user, under_review_or_approved
from .snapshot import build_snapshot
from .transitions import StaleApplication, transition
from .uploads import check_document, check_photo, document_max_count

PROFILE_FIELDS = (
    "real_name",
    "id_number",
    "ethnicity",
    "political_status",
    "household_province",
    "household_city",
    "household_district",
    "household_settled_on",
    "address",
)
IDENTITY_FIELDS = ("real_name", "id_number")


class ApplicationError(Exception):
    """A refusal to show the applicant (message in Chinese)."""

    def __init__(self, message, *, application=None, eligibility_result=None):
        super().__init__(message)
        self.message = message
        self.application = application
        self.eligibility_result = eligibility_result


class AlreadyApplied(ApplicationError):
    pass


class NotEligible(ApplicationError):
    pass


# --- Profile ---------------------------------------------------------------------------


def profile_save(
    *,
    user,
    fields: dict,
    education: list[dict] | None = None,
    work: list[dict] | None = None,
    certificates: list[dict] | None = None,
) -> ApplicantProfile:
    """Create or update the profile; the lists, when given, replace the records."""
    fields = {key: value for key, value in fields.items() if key in PROFILE_FIELDS}
    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().filter(user=user).first()
        if "id_number" in fields:
            # Every spelling to the stored one before the uniqueness lookup and the checks.
            fields["id_number"] = id_numbers.normalize(fields["id_number"])
            _on_field("id_number", id_numbers.parse, fields["id_number"])
        if "real_name" in fields:
            fields["real_name"] = _on_field("real_name", clean_real_name, fields["real_name"])
        if profile is not None:
            _refuse_identity_change(profile, fields)
        new_number = fields.get("id_number")
        if new_number and (profile is None or new_number != profile.id_number):
            id_claims.count_attempt(user.pk)
            if ApplicantProfile.objects.filter(id_number=new_number).exclude(user=user).exists():
                id_claims.refuse_taken()
        created = profile is None
        if created:
            profile = ApplicantProfile(user=user)
        changed = [key for key, value in fields.items() if getattr(profile, key) != value]
        for key, value in fields.items():
            setattr(profile, key, value)
        info = id_numbers.parse(profile.id_number)
        profile.birth_date, profile.sex = info.birth_date, info.sex
        profile.full_clean(exclude=["user", "photo"], validate_unique=False)
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            if created and ApplicantProfile.objects.filter(user=user).exists():
                # Another tab created the profile a moment ago (the user is unique, too).
                raise ValidationError(_("个人信息已在其他窗口保存，请刷新页面后再修改。"))
            id_claims.refuse_taken()
        for name, model, rows in (
            ("education", EducationRecord, education),
            ("work", WorkRecord, work),
            ("certificates", Certificate, certificates),
        ):
            if rows is not None and _replace_records(profile, name, model, rows):
                changed.append(name)
        if user.name != profile.real_name:
            user.name = profile.real_name
            user.save(update_fields=["name"])
        if created or changed:
            audit.record(user, profile, audit.ADDITION if created else audit.CHANGE, fields=changed)
    return profile


def _on_field(name: str, check, value):
    """`check(value)`, its ValidationError placed on the field `name`."""
    try:
        return check(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages})


def _replace_records(profile: ApplicantProfile, name: str, model, rows: list[dict]) -> bool:
    """Replace the profile's `name` records with `rows` unless they are the same already;
    says whether anything changed (for the audit record)."""
    existing = list(getattr(profile, name).order_by("pk"))
    if len(existing) == len(rows) and all(
        getattr(record, key) == value
        for record, row in zip(existing, rows, strict=True)
        for key, value in row.items()
    ):
        return False
    getattr(profile, name).all().delete()
    model.objects.bulk_create(model(profile=profile, **row) for row in rows)
    return True


def _refuse_identity_change(profile: ApplicantProfile, fields: dict) -> None:
    """Call with the profile row locked."""
    changed = [key for key in IDENTITY_FIELDS if key in fields and fields[key] != getattr(profile, key)]
    if not changed:
        return
    if profile.identity_locked:
        message = _("报名已审核通过，姓名和身份证号码已锁定，不能修改；如确有错误请联系招聘单位。")
    elif under_review_or_approved(profile):
        message = _("报名正在审核中，姓名和身份证号码不能修改；如需修改，请先撤回报名或等待审核结果。")
    else:
        return
    raise ValidationError(dict.fromkeys(changed, message))


def profile_lock_identity(profile: ApplicantProfile, *, actor=None, note: str = "") -> None:
    """Freeze name and ID number (called by the review console when approving)."""
    if ApplicantProfile.objects.filter(pk=profile.pk, identity_locked=False).update(identity_locked=True):
        audit.record(actor, profile, audit.CHANGE, fields=["identity_locked"], note=note)
    profile.identity_locked = True


def profile_unlock_identity(profile: ApplicantProfile, *, actor=None, note: str = "") -> bool:
    """Unfreeze name and ID number when no application of the profile's owner is approved
    any more (review.services.application_reopen withdrew the approval that locked them);
    says whether it did. Call inside the transaction of that change."""
    if Application.objects.filter(
        applicant_id=profile.user_id, stage__in=STAGES_AT_OR_AFTER_APPROVED
    ).exists():
        return False
    if ApplicantProfile.objects.filter(pk=profile.pk, identity_locked=True).update(identity_locked=False):
        audit.record(actor, profile, audit.CHANGE, fields=["identity_locked"], note=note)
    profile.identity_locked = False
    return True


def profile_set_photo(*, profile: ApplicantProfile, upload) -> ApplicantProfile:
    """Replace the ID photo. Refused while an application is under review or approved: the
    reviewer judged the photo that was submitted. The old file is kept while a submitted
    application's snapshot still names it."""
    checked = check_photo(upload)
    with transaction.atomic():
        locked = ApplicantProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.identity_locked or under_review_or_approved(locked):
            raise ValidationError(_("报名正在审核中或已审核通过，证件照不能更换；如确需更换请联系招聘单位。"))
        old = locked.photo.name if locked.photo else ""
        profile.photo.save(checked.content.name, checked.content, save=False)
        profile.save(update_fields=["photo", "updated_at"])
        audit.record(profile.user_id, profile, audit.CHANGE, fields=["photo"])
        if old and not Application.objects.filter(applicant_id=profile.user_id, snapshot__photo=old).exists():
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old))
    return profile


def document_upload(*, profile: ApplicantProfile, kind: str, upload) -> Document:
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("请选择材料类型。")})
    checked = check_document(upload)
    with transaction.atomic():
        ApplicantProfile.objects.select_for_update().filter(pk=profile.pk).first()  # serialise the count
        if profile.documents.count() >= document_max_count():
            raise ValidationError(
                _("最多上传 %(count)s 个材料文件，请先删除不需要的文件。") % {"count": document_max_count()}
            )
        document = Document(
            profile=profile,
            kind=kind,
            original_name=(upload.name or "")[-200:],
            content_type=checked.content_type,
            size=checked.size,
        )
        document.file.save(checked.content.name, checked.content, save=False)
        document.save()
        audit.record(profile.user_id, document, audit.ADDITION)
    return document


def document_delete(*, profile: ApplicantProfile, document: Document) -> None:
    if document.profile_id != profile.pk:
        raise ValidationError(_("不能删除他人的材料。"))
    with transaction.atomic():
        # Locked like profile_set_photo, so a submission cannot slip in between check and delete.
        ApplicantProfile.objects.select_for_update().filter(pk=profile.pk).first()
        if str(document.uuid) in frozen_document_uuids(profile):
            raise ValidationError(_("报名正在审核或已通过审核，已提交的材料不能删除。"))
        name, storage = document.file.name, document.file.storage
        audit.record(profile.user_id, document, audit.DELETION)
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- Applications ------------------------------------------------------------------------


def registration_open(announcement: Announcement, now=None) -> bool:
    now = now or timezone.now()
    return (
        announcement.status == Announcement.Status.PUBLISHED
        and announcement.registration_opens_at <= now < announcement.registration_closes_at
    )


def _require_window(announcement: Announcement, now) -> None:
    if announcement.status != Announcement.Status.PUBLISHED:
        raise ApplicationError(_("该招聘公告未发布或已结束，不能报名。"))
    local = timezone.localtime
    if now < announcement.registration_opens_at:
        raise ApplicationError(
            _("报名尚未开始，开始时间为 %(at)s。")
            % {"at": f"{local(announcement.registration_opens_at):%Y-%m-%d %H:%M}"}
        )
    if now >= announcement.registration_closes_at:
        raise ApplicationError(
            _("报名已于 %(at)s 截止。")
            % {"at": f"{local(announcement.registration_closes_at):%Y-%m-%d %H:%M}"}
        )


def _require_open_position(position: Position) -> None:
    if position.status == Position.Status.CANCELLED:
        raise ApplicationError(_("该岗位已取消招聘，请选择其他岗位。"))


def _check(profile: ApplicantProfile, position: Position, snapshot: dict) -> eligibility.Result:
    return eligibility.check(snapshot, position, position.announcement.reference_date)


def _in_record_language(shown: eligibility.Result, position: Position, snapshot: dict) -> eligibility.Result:
    """The explanations kept on the application are in the portal's language (zh-hans), so a
    reviewer reads Chinese whatever language the applicant used; `shown` was for the applicant."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return shown
    with translation.override(settings.LANGUAGE_CODE):
        return _check(None, position, snapshot)


def record_text(message, **params) -> str:
    """A system-written audit reason, kept in the portal's language (`message` lazy)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def _require_profile(user) -> ApplicantProfile:
    """The applicant's profile, locked (call inside the submission's transaction)."""
    profile = profile_for_user(user, lock=True)
    if profile is None:
        raise ApplicationError(_("请先填写个人信息，再报名。"))
    if not profile.photo:
        raise ApplicationError(_("请先上传证件照，再报名。"))
    return profile


def _snapshot_and_check(user, position: Position) -> tuple[dict, eligibility.Result]:
    """Inside the submission's transaction: the profile stays locked until commit, so no
    photo, document or name change (they lock it too) slips in between the snapshot and
    the submission. Refuses when a hard rule fails."""
    profile = _require_profile(user)
    snapshot = build_snapshot(profile)
    result = _check(profile, position, snapshot)
    if result.outcome == eligibility.FAILED:
        raise NotEligible(
            _("不符合该岗位的报名条件：") + "；".join(rule["message"] for rule in result.failed),
            eligibility_result=result,
        )
    return snapshot, result


def eligibility_preview(*, user, position: Position, profile=None) -> eligibility.Result | None:
    """The automatic check of `user`'s profile (or the `profile` already read) against
    `position`, as the apply page shows it; None without a profile."""
    profile = profile or profile_for_user(user)
    if profile is None:
        return None
    return _check(profile, position, build_snapshot(profile))


def application_submit(*, user, position: Position, declaration_accepted: bool, now=None) -> Application:
    """Submit an application to `position` (with its announcement select_related).

    One short transaction; no global lock: the UniqueConstraint (applicant, announcement)
    decides between two tabs or a double-click. A draft (or a withdrawn application while
    registration is open) of the same announcement is submitted in place.
    """
    now = now or timezone.now()
    announcement = position.announcement
    _require_window(announcement, now)
    _require_open_position(position)
    if not declaration_accepted:
        raise ApplicationError(_("请阅读并勾选诚信承诺。"))
    with transaction.atomic():
        snapshot, result = _snapshot_and_check(user, position)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    applicant=user, announcement=announcement, position=position, stage=Stage.DRAFT
                )
        except IntegrityError:
            application = Application.objects.filter(applicant=user, announcement=announcement).first()
            if application is None:  # pragma: no cover - deleted in between
                raise ApplicationError(_("提交失败，请重试。"))
            if application.stage not in (Stage.DRAFT, Stage.WITHDRAWN):
                raise AlreadyApplied(
                    _("您已报名该招聘公告（每个公告只能报一个岗位），请查看您的报名。"),
                    application=application,
                )
        try:
            application = transition(
                application,
                to_stage=Stage.SUBMITTED,
                actor=user,
                from_stages=[Stage.DRAFT, Stage.WITHDRAWN],
                position=position,
                snapshot=snapshot,
                eligibility=_in_record_language(result, position, snapshot).rules,
                eligibility_outcome=result.outcome,
                submitted_at=now,
                declaration_accepted_at=now,
                return_instructions="",
                rejection_reason=None,
                rejection_note="",
            )
        except StaleApplication:
            raise AlreadyApplied(
                _("您已报名该招聘公告（每个公告只能报一个岗位），请查看您的报名。"), application=application
            )
        application.applicant, application.position, application.announcement = user, position, announcement
        notify_applicant(
            application,
            "application_submitted",
            submitted_at=f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
            url=f"/me/applications/{application.pk}/",
        )
    return application


def application_save_draft(*, user, position: Position, now=None) -> Application:
    """Remember the position picked (a draft) without submitting."""
    now = now or timezone.now()
    _require_window(position.announcement, now)
    _require_open_position(position)
    with transaction.atomic():
        application, created = Application.objects.get_or_create(
            applicant=user,
            announcement=position.announcement,
            defaults={"position": position, "stage": Stage.DRAFT},
        )
        if created:
            ApplicationEvent.objects.create(application=application, actor=user, to_stage=Stage.DRAFT)
        elif application.stage == Stage.WITHDRAWN:
            raise ApplicationError(
                _("您已撤回该招聘公告的报名，可在报名截止前直接重新提交。"), application=application
            )
        elif application.stage != Stage.DRAFT:
            raise AlreadyApplied(
                _("您已报名该招聘公告（每个公告只能报一个岗位），请查看您的报名。"), application=application
            )
        elif application.position_id != position.pk:
            Application.objects.filter(pk=application.pk, stage=Stage.DRAFT).update(position=position)
            application.position = position
    return application


def application_withdraw(*, application: Application, user, reason: str = "", now=None) -> Application:
    now = now or timezone.now()
    if application.applicant_id != user.pk:
        raise ApplicationError(_("只能撤回自己的报名。"))
    if now >= application.announcement.registration_closes_at:
        raise ApplicationError(_("报名已截止，不能再撤回。"))
    if application.stage not in (Stage.SUBMITTED, Stage.RETURNED):
        raise ApplicationError(_("当前状态不能撤回。"))
    with transaction.atomic():
        try:
            return transition(
                application,
                to_stage=Stage.WITHDRAWN,
                actor=user,
                from_stages=[Stage.SUBMITTED, Stage.RETURNED],
                reason=reason or record_text(_lazy("本人撤回")),
            )
        except StaleApplication as error:
            raise ApplicationError(str(error.args[0]))


def can_resubmit(application: Application, now=None) -> bool:
    now = now or timezone.now()
    return (
        application.stage in (Stage.RETURNED, Stage.REJECTED)
        and now < application.announcement.review_deadline
    )


def can_switch_after_cancel(application: Application, now=None) -> bool:
    """Once, where the announcement allows, after the position was cancelled (a reduced
    position still recruits: its applicants keep their place)."""
    now = now or timezone.now()
    announcement = application.announcement
    return (
        announcement.allow_switch_on_cancel
        and not application.switched_position
        and application.position.status == Position.Status.CANCELLED
        and application.stage in (Stage.SUBMITTED, Stage.RETURNED, Stage.REJECTED, Stage.APPROVED)
        and now < announcement.review_deadline
    )


def application_resubmit(
    *, application: Application, user, position: Position | None = None, declaration_accepted: bool, now=None
) -> Application:
    """Correct and resubmit a returned or rejected application, or move it to another
    position of the same announcement; or switch once after the position was
    cancelled. A fresh snapshot and eligibility check are taken."""
    now = now or timezone.now()
    if application.applicant_id != user.pk:
        raise ApplicationError(_("只能修改自己的报名。"))
    position = position or application.position
    if position.announcement_id != application.announcement_id:
        raise ApplicationError(_("只能改报同一招聘公告内的岗位。"))
    switching_after_cancel = (
        can_switch_after_cancel(application, now) and position.pk != application.position_id
    )
    if not (can_resubmit(application, now) or switching_after_cancel):
        if application.stage in STAGES_AT_OR_AFTER_APPROVED:
            raise ApplicationError(_("报名已审核通过，不能再修改。"))
        if now >= application.announcement.review_deadline:
            raise ApplicationError(_("资格审核已截止，不能再修改或改报。"))
        raise ApplicationError(_("当前状态不能修改报名。"))
    _require_open_position(position)
    if not declaration_accepted:
        raise ApplicationError(_("请阅读并勾选诚信承诺。"))
    extra = {"switched_position": True} if switching_after_cancel else {}
    moved = position.pk != application.position_id
    # Its own words: a switch because the position was cancelled is not a correction.
    if switching_after_cancel:
        reason = record_text(
            _lazy("原报考岗位%(old)s已取消招聘，改报岗位：%(position)s"),
            old=f"{application.position.code} {application.position.name}",
            position=f"{position.code} {position.name}",
        )
    elif moved:
        reason = record_text(_lazy("改报岗位：%(position)s"), position=f"{position.code} {position.name}")
    else:
        reason = ""
    position.announcement = application.announcement
    with transaction.atomic():
        snapshot, result = _snapshot_and_check(user, position)
        try:
            application = transition(
                application,
                to_stage=Stage.SUBMITTED,
                actor=user,
                from_stages=[application.stage],
                expected_version=application.version,
                reason=reason,
                position=position,
                snapshot=snapshot,
                eligibility=_in_record_language(result, position, snapshot).rules,
                eligibility_outcome=result.outcome,
                submitted_at=now,
                declaration_accepted_at=now,
                return_instructions="",
                rejection_reason=None,
                rejection_note="",
                decided_at=None,
                reviewed_by=None,
                **extra,
            )
        except StaleApplication as error:
            raise ApplicationError(str(error.args[0]))
        notify_applicant(
            application,
            "application_submitted",
            submitted_at=f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
            url=f"/me/applications/{application.pk}/",
        )
    return application


def application_switch_position(
    *, application: Application, user, position: Position, now=None
) -> Application:
    return application_resubmit(
        application=application, user=user, position=position, declaration_accepted=True, now=now
    )


# --- Positions reduced or cancelled (recruitment.signals.position_changed) ---------------


def notify_position_changed(*, position: Position, action: str, reason: str = "", **kwargs) -> int:
    """Tell every applicant with a live application for `position`; returns how many.

    `reason` is the administrator's own words for the reduction or cancellation: it is what
    the applicant reads (inbox, SMS, e-mail), never a stock phrase. `kwargs` may carry
    `old_quota` (int) for a reduction.
    """
    from django.urls import reverse

    event = "position_cancelled" if action == "cancelled" else "position_reduced"
    reason = (reason or "").strip()
    announcement = position.announcement
    applications = Application.objects.filter(
        position=position,
        stage__in=[Stage.DRAFT, Stage.SUBMITTED, Stage.RETURNED, *STAGES_AT_OR_AFTER_APPROVED],
    ).select_related("applicant", "announcement", "position")
    deadline = f"{timezone.localtime(announcement.review_deadline):%Y-%m-%d %H:%M}"
    count = 0
    for application in applications:
        context = {"reason": reason, "url": reverse("applicants:application", args=[application.pk])}
        if event == "position_cancelled":
            context.update(can_switch=bool(announcement.allow_switch_on_cancel), deadline=deadline)
        else:
            context.update(
                old_quota=kwargs.get("old_quota", position.original_quota), new_quota=position.quota
            )
        # Keyed by the position's new quota: a second reduction is a new message.
        key = f"application:{application.pk}:{event}:{position.pk}:q{position.quota}"
        notify_applicant(application, event, dedupe_key=key, **context)
        count += 1
    return count
