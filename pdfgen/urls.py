from django.urls import path

from . import receipt_views, views

app_name = "pdfgen"

urlpatterns = [
    path("submission/<int:submission_id>/status/", views.status, name="status"),
    path("submission/<int:submission_id>/retry/", views.retry, name="retry"),
    path("bundle/", views.bundle, name="bundle"),
    path("receipt/<str:token>/", receipt_views.receipt_page, name="receipt"),
    path("receipt/<str:token>/pdf/", receipt_views.receipt_pdf, name="receipt_pdf"),
    path("office/<int:office_id>/posters.pdf", views.posters, name="posters"),
]
