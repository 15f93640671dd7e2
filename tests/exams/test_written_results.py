"""Pass lines, bonus points and ranks of written results, computed by exams.scoring through
exams.rules.rules_for; every number worked by hand in the comments."""

from decimal import Decimal

import pytest
from django.db import transaction

from exams.models import BonusClaim, PositionPassLine, PositionResult, WrittenResults, WrittenScore
from exams.rules import rules_for
from exams.services import written
from exams.services.written import NewScore, scores_create
from recruitment.models import BonusCategory
from tests.exams.written_factories import issued_exam

pytestmark = pytest.mark.django_db
D = Decimal


def record(tickets, values, actor):
    """values: one per ticket, a number string or "absent"/"disqualified"."""
    rows = []
    for ticket, value in zip(tickets, values, strict=False):
        status = value if value in ("absent", "disqualified") else "scored"
        raw = None if status != "scored" else D(value)
        rows.append(
            NewScore(
                ticket_id=ticket.pk,
                application_id=ticket.application_id,
                announcement_id=ticket.announcement_id,
                position_id=ticket.application.position_id,
                status=status,
                raw=raw,
                full_marks=D(100),
                parts=[("综合知识", raw, D(100))] if raw is not None else [],
            )
        )
    with transaction.atomic():
        scores_create(rows=rows, actor=actor, source="import")


def computed(announcement, actor):
    written.results_compute(announcement=announcement, actor=actor)
    return {s.ticket_id: s for s in WrittenScore.objects.filter(announcement=announcement)}


@pytest.fixture
def one_position(administrator, django_capture_on_commit_callbacks):
    plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=5, positions=1)
    return plan.announcement, tickets


def test_rules_for_maps_the_stored_settings_once(one_position):
    announcement, _tickets = one_position
    rules = rules_for(announcement)
    assert (rules.pass_line, rules.pass_line_value, rules.bonus_mode) == ("fixed", D("60"), "highest_only")
    assert (rules.written_weight, rules.interview_weight) == (D("0.50"), D("0.50"))
    announcement.written_pass_mode, announcement.written_pass_line = "relative", D("60")
    assert rules_for(announcement).pass_line_value == D("0.6")  # 60 % → 0.6
    announcement.bonus_mode, announcement.bonus_cap = "sum_capped", D("5")
    assert (rules_for(announcement).bonus_mode, rules_for(announcement).bonus_cap) == (
        "cumulative_capped",
        D("5"),
    )
    override = PositionPassLine(mode="manual", value=D("55"))
    assert (rules_for(announcement, override=override).pass_line_value) == D("55")
    assert rules_for(announcement, override=PositionPassLine(mode="none")).pass_line == "none"


def test_fixed_line_60_a_candidate_exactly_on_it_passes_and_ranks_share(one_position, administrator):
    announcement, tickets = one_position
    record(tickets, ["60", "59.99", "75", "75", "absent"], administrator)
    scores = computed(announcement, administrator)
    s = [scores[t.pk] for t in tickets]
    assert [x.passed for x in s] == [True, False, True, True, None]
    # 75, 75 share rank 1; 60 is 3rd (1, 1, 3, 4); the absent has no rank.
    assert [x.rank for x in s] == [3, 4, 1, 1, None]
    result = PositionResult.objects.get(position_id=s[0].position_id)
    assert (result.line, result.sat) == (D("60"), 4)
    assert "60" in result.explanation_text


def test_relative_line_half_up_at_xx5_and_exactly_on_it(one_position, administrator):
    announcement, tickets = one_position
    announcement.written_pass_mode, announcement.written_pass_line = "relative", D("100")
    announcement.save(update_fields=["written_pass_mode", "written_pass_line"])
    # Sat: 70.02 + 70.03 + 70.00 + 70.05 = 280.10; ÷ 4 = 70.025; × 100 % = 70.025 →
    # half up 70.03 (banker's rounding would give 70.02 and pass 70.02). The absent and the
    # disqualified are not in the mean.
    record(tickets, ["70.02", "70.03", "70.00", "70.05", "disqualified"], administrator)
    scores = computed(announcement, administrator)
    result = PositionResult.objects.get(position_id=tickets[0].application.position_id)
    assert result.line == D("70.03")
    assert [scores[t.pk].passed for t in tickets] == [False, True, False, True, None]
    assert "280.10" in result.explanation_text and "70.03" in result.explanation_text


