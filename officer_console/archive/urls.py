from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("submission/<int:submission_id>/status/", views.status, name="status"),
    path("submission/<int:submission_id>/retry/", views.retry, name="retry"),
    path("bundle/", views.bundle, name="bundle"),
]
