from django.contrib import admin
from django.urls import include, path

from . import health

urlpatterns = [
    path("admin/setup/", include("officer_console.setup.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.health, name="health"),
    path("api/v1/", include("officer_console.api.urls")),
    path("console/reports/", include("officer_console.reports.urls")),
    path("console/", include("officer_console.console.urls")),
    path("pdf/", include("officer_console.archive.urls")),
    path("pdf/", include("pdfgen.urls")),
    path("", include("intake.urls")),
]

# Styled error pages, in the staff shell under /console/ and /admin/ (project/errors.py).
handler403 = "project.errors.forbidden"
handler404 = "project.errors.page_not_found"
handler500 = "project.errors.server_error"
