from django.apps import AppConfig


class OfficerConsoleConfig(AppConfig):
    name = "officer_console"
    verbose_name = "담당자 콘솔 (Officer console)"

    def ready(self) -> None:
        from . import scheduled

        scheduled.register()
