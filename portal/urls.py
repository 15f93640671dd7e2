from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/", views.workbench, name="workbench"),
    path("site-settings/", views.site_settings, name="site_settings"),
    path("site-logo", views.site_logo, name="site_logo"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("language/", views.switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("announcements/", include("recruitment.urls")),
    path("review/", include("review.urls")),
    path("exams/", include("exams.urls")),
    path("hiring/", include("hiring.urls")),
    path("workforce/", include("workforce.urls")),
    path("reports/", include("reports.urls")),
    path("me/", include("applicants.urls")),
    path("django-admin/", admin.site.urls),
]

# Error pages inside the site's frame (templates/400.html, 403.html, 404.html, 500.html).
handler500 = "portal.views.server_error"
