from django.urls import include, path

from .views import checkin, plan, tickets

app_name = "exams"

urlpatterns = [
    # Written scores first: the score query of results day is tried before ~40 staff pages.
    path("", include("exams.urls_written")),  # written scores (issue 16)
    path("", plan.index, name="index"),
    path("announcements/<int:pk>/plan/create/", plan.plan_create, name="plan_create"),
    path("announcements/<int:pk>/", plan.plan, name="plan"),
    path("announcements/<int:pk>/settings/", plan.plan_edit, name="plan_edit"),
    path("announcements/<int:pk>/window/correct/", plan.window_correct, name="window_correct"),
    path("announcements/<int:pk>/sessions/add/", plan.session_edit, name="session_add"),
    path("announcements/<int:pk>/sessions/<int:session_pk>/", plan.session_edit, name="session_edit"),
    path(
        "announcements/<int:pk>/sessions/<int:session_pk>/delete/", plan.session_delete, name="session_delete"
    ),
    path(
        "announcements/<int:pk>/sessions/<int:session_pk>/correct/",
        plan.session_correct,
        name="session_correct",
    ),
    path("announcements/<int:pk>/venues/add/", plan.venue_edit, name="venue_add"),
    path("announcements/<int:pk>/venues/<int:venue_pk>/", plan.venue_edit, name="venue_edit"),
    path("announcements/<int:pk>/venues/<int:venue_pk>/delete/", plan.venue_delete, name="venue_delete"),
    path("announcements/<int:pk>/venues/<int:venue_pk>/correct/", plan.venue_correct, name="venue_correct"),
    path("announcements/<int:pk>/venues/<int:venue_pk>/rooms/add/", plan.rooms_add, name="rooms_add"),
    path("announcements/<int:pk>/venues/<int:venue_pk>/proctors/add/", plan.proctor_add, name="proctor_add"),
    path(
        "announcements/<int:pk>/proctors/<int:assignment_pk>/remove/",
        plan.proctor_remove,
        name="proctor_remove",
    ),
    path("announcements/<int:pk>/rooms/<int:room_pk>/", plan.room_edit, name="room_edit"),
    path("announcements/<int:pk>/rooms/<int:room_pk>/delete/", plan.room_delete, name="room_delete"),
    path("announcements/<int:pk>/rooms/<int:room_pk>/correct/", plan.room_correct, name="room_correct"),
    path("announcements/<int:pk>/issue/", plan.issue, name="issue"),
    path("jobs/<int:pk>/", plan.job, name="job"),
    path("applications/<int:pk>/ticket.pdf", tickets.ticket_pdf, name="ticket_pdf"),
    path("checkin/", checkin.index, name="checkin_index"),
    path("checkin/<int:pk>/", checkin.session, name="checkin"),
    path("checkin/<int:pk>/admit/", checkin.admit, name="checkin_admit"),
    path("checkin/<int:pk>/disqualify/", checkin.disqualify, name="checkin_disqualify"),
    path("checkin/<int:pk>/close/", checkin.close, name="checkin_close"),
    path("checkin/<int:pk>/photo/<int:ticket_pk>/", checkin.photo, name="checkin_photo"),
    path("checkin/<int:pk>/rooms/<int:room_pk>/marks/", checkin.room_marks, name="room_marks"),
    path(
        "checkin/<int:pk>/rooms/<int:room_pk>/<str:kind>.pdf",
        tickets.room_sheet_pdf,
        name="room_sheet",
    ),
    path("", include("exams.urls_shortlist")),  # shortlist, document re-check (issue 17)
    path("", include("exams.urls_interview")),  # interview groups, blind scoring (issue 17)
    path("", include("exams.urls_ranking")),  # ranking versions (issue 17)
]
