"""URLs of the interview shortlist and the interview/ranking settings, included into
exams.urls (names prefixed shortlist_ / settings_)."""

from django.urls import path

from .views import settings, shortlist

urlpatterns = [
    path("announcements/<int:pk>/rules/", settings.edit, name="settings_edit"),
    path("shortlist/", shortlist.index, name="shortlist_index"),
    path("shortlist/<int:pk>/", shortlist.detail, name="shortlist"),
    path("shortlist/<int:pk>/compute/", shortlist.compute, name="shortlist_compute"),
    path("shortlist/<int:pk>/publish/", shortlist.publish, name="shortlist_publish"),
    path("shortlist/<int:pk>/entries/<int:entry_pk>/", shortlist.entry, name="shortlist_entry"),
    path("shortlist/<int:pk>/disqualify/", shortlist.disqualify, name="shortlist_disqualify"),
    path("shortlist/jobs/<int:pk>/", shortlist.job, name="shortlist_job"),
    path(
        "shortlist/declarations/<int:pk>/file/", shortlist.declaration_file, name="shortlist_declaration_file"
    ),
    path("interview-list/<int:pk>/", shortlist.public, name="shortlist_public"),
    path("my-interview/", shortlist.my, name="shortlist_my"),
    path("my-interview/<int:application_pk>/", shortlist.mine, name="shortlist_mine"),
    path("my-interview/<int:application_pk>/confirm/", shortlist.confirm, name="shortlist_confirm"),
    path("my-interview/<int:application_pk>/give-up/", shortlist.give_up_start, name="shortlist_give_up"),
    path(
        "my-interview/<int:application_pk>/give-up/confirm/",
        shortlist.give_up_confirm,
        name="shortlist_give_up_confirm",
    ),
]
