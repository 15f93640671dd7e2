"""Proper Chinese for allauth's own strings (issue 13, kind 14).

allauth ships zh-hans translations that read machine-made ("代码" for a code, "请求新代码",
"账户", "登出"). The project catalogue (locale/, read before any app's) translates the
msgids below instead; listing them here keeps them in that catalogue when
`scripts/messages.sh` regenerates it. ZH is the Chinese each one gets in
locale/zh_Hans (scripts: `python -m accounts.allauth_wording` writes it after
messages.sh; tests/accounts/test_wording.py checks that the catalogue says it).
Only account pages the portal uses are covered (no social, MFA or passkey pages).
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

ZH = {
    _("This account is currently inactive."): "该账号目前已停用。",
    _("You cannot remove your primary email address."): "不能删除主电子邮箱。",
    _("This email address is already associated with this account."): "该电子邮箱已绑定本账号。",
    _("The email address and/or password you specified are not correct."): "电子邮箱或密码不正确。",
    _("The phone number and/or password you specified are not correct."): "手机号码或密码不正确。",
    _("A user is already registered with this email address."): "该电子邮箱无法使用，请换一个电子邮箱。",
    _("Please type your current password."): "请输入当前密码。",
    _("Incorrect code."): "验证码不正确。",
    _("Incorrect password."): "密码不正确。",
    _("Invalid or expired key."): "链接无效或已过期。",
    _("Invalid login."): "账号或密码不正确。",
    _("The password reset token was invalid."): "重置密码的链接无效。",
    _("You cannot add more than %d email addresses."): "最多只能绑定 %d 个电子邮箱。",
    _("A user is already registered with this phone number."): "该手机号码无法使用，请换一个号码。",
    _("Too many failed login attempts. Try again later."): "登录失败次数过多，请稍后再试。",
    _("The email address is not assigned to any user account."): "未找到使用该电子邮箱的账号。",
    _("The phone number is not assigned to any user account."): "未找到使用该手机号码的账号。",
    _("Your primary email address must be verified."): "主电子邮箱须先完成验证。",
    _("Please select only one."): "只能选择一项。",
    _("The new value must be different from the current one."): "新填写的内容须与当前内容不同。",
    _("Be patient, you are sending too many requests."): "操作过于频繁，请稍后再试。",
    _("Use your password"): "使用密码登录",
    _("Marked {email} as verified."): "已将 {email} 标记为已验证。",
    _("Failed to mark {email} as verified."): "未能将 {email} 标记为已验证。",
    _("Mark selected email addresses as verified"): "将所选电子邮箱标记为已验证",
    _("Accounts"): "账号",
    _("Email"): "电子邮箱",
    _("Email address"): "电子邮箱",
    _(
        "Enter a phone number including country code (e.g. +1 for the US)."
    ): "请输入11位中国大陆手机号码，例如 13800138000。",
    _("Phone"): "手机号码",
    _("You must type the same password each time."): "两次输入的密码不一致。",
    _("Password"): "密码",
    _("Remember Me"): "下次自动登录",
    _("Email or phone"): "手机号码或电子邮箱",
    _("Forgot your password?"): "忘记密码？",
    _("Email (again)"): "确认电子邮箱",
    _("Email address confirmation"): "确认电子邮箱",
    _("Email (optional)"): "电子邮箱（选填）",
    _("You must type the same email each time."): "两次输入的电子邮箱不一致。",
    _("Password (again)"): "确认密码",
    _("Current Password"): "当前密码",
    _("New Password"): "新密码",
    _("New Password (again)"): "确认新密码",
    _("Code"): "验证码",
    _("user"): "用户",
    _("email address"): "电子邮箱",
    _("verified"): "已验证",
    _("primary"): "主邮箱",
    _("email addresses"): "电子邮箱",
    _("created"): "创建时间",
    _("sent"): "发送时间",
    _("key"): "验证密钥",
    _("email confirmation"): "电子邮箱验证",
    _("email confirmations"): "电子邮箱验证",
    _("Cancel"): "取消",
    _("Account Inactive"): "账号已停用",
    _("This account is inactive."): "该账号已停用。",
    _(
        "We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon."
    ): "验证码已发送至 %(recipient)s，有效时间较短，请尽快填写。",
    _("Confirm"): "确定",
    _("Request new code"): "重新获取验证码",
    _("Confirm Access"): "确认身份",
    _("Please reauthenticate to safeguard your account."): "为保护账号安全，请再次验证身份。",
    _("Alternative options"): "其他方式",
    _("Email Verification"): "验证电子邮箱",
    _("Enter Email Verification Code"): "填写邮件验证码",
    _("Use a different email address"): "改用其他电子邮箱",
    _("Sign In"): "登录",
    _("Enter Sign-In Code"): "填写登录验证码",
    _("Password Reset"): "找回密码",
    _("Enter Password Reset Code"): "填写找回密码验证码",
    _("Phone Verification"): "验证手机号码",
    _("Enter Phone Verification Code"): "填写短信验证码",
    _("Use a different phone number"): "改用其他手机号码",
    _("Email Addresses"): "电子邮箱",
    _("The following email addresses are associated with your account:"): "本账号绑定的电子邮箱：",
    _("Verified"): "已验证",
    _("Unverified"): "未验证",
    _("Primary"): "主邮箱",
    _("Make Primary"): "设为主邮箱",
    _("Re-send Verification"): "重新发送验证邮件",
    _("Remove"): "删除",
    _("Add Email Address"): "添加电子邮箱",
    _("Add Email"): "添加电子邮箱",
    _("Do you really want to remove the selected email address?"): "确定删除所选电子邮箱吗？",
    _(
        "You are receiving this email because you or someone else tried to signup for an\naccount using email address:\n\n%(email)s\n\nHowever, an account using that email address already exists.  In case you have\nforgotten about this, please use the password forgotten procedure to recover\nyour account:\n\n%(password_reset_url)s"
    ): "有人（可能是您本人）使用以下电子邮箱注册账号：\n\n%(email)s\n\n该电子邮箱已有账号。如果忘记了密码，请通过以下地址找回密码：\n\n%(password_reset_url)s",
    _("Account Already Exists"): "账号已存在",
    _("Hello from %(site_name)s!"): "您好！",
    _("Thank you for using %(site_name)s!\n%(site_domain)s"): "%(site_name)s\n%(site_domain)s",
    _(
        "You are receiving this mail because the following change was made to your account:"
    ): "您的账号发生了以下变更：",
    _(
        "If you do not recognize this change then please take proper security precautions immediately. The change to your account originates from:\n\n- IP address: %(ip)s\n- Browser: %(user_agent)s\n- Date: %(timestamp)s"
    ): "如果这不是您本人的操作，请立即修改密码。本次变更来自：\n\n- IP 地址：%(ip)s\n- 浏览器：%(user_agent)s\n- 时间：%(timestamp)s",
    _(
        "Your email has been changed from %(from_email)s to %(to_email)s."
    ): "您的电子邮箱已由 %(from_email)s 更换为 %(to_email)s。",
    _("Email Changed"): "电子邮箱已更换",
    _("Your email has been confirmed."): "电子邮箱已验证。",
    _("Email Confirmation"): "验证电子邮箱",
    _(
        "You're receiving this email because user %(user_display)s has given your email address to register an account on %(site_domain)s."
    ): "用户 %(user_display)s 在 %(site_domain)s 注册账号时填写了此电子邮箱。",
    _(
        "Your email verification code is listed below. Please enter it in your open browser window."
    ): "您的邮件验证码如下，请在已打开的网页中填写。",
    _(
        "To confirm this is correct, go to %(activate_url)s"
    ): "如确为您本人注册，请打开以下地址完成验证：%(activate_url)s",
    _("Please Confirm Your Email Address"): "请验证电子邮箱",
    _(
        "Email address %(deleted_email)s has been removed from your account."
    ): "电子邮箱 %(deleted_email)s 已从您的账号中删除。",
    _("Email Removed"): "电子邮箱已删除",
    _(
        "Your sign-in code is listed below. Please enter it in your open browser window."
    ): "您的登录验证码如下，请在已打开的网页中填写。",
    _("This mail can be safely ignored if you did not initiate this action."): "如非本人操作，请忽略本邮件。",
    _("Sign-In Code"): "登录验证码",
    _("Your password has been changed."): "您的密码已修改。",
    _("Password Changed"): "密码已修改",
    _(
        "Your password reset code is listed below. Please enter it in your open browser window."
    ): "您找回密码的验证码如下，请在已打开的网页中填写。",
    _("Password Reset Code"): "找回密码验证码",
    _(
        "You're receiving this email because you or someone else has requested a password reset for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password."
    ): "有人（可能是您本人）申请重置您账号的密码。\n如非本人操作，请忽略本邮件；如需重置，请打开以下链接。",
    _("Password Reset Email"): "找回密码邮件",
    _("Your password has been reset."): "您的密码已重置。",
    _("Your password has been set."): "您的密码已设置。",
    _("Password Set"): "密码已设置",
    _(
        "You are receiving this email because you, or someone else, tried to access an account with email %(email)s. However, we do not have any record of such an account in our database."
    ): "有人（可能是您本人）尝试使用电子邮箱 %(email)s 登录或找回密码，但本平台没有使用该电子邮箱的账号。",
    _(
        "If it was you, you can sign up for an account using the link below."
    ): "如果是您本人，可以通过以下链接注册账号。",
    _("Unknown Account"): "账号不存在",
    _("Email Address"): "电子邮箱",
    _("Current email"): "当前电子邮箱",
    _("Changing to"): "更换为",
    _("Your email address is still pending verification."): "您的电子邮箱尚未验证。",
    _("Cancel Change"): "取消更换",
    _("Change to"): "更换为",
    _("Change Email"): "更换电子邮箱",
    _("Confirm Email Address"): "验证电子邮箱",
    _(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ): '请确认 <a href="mailto:%(email)s">%(email)s</a> 是用户 %(user_display)s 的电子邮箱。',
    _(
        "Unable to confirm %(email)s because it is already confirmed by a different account."
    ): "无法验证 %(email)s，该电子邮箱已由其他账号验证。",
    _(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.'
    ): '验证链接无效或已过期，请<a href="%(email_url)s">重新发送验证邮件</a>。',
    _(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ): "还没有账号？请先%(link)s注册%(end_link)s。",
    _("Send me a sign-in code"): "发送登录验证码",
    _("Sign Out"): "退出登录",
    _("Are you sure you want to sign out?"): "确定退出登录吗？",
    _("You cannot remove your primary email address (%(email)s)."): "不能删除主电子邮箱（%(email)s）。",
    _("Confirmation email sent to %(email)s."): "验证邮件已发送至 %(email)s。",
    _("You have confirmed %(email)s."): "电子邮箱 %(email)s 已验证。",
    _("Removed email address %(email)s."): "已删除电子邮箱 %(email)s。",
    _("Successfully signed in as %(name)s."): "已登录：%(name)s。",
    _("You have signed out."): "您已退出登录。",
    _("A sign-in code has been sent to %(recipient)s."): "登录验证码已发送至 %(recipient)s。",
    _("Password successfully changed."): "密码已修改。",
    _("Password successfully set."): "密码已设置。",
    _("A verification code has been sent to %(phone)s."): "验证码已发送至 %(phone)s。",
    _("You have verified phone number %(phone)s."): "手机号码 %(phone)s 已验证。",
    _("Primary email address set."): "已设置主电子邮箱。",
    _("Change Password"): "修改密码",
    _("Forgot Password?"): "忘记密码？",
    _(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ): "请填写注册时使用的手机号码或电子邮箱，我们将发送验证码，验证后即可设置新密码。",
    _("Reset My Password"): "获取验证码",
    _(
        "Please contact us if you have any trouble resetting your password."
    ): "找回密码遇到问题，请联系招聘工作人员。",
    _(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes."
    ): "邮件已发送。如未收到，请查看垃圾邮件；几分钟后仍未收到，请联系招聘工作人员。",
    _("Bad Token"): "链接无效",
    _(
        'The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ): '重置密码的链接无效，可能已经使用过。请<a href="%(passwd_reset_url)s">重新找回密码</a>。',
    _("Your password is now changed."): "密码已修改。",
    _("Set Password"): "设置密码",
    _("Change Phone"): "更换手机号码",
    _("Current phone"): "当前手机号码",
    _("Your phone number is still pending verification."): "您的手机号码尚未验证。",
    _("Enter your password:"): "请输入密码：",
    _(
        "You will receive a special code for a password-free sign-in."
    ): "您将收到一个验证码，无需密码即可登录。",
    _("Request Code"): "获取验证码",
    _("Other sign-in options"): "其他登录方式",
    _("Signup"): "注册",
    _("Sign Up"): "注册",
    _(
        "Already have an account? Then please %(link)ssign in%(end_link)s."
    ): "已有账号？请%(link)s登录%(end_link)s。",
    _("Other options"): "其他方式",
    _("Sign Up Closed"): "暂停注册",
    _("We are sorry, but the sign up is currently closed."): "注册功能暂时关闭。",
    _("Note"): "提示",
    _("You are already logged in as %(user_display)s."): "您已登录：%(user_display)s。",
    _("Warning:"): "注意：",
    _(
        "You currently do not have any email address set up. You should really add an email address so you can receive notifications, reset your password, etc."
    ): "您尚未绑定电子邮箱。建议绑定，以便接收通知、找回密码。",
    _("Verify Your Email Address"): "验证电子邮箱",
    _(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes."
    ): "验证邮件已发送，请打开邮件中的链接完成验证。如未收到，请查看垃圾邮件；几分钟后仍未收到，请联系招聘工作人员。",
    _(
        "This part of the site requires us to verify that\nyou are who you claim to be. For this purpose, we require that you\nverify ownership of your email address. "
    ): "使用此功能前，需要验证您是该电子邮箱的所有人。",
    _(
        "We have sent an email to you for\nverification. Please click on the link inside that email. If you do not see the verification email in your main inbox, check your spam folder. Otherwise\ncontact us if you do not receive it within a few minutes."
    ): "验证邮件已发送，请打开邮件中的链接。如未收到，请查看垃圾邮件；几分钟后仍未收到，请联系招聘工作人员。",
    _(
        '<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'
    ): '<strong>提示：</strong>您仍可<a href="%(email_url)s">更换电子邮箱</a>。',
    _("Messages:"): "消息：",
    _("Menu:"): "菜单：",
    _("Account Connections"): "账号关联",
    _("Sessions"): "登录设备",
}

# Django's password rules shown under the password field address the reader as 你: the
# portal writes 您 (django.contrib.auth's msgids; AUTH_PASSWORD_VALIDATORS).
ZH.update(
    {
        _(
            "Your password can’t be too similar to your other personal information."
        ): "密码不能与您的其他个人信息过于相似。",
        _("Your password can’t be a commonly used password."): "密码不能是常用密码。",
        _("Your password can’t be entirely numeric."): "密码不能全是数字。",
        _("This password is too common."): "该密码过于常用，请换一个。",
        _("This password is entirely numeric."): "密码不能全是数字。",
        _("The password is too similar to the %(verbose_name)s."): "密码与%(verbose_name)s过于相似。",
    }
)
# (singular, plural): Chinese (one form).
PLURAL = {
    (
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ): "密码至少须包含 %(min_length)d 个字符。",
    (
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
    ): "密码太短，至少须包含 %(min_length)d 个字符。",
}
_MARKED_PLURAL = (
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        "min_length",
    ),
)

# (context, msgid): Chinese. pgettext_lazy marks them for makemessages.
CONTEXTUAL = {
    ("field label", "Login"): "手机号码或电子邮箱",
    ("action", "Change Phone"): "更换手机号码",
}
_MARKED = (
    pgettext_lazy("field label", "Login"),
    pgettext_lazy("action", "Change Phone"),
)


# English wording where the portal differs from allauth's (the rest repeat the msgid).
EN = {
    "A user is already registered with this email address.": "This e-mail address cannot be used; please use another one.",
    "A user is already registered with this phone number.": "This phone number cannot be used; please use another one.",
    "Enter a phone number including country code (e.g. +1 for the US).": "Enter an 11-digit mainland China mobile number, e.g. 13800138000.",
    "Email or phone": "Phone or e-mail",
    "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it.": "Enter the phone number or e-mail address you signed up with; we will send you a code to set a new password.",
    "Reset My Password": "Send code",
    "Hello from %(site_name)s!": "Hello,",
    "Thank you for using %(site_name)s!\n%(site_domain)s": "%(site_name)s\n%(site_domain)s",
    "Remember Me": "Keep me signed in",
    "Successfully signed in as %(name)s.": "Signed in: %(name)s.",
}
EN_CONTEXTUAL = {("field label", "Login"): "Phone or e-mail"}


def write_catalogues(base_dir) -> tuple[int, int]:
    """Set the zh_Hans and en msgstr of every msgid above in the project catalogues under
    `base_dir`/locale (after scripts/messages.sh). Returns (zh entries, en entries) set."""
    from pathlib import Path

    import polib

    counts = []
    for language, table, contextual, same in (
        ("zh_Hans", ZH, CONTEXTUAL, False),
        ("en", EN, EN_CONTEXTUAL, True),
    ):
        path = Path(base_dir) / "locale" / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        count = 0
        for entry in catalogue:
            key = (entry.msgctxt, entry.msgid)
            if entry.msgid_plural and (entry.msgid, entry.msgid_plural) in PLURAL:
                if same:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr_plural = {0: PLURAL[(entry.msgid, entry.msgid_plural)]}
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
                count += 1
                continue
            if entry.msgctxt and key in CONTEXTUAL:
                value = contextual.get(key) or (entry.msgid if same else None)
            elif not entry.msgctxt and entry.msgid in ZH:
                value = table.get(entry.msgid) or (entry.msgid if same else None)
            else:
                continue
            if value:
                entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                count += 1
        catalogue.save()
        counts.append(count)
    return counts[0], counts[1]


if __name__ == "__main__":
    from django.conf import settings

    print(write_catalogues(settings.BASE_DIR))
