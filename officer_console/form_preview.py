"""The form admin's previews: a version as residents will see it, and as it will be archived.

forms_catalog edits forms and imports neither intake nor pdfgen; the previews
need both (the resident's form page, the archive's layout), so the staff side
adds them: FormVersion's admin is registered again with two more pages, under
the same admin URL names.
"""

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from forms_catalog import schema as form_schema
from forms_catalog.admin import FormVersionAdmin
from forms_catalog.models import FormVersion
from forms_catalog.samples import sample_values
from intake.models import Office, Submission
from pdfgen.render import render_pdf
from pdfgen.services import build_context, render_html


class _PreviewOffice:
    """Stands in for an Office in the preview: URLs resolve, nothing can be submitted."""

    slug = "preview"
    name = "미리보기"


def sample_pdf(version: FormVersion) -> bytes:
    """The version's archive PDF filled with sample values."""
    # Never saved: the sample lives only for this render.
    sample = Submission(
        reference="PREV-IEW0",
        office=Office(name="미리보기"),
        form_version=version,
        data=sample_values(version.form),
        ticket_number=0,
        service_date=timezone.localdate(),
        submitted_at=timezone.now(),
    )
    context, data = build_context(sample)
    return render_pdf(render_html(sample, context), data)


class FormVersionPreviewAdmin(FormVersionAdmin):
    change_form_template = "officer_console/admin/formversion_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_frame), name="forms_catalog_formversion_preview"),
            path("<int:pk>/preview.pdf", wrap(self.preview_pdf), name="forms_catalog_formversion_pdf"),
            *super().get_urls(),
        ]

    @xframe_options_sameorigin
    def preview_frame(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The resident's form page for this version, in the admin's phone frame.

        GET shows the saved schema; POST shows the schema being typed, so the
        frame follows the editor before anything is saved.
        """
        version = self._version(request, pk)
        schema: Any = version.schema
        problems: list[str] = []
        if request.method == "POST":
            try:
                schema = json.loads(request.POST.get("schema", ""))
            except json.JSONDecodeError as exc:
                problems = [f"JSON 문법 오류: {exc.lineno}번째 줄 {exc.colno}번째 글자 ({exc.msg})"]
                schema = version.schema
            else:
                problems = form_schema.check_schema(schema)
                if problems and not isinstance(schema, dict):
                    schema = version.schema
        form = form_schema.parse(schema)
        return render(
            request,
            "officer_console/admin/form_preview_frame.html",
            {
                "office": _PreviewOffice(),
                "template": version.template,
                "version": version,
                "sections": form_schema.page_sections(form, {}),
                "values": form_schema.page_values(form, {}),
                "errors": {},
                "warnings": {},
                "draft": None,
                "problems": problems,
            },
        )

    def preview_pdf(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        response = HttpResponse(sample_pdf(version), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{version.template.code}-v{version.number}-preview.pdf"'
        return response


admin.site.unregister(FormVersion)
admin.site.register(FormVersion, FormVersionPreviewAdmin)
