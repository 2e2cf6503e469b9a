from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "민원 접수 (Intake)"

    def ready(self) -> None:
        from . import alerts  # noqa: F401  (signal receivers)
