"""Password reset by a code sent by SMS, on allauth's own code flow.

allauth 65 resets a password by code for e-mail only (PasswordResetVerificationProcess);
its confirm-code and new-password views resume the process from the session and read only
`state["email"]` (shown as "sent to …"), `state["code"]` and `state["user_id"]`. Sending is
the one step that differs, so a phone reset starts the same process with the phone number
in that slot and sends the code by SMS instead of e-mail. The views, attempt limits
(ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS) and timeout are allauth's.
"""

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.password_reset_by_code import PasswordResetVerificationProcess
from django.utils.translation import gettext as _

from notifications.sms import send_sms


class PhonePasswordResetProcess(PasswordResetVerificationProcess):
    def send(self) -> None:
        phone = self.state["email"]  # allauth's slot for "where the code went"
        if not self.user:
            # Same page and same wait as for a registered number: nobody can probe who has
            # an account; the number's owner learns that it has none.
            get_adapter(self.request).send_unknown_account_sms(phone)
            return
        code = get_adapter(self.request).generate_password_reset_code()
        self.state["code"] = code
        send_sms(
            phone,
            _("【社区工作者招聘】您正在找回密码，验证码 %(code)s，10分钟内有效。如非本人操作，请忽略。")
            % {"code": code},
        )

    @classmethod
    def initiate_by_phone(cls, *, request, user, phone: str) -> "PhonePasswordResetProcess":
        """Start a reset for `phone` (11 ASCII digits); `user` is its account or None."""
        state = cls.initial_state(user, email=phone)
        state["channel"] = "sms"
        process = cls(request, state=state, user=user)
        process.send()
        process.persist()
        return process
