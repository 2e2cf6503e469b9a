from django.urls import path

from . import views as report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report, name="report"),
    path("report.csv", report_views.report_csv, name="csv"),
    path("report.pdf", report_views.report_pdf, name="pdf"),
]
