"""Declarations of an applicant (放弃面试, and for hiring 放弃录用 …): the applicant's own
declaration in the portal confirmed by a one-time SMS code, or a paper declaration the
applicant signed, uploaded by staff. Reusable: the caller names the purpose and the words
declared, then acts on the confirmed declaration in the same transaction.

    declaration = declarations.start(application=a, actor=user, purpose="hire_decline", text=…)
    # the applicant types the code they received (outside a transaction):
    declarations.confirm(declaration=declaration, actor=user, code=typed, then=the_state_change)
    # staff upload a signed paper instead (inside the caller's transaction):
    declarations.record_signed(application=a, actor=staff, purpose=…, text=…, reason=…, upload=f)

Codes: 6 digits, valid CODE_TTL (10 minutes), at most MAX_ATTEMPTS wrong tries, a new code
at most every RESEND_AFTER and MAX_SENDS per declaration; only an HMAC of the code is
stored (django.utils.crypto.salted_hmac with the declaration's id), compared in constant
time. The SMS goes out after commit through notifications.sms (the pluggable backend), never
through the inbox: a code is not kept in any message table.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from notifications.sms import send_sms
from portal import audit

from .models_shortlist import Declaration

CODE_TTL = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
MAX_ATTEMPTS = 5
MAX_SENDS = 5
_SALT = "exams.declarations.code"


def _hash(declaration: Declaration, code: str) -> str:
    return salted_hmac(_SALT, f"{declaration.pk}:{code}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _send(declaration: Declaration, code: str) -> None:
    phone = declaration.phone
    text = _(
        "【社区工作者招聘】您正在确认：%(what)s。验证码 %(code)s，10分钟内有效。如非本人操作，请勿告诉他人。"
    ) % {
        "what": declaration.text[:40],
        "code": code,
    }
    transaction.on_commit(lambda: send_sms(phone, text))


def pending(application, purpose: str) -> Declaration | None:
    return (
        Declaration.objects.filter(
            application=application, purpose=purpose, status=Declaration.Status.PENDING, method="sms"
        )
        .order_by("-pk")
        .first()
    )


def start(*, application, actor, purpose: str, text: str, reason: str = "", now=None) -> Declaration:
    """The applicant starts a declaration: a code is sent to their phone. A pending one of
    the same purpose gets a new code instead (not sooner than RESEND_AFTER, at most MAX_SENDS).
    Raises PermissionDenied (not the applicant; already confirmed), ValidationError (no phone;
    too soon; too many codes)."""
    now = now or timezone.now()
    if application.applicant_id != actor.pk:
        raise PermissionDenied
    phone = (getattr(actor, "phone", "") or "").strip()
    if not phone:
        raise ValidationError(_("您的账号没有绑定手机号，无法发送验证码，请联系招聘单位办理书面声明。"))
    with transaction.atomic():
        if Declaration.objects.filter(
            application=application, purpose=purpose, status=Declaration.Status.CONFIRMED
        ).exists():
            raise PermissionDenied(_("该声明已确认，无需重复办理。"))
        declaration = (
            Declaration.objects.select_for_update()
            .filter(application=application, purpose=purpose, status=Declaration.Status.PENDING, method="sms")
            .order_by("-pk")
            .first()
        )
        if declaration is not None:
            if declaration.code_sent_at and now - declaration.code_sent_at < RESEND_AFTER:
                raise ValidationError(
                    _("验证码已发送，请%(n)s秒后再重新获取。") % {"n": int(RESEND_AFTER.total_seconds())}
                )
            if declaration.sends >= MAX_SENDS:
                raise ValidationError(_("获取验证码次数过多，请联系招聘单位办理书面声明。"))
        else:
            declaration = Declaration.objects.create(
                application=application,
                purpose=purpose,
                method=Declaration.Method.SMS,
                text=text,
                reason=(reason or "").strip(),
                phone=phone,
                created_by=actor,
            )
            audit.record(actor, declaration, audit.ADDITION, note=text)
        code = _new_code()
        declaration.code_hash = _hash(declaration, code)
        declaration.code_sent_at = now
        declaration.code_expires_at = now + CODE_TTL
        declaration.attempts = 0
        declaration.sends += 1
        declaration.phone = phone
        if reason:
            declaration.reason = reason.strip()
        declaration.save(
            update_fields=[
                "code_hash",
                "code_sent_at",
                "code_expires_at",
                "attempts",
                "sends",
                "phone",
                "reason",
            ]
        )
        _send(declaration, code)
    return declaration


def confirm(*, declaration: Declaration, actor, code: str, then=None, now=None):
    """The applicant types the code. Right and in time: the declaration is confirmed and
    `then(declaration)` (the caller's state change) runs in the same transaction; its result
    is returned. Call it outside any transaction: a wrong try is counted and committed before
    ValidationError({"code": …}) is raised, so a rolled-back caller cannot reset the count.
    Raises ValidationError({"code": …}) for a wrong, expired or used-up code, PermissionDenied
    (not the applicant's; no longer pending)."""
    now = now or timezone.now()
    code = (code or "").strip()
    wrong_left = None
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().select_related("application").get(pk=declaration.pk)
        if locked.application.applicant_id != actor.pk:
            raise PermissionDenied
        if locked.status != Declaration.Status.PENDING or locked.method != Declaration.Method.SMS:
            raise PermissionDenied(_("该声明已办结。"))
        if locked.attempts >= MAX_ATTEMPTS:
            raise ValidationError({"code": _("验证码错误次数过多，请重新获取验证码。")})
        if not locked.code_expires_at or now > locked.code_expires_at:
            raise ValidationError({"code": _("验证码已过期，请重新获取。")})
        if not (code.isdigit() and constant_time_compare(locked.code_hash, _hash(locked, code))):
            Declaration.objects.filter(pk=locked.pk).update(attempts=locked.attempts + 1)
            wrong_left = MAX_ATTEMPTS - locked.attempts - 1
        else:
            locked.status = Declaration.Status.CONFIRMED
            locked.confirmed_at = now
            locked.code_hash = ""
            locked.save(update_fields=["status", "confirmed_at", "code_hash"])
            audit.record(actor, locked, audit.CHANGE, fields=["status"], note=locked.text)
            declaration.status, declaration.confirmed_at = locked.status, locked.confirmed_at
            return then(locked) if then is not None else locked
    if wrong_left > 0:
        raise ValidationError({"code": _("验证码不正确，还可以再试%(n)s次。") % {"n": wrong_left}})
    raise ValidationError({"code": _("验证码错误次数过多，请重新获取验证码。")})


def record_signed(
    *, application, actor, purpose: str, text: str, reason: str, upload, now=None
) -> Declaration:
    """Staff upload the paper declaration the applicant signed: confirmed at once. The file
    is checked by its content (PDF, JPEG or PNG; applicants.uploads.check_document). Any
    pending SMS declaration of the purpose is cancelled. Call inside transaction.atomic().
    Raises ValidationError({"file"|"reason": …}), PermissionDenied (already confirmed)."""
    from applicants.uploads import check_document

    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因或说明。")})
    if upload is None:
        raise ValidationError({"file": _("请上传本人签字的书面声明。")})
    try:
        checked = check_document(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages})
    if Declaration.objects.filter(
        application=application, purpose=purpose, status=Declaration.Status.CONFIRMED
    ).exists():
        raise PermissionDenied(_("该声明已确认，无需重复办理。"))
    Declaration.objects.filter(
        application=application, purpose=purpose, status=Declaration.Status.PENDING
    ).update(status=Declaration.Status.CANCELLED, code_hash="")
    declaration = Declaration(
        application=application,
        purpose=purpose,
        method=Declaration.Method.SIGNED,
        status=Declaration.Status.CONFIRMED,
        text=text,
        reason=reason,
        created_by=actor,
        confirmed_at=now,
    )
    declaration.file.save(checked.content.name, checked.content, save=False)
    declaration.save()
    audit.record(actor, declaration, audit.ADDITION, note=reason)
    return declaration
