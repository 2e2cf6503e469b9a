from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("console/reports/", include("officer_console.report_urls")),
    path("console/", include("officer_console.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("intake.urls")),
]
