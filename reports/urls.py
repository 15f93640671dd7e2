from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    # Staff: administrators (every announcement) and reviewers (their announcements).
    path("", views.index, name="index"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/data/<slug:chart>.json", views.chart_data, name="chart_data"),
    path("<int:pk>/tables/<slug:chart>.xlsx", views.chart_xlsx, name="chart_xlsx"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    # The recruitment archive (招聘档案): administrators.
    path("<int:pk>/archive/", views.archive_start, name="archive_start"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    # Workforce: administrators and unit managers (their units).
    path("workforce/", views.workforce_dashboard, name="workforce"),
    path("workforce/data/<slug:chart>.json", views.workforce_data, name="workforce_data"),
    path("workforce/tables/<slug:chart>.xlsx", views.workforce_xlsx, name="workforce_xlsx"),
    # Public: registration statistics (报名人数统计), counts only.
    path("public/<int:pk>/", views.public_statistics, name="public"),
]