def test_relative_mean_is_over_the_whole_announcement_and_a_position_override(
    administrator, django_capture_on_commit_callbacks
):
    plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=4, positions=2)
    announcement = plan.announcement
    announcement.written_pass_mode, announcement.written_pass_line = "relative", D("60")
    announcement.save(update_fields=["written_pass_mode", "written_pass_line"])
    record(tickets, ["80", "40", "60", "20"], administrator)
    # Mean of all four who sat: (80 + 40 + 60 + 20) ÷ 4 = 50; × 60 % = 30.00 for every position.
    scores = computed(announcement, administrator)
    assert {r.line for r in PositionResult.objects.filter(announcement=announcement)} == {D("30.00")}
    assert scores[tickets[3].pk].passed is False  # 20 < 30
    # One position sets its own line by hand after the exam: 50.
    position = tickets[0].application.position
    written.position_pass_line_set(position=position, actor=administrator, mode="manual", value=D("50"))
    assert WrittenResults.objects.get(announcement=announcement).stale  # computed figures out of date
    scores = computed(announcement, administrator)
    assert PositionResult.objects.get(position=position).line == D("50")
    mine = [t for t in tickets if t.application.position_id == position.pk]
    assert {scores[t.pk].passed for t in mine if scores[t.pk].raw >= 50} <= {True}
    # No line at all: everyone who sat passes.
    written.position_pass_line_set(position=position, actor=administrator, mode="none", value=None)
    scores = computed(announcement, administrator)
    assert PositionResult.objects.get(position=position).line is None
    assert all(scores[t.pk].passed for t in mine)


@pytest.mark.parametrize(
    ("mode", "cap", "expected"),
    [
        # Confirmed 5 and 3 (a claimed 2 and a refused 4 count nothing).
        ("highest", None, "5"),  # the highest item: 5
        ("sum", None, "8"),  # 5 + 3 = 8
        ("sum_capped", "6", "6"),  # 5 + 3 = 8, capped at 6
        ("none", None, "0"),  # no bonus
    ],
)
def test_each_bonus_mode_counts_confirmed_claims_only(one_position, administrator, mode, cap, expected):
    announcement, tickets = one_position
    announcement.bonus_mode = mode
    if cap:
        announcement.bonus_cap = D(cap)
    announcement.save()
    categories = [
        BonusCategory.objects.create(announcement=announcement, name=name, points=D(points))
        for name, points in (("社会工作师", "5"), ("退役军人", "3"), ("党员", "2"), ("助理社工师", "4"))
    ]
    application = tickets[0].application
    for category, status in zip(categories, ["confirmed", "confirmed", "claimed", "refused"], strict=True):
        BonusClaim.objects.create(
            application=application,
            category=category,
            status=status,
            reason="材料不全" if status == "refused" else "",
            reviewed_by=None if status == "claimed" else administrator,
        )
    record(tickets, ["70", "72"], administrator)
    scores = computed(announcement, administrator)
    score = scores[tickets[0].pk]
    assert score.bonus == D(expected)
    assert score.total == D("70") + D(expected)  # added to the written score (the default)
    # The line compares the raw score by default: 70 ≥ 60 either way.
    assert score.passed is True


