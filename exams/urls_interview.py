"""URLs of interviews, included into exams.urls (names prefixed interview_)."""

from django.urls import path

from .views import interview, interview_examiner

urlpatterns = [
    # administrators
    path("interviews/", interview.index, name="interview_index"),
    path("interviews/<int:pk>/", interview.groups, name="interview_groups"),
    path("interviews/<int:pk>/groups/add/", interview.group_edit, name="interview_group_add"),
    path("interviews/<int:pk>/groups/<int:group_pk>/", interview.group, name="interview_group"),
    path(
        "interviews/<int:pk>/groups/<int:group_pk>/edit/", interview.group_edit, name="interview_group_edit"
    ),
    path(
        "interviews/<int:pk>/groups/<int:group_pk>/examiners/add/",
        interview.examiner_add,
        name="interview_examiner_add",
    ),
    path(
        "interviews/<int:pk>/groups/<int:group_pk>/examiners/<int:examiner_pk>/",
        interview.examiner_action,
        name="interview_examiner_action",
    ),
    path(
        "interviews/<int:pk>/groups/<int:group_pk>/examiners/<int:examiner_pk>/replace/",
        interview.examiner_replace,
        name="interview_examiner_replace",
    ),
    path(
        "interviews/<int:pk>/groups/<int:group_pk>/candidates/assign/",
        interview.candidates_assign,
        name="interview_candidates_assign",
    ),
    path(
        "interviews/<int:pk>/groups/<int:group_pk>/candidates/<int:candidate_pk>/remove/",
        interview.candidate_remove,
        name="interview_candidate_remove",
    ),
    path("interviews/<int:pk>/groups/<int:group_pk>/publish/", interview.publish, name="interview_publish"),
    path(
        "interviews/<int:pk>/groups/<int:group_pk>/delete/",
        interview.group_delete,
        name="interview_group_delete",
    ),
    # the day: check-in and draw (staff)
    path("interview-groups/<int:group_pk>/checkin/", interview.checkin, name="interview_checkin"),
    path(
        "interview-groups/<int:group_pk>/checkin/mark/", interview.checkin_mark, name="interview_checkin_mark"
    ),
    path("interview-groups/<int:group_pk>/draw/", interview.draw, name="interview_draw"),
    path("interview-groups/<int:group_pk>/draw/redo/", interview.draw_redo, name="interview_draw_redo"),
    # examiners
    path("examiner/", interview_examiner.mine, name="interview_mine"),
    path("examiner/<int:group_pk>/conflict/", interview_examiner.conflict, name="interview_conflict"),
    path("examiner/<int:group_pk>/score/", interview_examiner.score, name="interview_score"),
    path(
        "examiner/<int:group_pk>/score/state/", interview_examiner.score_state, name="interview_score_state"
    ),
    path("examiner/<int:group_pk>/chief/", interview_examiner.chief, name="interview_chief"),
    path(
        "examiner/<int:group_pk>/chief/board/", interview_examiner.chief_board, name="interview_chief_board"
    ),
    path("examiner/<int:group_pk>/reopen/", interview_examiner.reopen, name="interview_reopen"),
    path(
        "examiner/<int:group_pk>/candidates/<int:candidate_pk>/sign-off/",
        interview_examiner.sign_off,
        name="interview_sign_off",
    ),
    path(
        "examiner/<int:group_pk>/candidates/<int:candidate_pk>/late/",
        interview_examiner.late,
        name="interview_late",
    ),
]
