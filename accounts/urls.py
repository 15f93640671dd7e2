from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.my_account, name="me"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
