from django.apps import AppConfig


class PdfgenConfig(AppConfig):
    name = "pdfgen"
    verbose_name = "PDF 보관"

    def ready(self) -> None:
        from . import receivers, scheduled  # noqa: F401
        from .storage import register_folders

        register_folders()
        scheduled.register()
