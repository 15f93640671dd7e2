"""Forms of the staff-account pages (accounts/staff_views.py)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import GRANTABLE_ROLES, Role
from .validators import normalize_phone, validate_mainland_mobile


def role_choices() -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(role, labels[role]) for role in GRANTABLE_ROLES]


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _clean_expiry(value):
    if value and value < timezone.localdate():
        raise forms.ValidationError(_("有效期不能早于今天。"))
    return value


class StaffCreateForm(_Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("登录账号，也用于找回密码。"))
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=role_choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("账号有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("临时账号（如考试当天的监考人员、外聘考官）填写最后可用的日期；长期账号留空。"),
    )
    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("请当面或电话告知本人，并提醒首次登录后修改。"),
    )
    reason = forms.CharField(label=_("说明"), max_length=500, required=False)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("该电子邮箱已有账号。"))
        return email

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        if not phone:
            return ""
        validate_mainland_mobile(phone)
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("该手机号码已有账号。"))
        return phone

    def clean_expires_on(self):
        return _clean_expiry(self.cleaned_data.get("expires_on"))

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email") or "", name=cleaned.get("name") or "")
            try:
                validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class RoleChangeForm(_Form):
    GRANT, REVOKE = "grant", "revoke"
    role = forms.ChoiceField(label=_("角色"), choices=role_choices)
    change = forms.ChoiceField(choices=[(GRANT, _("授予")), (REVOKE, _("撤销"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class DeactivateForm(_Form):
    reason = forms.CharField(label=_("停用原因"), max_length=500)


class ReactivateForm(_Form):
    reason = forms.CharField(label=_("启用说明"), max_length=500, required=False)


class ExpiryForm(_Form):
    expires_on = forms.DateField(
        label=_("账号有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空表示长期有效。"),
    )
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)

    def clean_expires_on(self):
        return _clean_expiry(self.cleaned_data.get("expires_on"))


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或邮箱"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("角色"), required=False, choices=lambda: [("", _("全部角色"))] + role_choices()
    )
