"""The personal-information notice (个人信息处理告知书) under the PIPL (《个人信息保护法》
articles 14, 17, 29: informed, separate consent for sensitive personal information such as
the ID number), its version, and how long applicants' data is kept.

The notice's words are in templates/account/snippets/privacy_notice_body.html; the
numbers in it come from here, so the page and the retention task (applicants.retention)
cannot disagree."""

from django.conf import settings


def notice_version() -> str:
    """The version string of the notice in force (settings.PRIVACY_NOTICE_VERSION)."""
    return settings.PRIVACY_NOTICE_VERSION


def retention_days() -> int:
    """Days after the end of an applicant's last announcement before the personal data of
    someone never hired is deleted (settings.PERSONAL_DATA_RETENTION_DAYS, ≥ 1)."""
    return max(1, int(settings.PERSONAL_DATA_RETENTION_DAYS))
