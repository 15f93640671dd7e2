"""The automatic eligibility check (自动资格初审): pure functions, no database access.

`check(data, position, reference_date)` reads a profile as the dict of
applicants.snapshot.build_snapshot (the same dict stored in Application.snapshot) and a
recruitment.Position, and explains every rule: passed, failed, or for a human (manual).
A failed rule blocks the submission; a manual one goes to the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from recruitment.age_rules import BirthRange, birth_range, earliest_birth_date
from recruitment.choices import PARTY_STATUSES, Education, PoliticalRequirement

PASSED = "passed"
FAILED = "failed"
MANUAL = "manual"

RULE_AGE = "age"
RULE_EDUCATION = "education"
RULE_MAJOR = "major"
RULE_HOUSEHOLD = "household"
RULE_POLITICAL = "political"
RULE_EXPERIENCE = "experience"
RULE_OTHER = "other"


@dataclass
class Result:
    outcome: str
    rules: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[dict]:
        return [rule for rule in self.rules if rule["outcome"] == FAILED]


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def age_on(birth: date, on: date) -> int:
    """Full years on a day, counting the birthday itself: born 1990-11-24 → 35 on
    2026-11-23, 36 on 2026-11-24. Ranking and statistics use it; eligibility does not: it
    checks the birth-date range the announcement states (recruitment.age_rules)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def _years_of(records, reference_date: date, *, community_only=False) -> float:
    """Total years covered by work records up to the reference date; overlaps count once."""
    spans = []
    for record in records:
        if community_only and not record.get("community_work"):
            continue
        start = _date(record.get("started_on"))
        end = _date(record.get("ended_on")) or reference_date
        end = min(end, reference_date)
        if start and end > start:
            spans.append((start, end))
    spans.sort()
    days = 0
    current_start = current_end = None
    for start, end in spans:
        if current_end is None or start > current_end:
            if current_end is not None:
                days += (current_end - current_start).days
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        days += (current_end - current_start).days
    return days / 365  # a calendar year is at least 365 days: a span of exactly N years counts as N


def rule_labels() -> dict[str, str]:
    return {
        RULE_AGE: _("年龄"),
        RULE_EDUCATION: _("学历"),
        RULE_MAJOR: _("专业"),
        RULE_HOUSEHOLD: _("户籍"),
        RULE_POLITICAL: _("政治面貌"),
        RULE_EXPERIENCE: _("工作经历"),
        RULE_OTHER: _("其他条件"),
    }


def readers() -> dict[str, dict[str, str]]:
    """The words for the person a message is about, per reader: the applicant reads "%(who)s",
    the reviewer reads the third person ("报考人员"). Templates say %(who)s for the subject
    and %(whose)s for the possessive."""
    return {
        "applicant": {"who": _("您"), "whose": _("您的")},
        "staff": {"who": _("报考人员"), "whose": _("报考人员的")},
    }


def _rule(rule: str, outcome: str, template: str, params: dict | None = None) -> dict:
    """One explained rule, as stored in Application.eligibility (JSON): `template` (already
    translated, with %(who)s / %(whose)s for the person and `params`) rendered for each
    reader. "message" is the applicant's wording (as before, so stored results keep their
    meaning), "staff_message" the reviewer's; applications stored before the latter existed
    have "message" only (see staff_message())."""
    words = readers()
    values = dict(params or {})
    return {
        "rule": rule,
        "label": rule_labels()[rule],
        "outcome": outcome,
        "message": template % {**values, **words["applicant"]},
        "staff_message": template % {**values, **words["staff"]},
    }


def staff_message(item: dict) -> str:
    """The reviewer's wording of one stored rule: its "staff_message", or for results stored
    before it existed the applicant's wording with the second person replaced."""
    if item.get("staff_message"):
        return str(item["staff_message"])
    message = str(item.get("message", ""))
    return message.replace("您的", "报考人员的").replace("您", "报考人员")


def format_date(day: date) -> str:
    """A date as the announcements print it: 1990年12月31日 (English: 1990-12-31)."""
    return _("%(year)d年%(month)d月%(day)d日") % {"year": day.year, "month": day.month, "day": day.day}


def stated_birth_range(position, reference_date: date) -> BirthRange:
    """The inclusive birth-date range a position states (Position.born_on_or_after /
    born_on_or_before, filled by recruitment.services from the ages and the reference date
    or written by the administrator); derived here when a position carries none (an unsaved
    one). Source of the arithmetic: recruitment.age_rules."""
    after = getattr(position, "born_on_or_after", None)
    before = getattr(position, "born_on_or_before", None)
    if after or before:
        return BirthRange(earliest=after, latest=before)
    return birth_range(position.min_age, position.max_age, reference_date)


