"""allauth adapter: mainland mobile numbers as the phone login, SMS through our backend,
e-mail in the portal's name, the privacy consent stored at sign-up."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.sms import send_sms

from .models import User
from .roles import Role
from .validators import normalize_phone, validate_mainland_mobile


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mail templates call `current_site`: the portal's name and public
    host (SITE_URL), never the host:port a request happened to use."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    host = urlsplit(getattr(settings, "SITE_URL", "") or "").netloc
    return PortalSite(name=_("社区工作者招聘平台"), domain=host)


def user_display(user) -> str:
    """How allauth names a person on its pages and messages ("已登录：…"): the real name,
    else the phone number the person signed up with, else the e-mail address."""
    return getattr(user, "name", "") or getattr(user, "phone", "") or getattr(user, "email", "") or ""


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Staff land on their workbench directly (the home page would redirect them there:
        one round trip saved on every staff sign-in); a `next` parameter still wins, since
        allauth only asks the adapter when there is none."""
        from django.urls import reverse

        from .roles import STAFF_ROLES

        user = request.user
        if user.is_authenticated and user.has_role(*STAFF_ROLES):
            return reverse("workbench")
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject: str) -> str:
        return f"【{portal_site().name}】{subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {"current_site": portal_site(), **context})

    def phone_form_field(self, **kwargs):
        kwargs["validators"] = [validate_mainland_mobile]
        kwargs["label"] = gettext_lazy("手机号码")
        field = PhoneField(**kwargs)
        field.widget.attrs.update({"placeholder": "13800138000", "inputmode": "numeric"})
        return field

    def clean_phone(self, phone: str) -> str:
        phone = normalize_phone(phone)
        validate_mainland_mobile(phone)
        return phone

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = normalize_phone(phone)
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone: str) -> None:
        """The code sent to `phone` was entered: the number is the user's, verified. Also the
        last step of changing one's number (allauth checks first that no other account has
        it; the unique index holds against a race)."""
        phone = normalize_phone(phone)
        User.objects.filter(pk=user.pk).update(phone=phone, phone_verified=True)
        user.phone, user.phone_verified = phone, True

    def get_user_by_phone(self, phone: str):
        return User.objects.filter(phone=normalize_phone(phone)).first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        """A code proves the number is the user's. A number that is another account's (someone
        trying to move it to their account) gets no code, only the note that it is registered:
        the page asking answered as for any number."""
        owner = User.objects.filter(phone=normalize_phone(phone)).exclude(pk=getattr(user, "pk", None))
        if owner.exists():
            self.send_account_already_exists_sms(phone)
            return
        send_sms(
            phone, _("【社区工作者招聘】您的验证码是 %(code)s，10分钟内有效。请勿告诉他人。") % {"code": code}
        )

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        send_sms(phone, _("【社区工作者招聘】该手机号尚未注册账号。"))

    def send_account_already_exists_sms(self, phone: str) -> None:
        """A sign-up that created nothing: the phone or the e-mail has an account. The page
        answered as for a new account; this SMS goes to the number typed. Its owner is told
        to sign in; anyone else is not told which of the two was taken (the e-mail's owner
        gets allauth's "account already exists" e-mail)."""
        if User.objects.filter(phone=normalize_phone(phone)).exists():
            send_sms(phone, _("【社区工作者招聘】该手机号已注册账号，请直接登录或找回密码。"))
        else:
            send_sms(
                phone,
                _(
                    "【社区工作者招聘】注册未完成。如您已有账号，请直接登录或找回密码；如没有，请核对填写的电子邮箱后重新注册。"
                ),
            )

    def save_user(self, request, user, form, commit=True):
        """Everyone who signs up through the public form is an applicant, and has agreed
        to the personal-information notice of the version the form showed."""
        version = getattr(form, "privacy_notice_version", "")
        if version and form.cleaned_data.get("privacy_consent"):
            user.privacy_notice_version = version
            user.privacy_consented_at = timezone.now()
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from django.contrib.auth.models import Group

            user.groups.add(Group.objects.get(name=Role.APPLICANT))
        return user


def axes_username(request, credentials):
    """The identity axes counts failed logins against: the account, whichever identifier
    was typed. allauth authenticates with `email` or `phone`; both resolve to the same
    `account:<id>`, so 5 failures by e-mail and 4 by phone are 9 failures of one account
    (locked after AXES_FAILURE_LIMIT), and a success clears them all. An identifier that
    matches no account is counted as typed (normalised: '138 0013 8000', '+86 13800138000'
    and '１３８００１３８０００' are one key), so unknown accounts lock the same way."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("phone")
        or credentials.get("username")
        or (request.POST.get("login") if request is not None and hasattr(request, "POST") else "")
        or ""
    ).strip()
    if not value:
        return None
    if "@" in value:
        identifier = value.lower()
        user_id = User.objects.filter(email__iexact=identifier).values_list("pk", flat=True).first()
    else:
        identifier = normalize_phone(value)
        user_id = User.objects.filter(phone=identifier).values_list("pk", flat=True).first()
    return f"account:{user_id}" if user_id else identifier
