"""allauth's sign-up and password-reset forms, as the portal needs them (ACCOUNT_FORMS)."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.manage_email import assess_unique_email
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User
from .password_reset import PhonePasswordResetProcess
from .privacy import notice_version, retention_days
from .validators import normalize_phone, validate_mainland_mobile


class SignupForm(AllauthSignupForm):
    """Phone, e-mail, password, and consent to the personal-information notice.

    A taken e-mail gets the same answer as a new one (allauth does so for a taken phone):
    no account is created, the owner is told by SMS/e-mail, and the page cannot be used to
    test whether a person has registered.
    """

    privacy_consent = forms.BooleanField(
        label=_(
            "我已阅读并同意《个人信息处理告知书》，同意平台按告知书处理我的个人信息（含身份证号码等敏感个人信息）"
        ),
        error_messages={"required": _("请阅读《个人信息处理告知书》并勾选同意后再注册。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("电子邮箱")
        self.fields["email"].widget.attrs["placeholder"] = _("用于接收通知，例如 name@example.cn")
        self.fields["password1"].label = _("密码")
        self.fields["password2"].label = _("确认密码")
        self.privacy_notice_version = notice_version()
        self.retention_days = retention_days()
        # The consent comes last, right above the button.
        self.order_fields([name for name in self.fields if name != "privacy_consent"] + ["privacy_consent"])

    def validate_unique_email(self, value: str) -> str:
        if assess_unique_email(value) is not True:
            self.account_already_exists = True
            self.email_taken = True
            return value
        return super().validate_unique_email(value)

    def try_save(self, request):
        # allauth tells the owner of a taken address only after the phone code is entered,
        # which never comes for an account that is not created: tell them now.
        if self.account_already_exists and getattr(self, "email_taken", False):
            get_adapter(request).send_account_already_exists_mail(self.cleaned_data["email"])
        return super().try_save(request)


class ResetPasswordForm(AllauthResetPasswordForm):
    """One box for the phone number or the e-mail address the account uses. A phone gets
    the code by SMS (accounts.password_reset), an e-mail by e-mail (allauth). The field
    keeps allauth's name `email` so allauth's view and rate limit key work unchanged."""

    email = forms.CharField(
        label=_("手机号码或电子邮箱"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"placeholder": _("注册时填写的手机号码或电子邮箱"), "autocomplete": "username"}
        ),
    )

    def clean_email(self) -> str:
        value = (self.cleaned_data.get("email") or "").strip()
        self.phone = None
        if "@" in value:
            forms.EmailField().clean(value)
            return super().clean_email()
        phone = normalize_phone(value)
        try:
            validate_mainland_mobile(phone)
        except ValidationError as error:
            raise ValidationError(_("请输入注册时填写的11位手机号码或电子邮箱。"), code="invalid") from error
        self.phone = phone
        self.users = list(User.objects.filter(phone=phone, is_active=True))
        return phone

    def save(self, request, **kwargs) -> str:
        if self.phone:
            user = self.users[0] if self.users else None
            PhonePasswordResetProcess.initiate_by_phone(request=request, user=user, phone=self.phone)
            return self.phone
        return super().save(request, **kwargs)
