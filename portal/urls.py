from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("announcements/", include("recruitment.urls")),
    path("review/", include("review.urls")),
    path("exams/", include("exams.urls")),
    path("me/", include("applicants.urls")),
    path("django-admin/", admin.site.urls),
]