def check_age(data: dict, position, reference_date: date) -> dict:
    """Age as the announcement states it: the birth date within the position's inclusive
    birth-date range ("35周岁及以下（1990年12月31日及以后出生）" for 2026-12-31: born
    1990-12-31 passes, 1990-12-30 fails). With years of community work
    (position.max_age_experienced) the earliest birth date moves back to that age's bound.
    Arithmetic and its source: recruitment.age_rules."""
    birth = _date(data.get("birth_date"))
    if not birth:
        return _rule(RULE_AGE, FAILED, _("未能从身份证号码得到出生日期。"))
    stated = stated_birth_range(position, reference_date)
    earliest, max_age, relaxed = stated.earliest, position.max_age, False
    if position.max_age_experienced and position.max_age_experienced > position.max_age:
        community_years = _years_of(data.get("work", []), reference_date, community_only=True)
        if community_years >= position.experienced_years:
            relaxed_earliest = earliest_birth_date(position.max_age_experienced, reference_date)
            if earliest is None or relaxed_earliest < earliest:
                earliest = relaxed_earliest
            max_age, relaxed = position.max_age_experienced, True
    params = {
        "birth": format_date(birth),
        "min": position.min_age,
        "max": max_age,
        "years": position.experienced_years,
        "earliest": format_date(earliest) if earliest else "",
        "latest": format_date(stated.latest) if stated.latest else "",
    }
    if stated.latest and birth > stated.latest:
        return _rule(
            RULE_AGE,
            FAILED,
            _("%(whose)s出生日期为%(birth)s，岗位要求%(min)s周岁及以上（%(latest)s及以前出生）。"),
            params,
        )
    if earliest and birth < earliest:
        if position.max_age_experienced and not relaxed:
            message = _(
                "%(whose)s出生日期为%(birth)s，岗位要求%(max)s周岁及以下（%(earliest)s及以后出生；"
                "满%(years)s年社区工作经历者可放宽）。"
            )
        else:
            message = _("%(whose)s出生日期为%(birth)s，岗位要求%(max)s周岁及以下（%(earliest)s及以后出生）。")
        return _rule(RULE_AGE, FAILED, message, params)
    if relaxed:
        message = _(
            "%(whose)s出生日期为%(birth)s；有%(years)s年以上社区工作经历，年龄放宽到%(max)s周岁"
            "（%(earliest)s及以后出生），符合。"
        )
    elif earliest and stated.latest:
        message = _(
            "%(whose)s出生日期为%(birth)s，符合%(min)s至%(max)s周岁（%(earliest)s至%(latest)s期间出生）的要求。"
        )
    else:
        message = _("%(whose)s出生日期为%(birth)s，符合年龄要求。")
    return _rule(RULE_AGE, PASSED, message, params)


def _highest_education(data: dict) -> int | None:
    levels = [int(item["level"]) for item in data.get("education", []) if item.get("level")]
    return max(levels) if levels else None


def check_education(data: dict, position) -> dict:
    required = Education(position.min_education).label
    highest = _highest_education(data)
    if highest is None:
        return _rule(
            RULE_EDUCATION,
            FAILED,
            _("%(who)s尚未填写学历，岗位要求%(required)s及以上。"),
            {"required": required},
        )
    params = {"highest": Education(highest).label, "required": required}
    if highest < position.min_education:
        return _rule(
            RULE_EDUCATION, FAILED, _("%(whose)s最高学历为%(highest)s，岗位要求%(required)s及以上。"), params
        )
    return _rule(
        RULE_EDUCATION, PASSED, _("%(whose)s最高学历为%(highest)s，符合%(required)s及以上的要求。"), params
    )


def _norm(text: str) -> str:
    return "".join((text or "").split()).replace("（", "(").replace("）", ")").lower()


def check_major(data: dict, position) -> dict:
    majors = [m for m in (position.majors or []) if m and str(m).strip()]
    if not majors:
        return _rule(RULE_MAJOR, PASSED, _("岗位不限专业。"))
    wanted = {_norm(m) for m in majors}
    qualifying = [
        item for item in data.get("education", []) if int(item.get("level") or 0) >= position.min_education
    ]
    for item in qualifying:
        if _norm(item.get("major", "")) in wanted:
            return _rule(
                RULE_MAJOR,
                PASSED,
                _("%(whose)s专业“%(major)s”在岗位专业要求之内。"),
                {"major": item["major"]},
            )
    yours = "、".join(item.get("major", "") for item in qualifying if item.get("major")) or "—"
    return _rule(
        RULE_MAJOR,
        MANUAL,
        _("%(whose)s专业（%(yours)s）不在岗位列出的专业（%(majors)s）中，是否属于相近专业由审核人员判断。"),
        {"yours": yours, "majors": "、".join(majors)},
    )


