from django.urls import path

from .views import me, staff, training

app_name = "workforce"

urlpatterns = [
    # staff: administrators and unit managers (scoped)
    path("", staff.index, name="index"),
    path("workers/<int:pk>/", staff.worker_detail, name="worker"),
    path("workers/<int:pk>/probation/review/", staff.probation_review, name="probation_review"),
    path("workers/<int:pk>/probation/", staff.probation_set, name="probation_set"),
    path("import/", staff.import_workers, name="import"),
    path("import/jobs/<int:pk>/", staff.import_job, name="import_job"),
    path("import/template.xlsx", staff.import_template, name="import_template"),
    path("units/", staff.units, name="units"),
    path("settings/", staff.settings_edit, name="settings"),
    path("settings/pay-and-hours/", staff.pay_settings, name="pay_settings"),
    path("assessments/", staff.assessments, name="assessments"),
    path("assessments/<int:pk>/", staff.assessment, name="assessment"),
    path("assessments/<int:pk>/confirm/", staff.assessment_confirm, name="assessment_confirm"),
    path("grades/apply/", staff.grades_apply, name="grades_apply"),
    path("side-jobs/", staff.side_jobs, name="side_jobs"),
    path("side-jobs/<int:pk>/", staff.side_job, name="side_job"),
    path("training/", training.programmes, name="programmes"),
    path("training/<int:pk>/", training.programme, name="programme"),
    path("training/sessions/<int:pk>/checkin/", training.checkin, name="training_checkin"),
    path("training/reminders/", training.send_reminders, name="training_reminders"),
    # the worker's own pages
    path("me/", me.me, name="me"),
    path("me/training/", me.me_training, name="me_training"),
    path("me/training/<int:pk>/certificate.pdf", training.me_certificate, name="me_certificate"),
    path("me/side-jobs/", me.me_side_jobs, name="me_side_jobs"),
    path("me/side-jobs/new/", me.me_side_job_new, name="me_side_job_new"),
    path("me/side-jobs/<int:pk>/", me.me_side_job, name="me_side_job"),
    path("me/side-jobs/<int:pk>/withdraw/", me.me_side_job_withdraw, name="me_side_job_withdraw"),
]
