"""Every stage after approval counts as approved, on the public position table and for the
opening ratio: a count of approved candidates never drops when a later step ends someone's
way (not shortlisted, failed check, declined)."""

from applicants.models import NOT_SUBMITTED_STAGES, STAGES_AT_OR_AFTER_APPROVED, Stage
from recruitment import selectors

BEFORE_OR_OUTSIDE_APPROVAL = {Stage.DRAFT, Stage.SUBMITTED, Stage.RETURNED, Stage.REJECTED, Stage.WITHDRAWN}


def test_every_stage_after_approval_is_counted_as_approved():
    assert set(STAGES_AT_OR_AFTER_APPROVED) == set(Stage) - BEFORE_OR_OUTSIDE_APPROVAL
    assert {Stage.NOT_SHORTLISTED, Stage.FAILED_CHECK, Stage.DECLINED} <= set(STAGES_AT_OR_AFTER_APPROVED)


def test_recruitment_keeps_the_same_lists_without_importing_applicants():
    assert set(selectors.STAGES_AT_OR_AFTER_APPROVED) == {str(stage) for stage in STAGES_AT_OR_AFTER_APPROVED}
    assert set(selectors.STAGES_NOT_SUBMITTED) == {str(stage) for stage in NOT_SUBMITTED_STAGES}
