from django.urls import path

from . import views

app_name = "applicants"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("files/", views.files, name="files"),
    path("files/documents/<uuid:uuid>/", views.document_file, name="document_file"),
    path("files/documents/<uuid:uuid>/delete/", views.document_delete, name="document_delete"),
    path("files/photos/<int:profile_id>/", views.photo_file, name="photo_file"),
    path("applications/", views.applications, name="applications"),
    path("apply/<int:position_id>/", views.apply, name="apply"),
    path("apply/<int:position_id>/draft/", views.save_draft, name="save_draft"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/resubmit/", views.application_resubmit, name="resubmit"),
    path("applications/<int:pk>/registration-form.pdf", views.registration_form, name="registration_form"),
]
