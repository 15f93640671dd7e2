from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:event>/<str:language>/", views.template_edit, name="template_edit"),
    path("templates/<str:event>/<str:language>/preview/", views.template_preview, name="template_preview"),
    path("mass/", views.mass_list, name="mass_list"),
    path("mass/new/", views.mass_new, name="mass_new"),
    path("mass/<int:pk>/", views.mass_detail, name="mass_detail"),
    path("mass/<int:pk>/progress/", views.mass_progress, name="mass_progress"),
]
