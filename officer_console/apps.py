from django.apps import AppConfig


class OfficerConsoleConfig(AppConfig):
    name = "officer_console"
    verbose_name = "담당자 콘솔 (Officer console)"

    def ready(self) -> None:
        from intake.rotation import register_column

        from . import receivers  # noqa: F401

        # An officer's change of a personal number keeps the old and new values encrypted.
        register_column("officer_console.FieldEdit", "before", sensitive=True)
        register_column("officer_console.FieldEdit", "after", sensitive=True)
