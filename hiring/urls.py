from django.urls import path

from . import views

app_name = "hiring"

urlpatterns = [
    # administrators
    path("", views.index, name="index"),
    path("<int:pk>/", views.announcement, name="announcement"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/settings/", views.settings_edit, name="settings"),
    path("<int:pk>/notices/new/", views.notice_new, name="notice_new"),
    path("<int:pk>/notices/<int:notice_pk>/export.<str:fmt>", views.notice_export, name="notice_export"),
    path("<int:pk>/export/<slug:kind>.<str:fmt>", views.export, name="export"),
    path("<int:pk>/proposals/<int:proposal_pk>/", views.proposal_detail, name="proposal"),
    path(
        "<int:pk>/proposals/<int:proposal_pk>/<slug:action>/", views.proposal_action, name="proposal_action"
    ),
    path("<int:pk>/positions/<int:position_pk>/extra-test/", views.extra_test, name="extra_test"),
    path("<int:pk>/positions/<int:position_pk>/chain/", views.chain, name="chain"),
    path("<int:pk>/positions/<int:position_pk>/chain.xlsx", views.chain_xlsx, name="chain_xlsx"),
    # the public
    path("notices/", views.public_notices, name="public_notices"),
    path("notices/<int:pk>/", views.public_notice, name="public_notice"),
    # the applicant
    path("mine/<int:application_pk>/give-up/", views.give_up, name="give_up"),
]