def household_region(data: dict) -> str:
    return "".join(
        data.get(key) or "" for key in ("household_province", "household_city", "household_district")
    )


def check_household(data: dict, position) -> dict:
    regions = [r for r in (position.household_regions or []) if r and str(r).strip()]
    if not regions:
        return _rule(RULE_HOUSEHOLD, PASSED, _("岗位不限户籍。"))
    full = household_region(data)
    without_province = "".join(data.get(key) or "" for key in ("household_city", "household_district"))
    params = {"region": full or "—", "regions": "、".join(regions)}
    if not any(full.startswith(r) or (without_province and without_province.startswith(r)) for r in regions):
        return _rule(
            RULE_HOUSEHOLD, FAILED, _("%(whose)s户籍为%(region)s，岗位要求户籍在%(regions)s。"), params
        )
    before = position.household_settled_before
    if before:
        settled = _date(data.get("household_settled_on"))
        params["before"] = before.isoformat()
        if settled is None:
            return _rule(
                RULE_HOUSEHOLD,
                MANUAL,
                _(
                    "%(whose)s户籍为%(region)s；岗位要求在%(before)s前（含）落户，%(who)s未填写迁入日期，由审核人员核对户口簿。"
                ),
                params,
            )
        params["settled"] = settled.isoformat()
        if settled > before:
            return _rule(
                RULE_HOUSEHOLD,
                FAILED,
                _("%(who)s于%(settled)s迁入户籍，岗位要求在%(before)s前（含）落户。"),
                params,
            )
    return _rule(
        RULE_HOUSEHOLD, PASSED, _("%(whose)s户籍为%(region)s，符合户籍要求（%(regions)s）。"), params
    )


def check_political(data: dict, position) -> dict:
    if position.political_requirement != PoliticalRequirement.PARTY_MEMBER:
        return _rule(RULE_POLITICAL, PASSED, _("岗位不限政治面貌。"))
    if data.get("political_status") in PARTY_STATUSES:
        return _rule(RULE_POLITICAL, PASSED, _("%(who)s是中共党员（含预备党员），符合要求。"))
    return _rule(RULE_POLITICAL, FAILED, _("岗位要求中共党员（含预备党员）。"))


def check_experience(data: dict, position, reference_date: date) -> dict:
    required = position.min_experience_years or 0
    if not required:
        return _rule(RULE_EXPERIENCE, PASSED, _("岗位无工作年限要求。"))
    years = _years_of(data.get("work", []), reference_date)
    params = {"years": f"{years:.1f}", "required": required, "date": reference_date.isoformat()}
    if years >= required:
        return _rule(
            RULE_EXPERIENCE,
            PASSED,
            _("截至%(date)s%(who)s累计工作约%(years)s年，符合%(required)s年以上的要求。"),
            params,
        )
    return _rule(
        RULE_EXPERIENCE,
        FAILED,
        _("截至%(date)s%(who)s累计工作约%(years)s年，岗位要求%(required)s年以上。"),
        params,
    )


# How administrators restate the party-member requirement in the free text (其他条件).
_PARTY_CLAUSE = re.compile(
    r"^(须为|要求|限)?中共(正式)?党员(（含预备党员）|\(含预备党员\)|或预备党员)?(身份)?$"
)
_CLAUSES = re.compile(r"[；;。\n]+")


def other_conditions(position) -> str:
    """The position's conditions in words, without the clauses that only restate a rule
    checked above (a position requiring party members whose 其他条件 also says
    "中共党员（含预备党员）" showed that condition twice: failed, and again for a human)."""
    text = (position.other_conditions or "").strip()
    if not text or position.political_requirement != PoliticalRequirement.PARTY_MEMBER:
        return text
    kept = [c.strip() for c in _CLAUSES.split(text) if c.strip() and not _PARTY_CLAUSE.match(c.strip())]
    return "；".join(kept)


def check(data: dict, position, reference_date: date) -> Result:
    rules = [
        check_age(data, position, reference_date),
        check_education(data, position),
        check_major(data, position),
        check_household(data, position),
        check_political(data, position),
        check_experience(data, position, reference_date),
    ]
    other = other_conditions(position)
    if other:
        rules.append(_rule(RULE_OTHER, MANUAL, _("由审核人员判断：%(conditions)s"), {"conditions": other}))
    outcomes = {rule["outcome"] for rule in rules}
    outcome = FAILED if FAILED in outcomes else MANUAL if MANUAL in outcomes else PASSED
    return Result(outcome=outcome, rules=rules)