def test_bonus_categories_are_edited_in_place_so_claims_stay_attached(one_position, administrator):
    from recruitment.services import _set_bonus_categories

    announcement, tickets = one_position
    kept = BonusCategory.objects.create(announcement=announcement, name="社会工作师", points=D("5"))
    gone = BonusCategory.objects.create(announcement=announcement, name="党员", points=D("2"))
    BonusClaim.objects.create(application=tickets[0].application, category=kept)
    _set_bonus_categories(
        announcement,
        [
            {"id": kept.pk, "name": "社会工作师（中级）", "points": D("4")},
            {"name": "退役军人", "points": D("3")},
        ],
    )
    kept.refresh_from_db()
    assert (kept.name, kept.points) == (
        "社会工作师（中级）",
        D("4"),
    )  # same row, the claim still points at it
    assert BonusClaim.objects.get().category_id == kept.pk
    assert not BonusCategory.objects.filter(pk=gone.pk).exists()
    assert sorted(announcement.bonus_categories.values_list("name", flat=True)) == [
        "社会工作师（中级）",
        "退役军人",
    ]


def test_pass_line_on_raw_plus_bonus_and_announcement_modes(one_position, administrator):
    announcement, tickets = one_position
    announcement.written_pass_on_total = True
    announcement.save(update_fields=["written_pass_on_total"])
    category = BonusCategory.objects.create(announcement=announcement, name="退役军人", points=D("3"))
    BonusClaim.objects.create(
        application=tickets[0].application, category=category, status="confirmed", reviewed_by=administrator
    )
    record(tickets, ["58", "59"], administrator)
    scores = computed(announcement, administrator)
    # 58 + 3 = 61 ≥ 60 passes on raw + bonus; 59 + 0 = 59 does not.
    assert (scores[tickets[0].pk].passed, scores[tickets[1].pk].passed) == (True, False)
    assert (
        "原始成绩加加分"
        in PositionResult.objects.get(position_id=tickets[0].application.position_id).explanation_text
    )
    announcement.written_pass_mode = "none"
    assert rules_for(announcement).pass_line == "none"
    announcement.written_pass_mode, announcement.written_pass_line = "manual", D("57.5")
    assert (rules_for(announcement).pass_line, rules_for(announcement).pass_line_value) == (
        "fixed",
        D("57.5"),
    )


def test_a_bonus_claim_needs_a_submitted_proof_before_the_deadline(one_position, administrator):
    from django.core.exceptions import PermissionDenied, ValidationError

    from applicants.models import Document
    from exams.services import bonus

    announcement, tickets = one_position
    application = tickets[0].application
    owner = application.applicant
    category = BonusCategory.objects.create(announcement=announcement, name="社会工作师", points=D("5"))
    document = Document.objects.create(
        profile=owner.profile,
        kind="certificate",
        file="documents/x.pdf",
        original_name="证书.pdf",
        content_type="application/pdf",
        size=10,
    )
    announcement.review_deadline = (
        announcement.registration_closes_at
    )  # still ahead in the factory? make sure
    from django.utils import timezone

    announcement.review_deadline = timezone.now() + timezone.timedelta(days=1)
    announcement.save(update_fields=["review_deadline"])
    application.refresh_from_db()
    with pytest.raises(ValidationError):  # not among the documents submitted with the application
        bonus.bonus_claim_create(application=application, actor=owner, category=category, proof=document)
    application.snapshot = {**application.snapshot, "documents": [{"uuid": str(document.uuid)}]}
    application.save(update_fields=["snapshot"])
    claim = bonus.bonus_claim_create(application=application, actor=owner, category=category, proof=document)
    with pytest.raises(PermissionDenied):  # someone else's application
        bonus.bonus_claim_create(
            application=tickets[1].application, actor=owner, category=category, proof=document
        )
    with pytest.raises(ValidationError):  # a refusal needs a reason
        bonus.bonus_claim_decide(claim=claim, actor=administrator, confirm=False, reason="")
    bonus.bonus_claim_decide(claim=claim, actor=administrator, confirm=True)
    claim.refresh_from_db()
    assert claim.status == "confirmed" and claim.reviewed_by == administrator
