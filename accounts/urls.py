from django.urls import path

from . import staff_views, views

app_name = "accounts"

urlpatterns = [
    path("me/", views.my_account, name="me"),
    path("privacy/", views.privacy_notice, name="privacy"),
    # Staff accounts (administrators)
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/new/", staff_views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/roles/", staff_views.staff_role, name="staff_role"),
    path("staff/<int:pk>/status/", staff_views.staff_status, name="staff_status"),
    path("staff/<int:pk>/expiry/", staff_views.staff_expiry, name="staff_expiry"),
]
