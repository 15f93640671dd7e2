from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/reopen/", views.application_reopen, name="reopen"),
    path("applications/<int:pk>/photo/", views.photo, name="photo"),
    path("applications/<int:pk>/registration-form.pdf", views.registration_form, name="registration_form"),
    path("applications/<int:pk>/documents/<uuid:uuid>/", views.document, name="document"),
    path("bulk-approve/", views.bulk_approve, name="bulk_approve"),
    path("export/", views.export, name="export"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("announcements/<int:pk>/opening-ratio/", views.opening_ratio, name="opening_ratio"),
    path(
        "announcements/<int:pk>/positions/<int:position_pk>/adjust/",
        views.position_adjust,
        name="position_adjust",
    ),
    path("reasons/", views.reasons, name="reasons"),
    path("reasons/<int:pk>/", views.reason_edit, name="reason_edit"),
]
