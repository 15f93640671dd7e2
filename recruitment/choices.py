"""Vocabularies shared by positions' rules and applicants' profiles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Education(models.IntegerChoices):
    """Ordered: a higher value satisfies a lower minimum."""

    HIGH_SCHOOL = 10, _("高中/中专")
    JUNIOR_COLLEGE = 20, _("大专")
    BACHELOR = 30, _("本科")
    MASTER = 40, _("硕士研究生")
    DOCTOR = 50, _("博士研究生")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("中共党员")
    PROBATIONARY_MEMBER = "probationary_member", _("中共预备党员")
    LEAGUE_MEMBER = "league_member", _("共青团员")
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
    MASSES = "masses", _("群众")


class PoliticalRequirement(models.TextChoices):
    """What a position asks of political status (blank: no requirement)."""

    ANY = "", _("不限")
    PARTY_MEMBER = "party_member", _("中共党员（含预备党员）")


PARTY_STATUSES = {PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY_MEMBER}


class PassLineMode(models.TextChoices):
    FIXED = "fixed", _("固定分数线")
    RELATIVE = "relative", _("按参考人员平均分的比例")
    MANUAL = (
        "manual",
        _("考后划定"),
    )  # the line typed in after the exam (exams.PositionPassLine or written_pass_line)
    NONE = "none", _("不设合格线")


class BonusMode(models.TextChoices):
    HIGHEST = "highest", _("只计最高一项")
    SUM_CAPPED = "sum_capped", _("累加，不超过上限")
    SUM = "sum", _("累加，不设上限")
    NONE = "none", _("不计加分")


class TieBreaker(models.TextChoices):
    WRITTEN = "written", _("笔试成绩高者优先")
    INTERVIEW = "interview", _("面试成绩高者优先")
    EDUCATION = "education", _("学历高者优先")
    YOUNGER = "younger", _("年龄小者优先")


DEFAULT_TIE_BREAKERS = [TieBreaker.WRITTEN, TieBreaker.INTERVIEW, TieBreaker.EDUCATION, TieBreaker.YOUNGER]
