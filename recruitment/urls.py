from django.urls import path

from . import correction_views, views

app_name = "recruitment"

urlpatterns = [
    # Public
    path("", views.announcement_list, name="list"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/positions.xlsx", views.positions_xlsx, name="positions_xlsx"),
    # Staff (administrators change; reviewers read)
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.announcement_edit, name="create"),
    path("manage/positions-template.xlsx", views.position_import_template, name="import_template"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.announcement_edit, name="edit"),
    path("manage/<int:pk>/publish/", correction_views.announcement_publish, name="publish"),
    path("manage/<int:pk>/corrections/new/", correction_views.correction_create, name="correction_create"),
    path("manage/<int:pk>/close/", views.announcement_close, name="close"),
    path("manage/<int:pk>/archive/", views.announcement_archive, name="archive"),
    path("manage/<int:pk>/positions/new/", views.position_edit, name="position_create"),
    path("manage/<int:pk>/positions/import/", views.position_import, name="position_import"),
    path("manage/<int:pk>/positions/<int:position_pk>/edit/", views.position_edit, name="position_edit"),
    path(
        "manage/<int:pk>/positions/<int:position_pk>/delete/", views.position_delete, name="position_delete"
    ),
    path(
        "manage/<int:pk>/positions/<int:position_pk>/reduce/", views.position_reduce, name="position_reduce"
    ),
    path(
        "manage/<int:pk>/positions/<int:position_pk>/cancel/", views.position_cancel, name="position_cancel"
    ),
    path("manage/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "manage/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("manage/<int:pk>/reviewers/", views.reviewers, name="reviewers"),
]
