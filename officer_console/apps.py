from django.apps import AppConfig


class OfficerConsoleConfig(AppConfig):
    name = "officer_console"
    verbose_name = "담당자 콘솔"

    def ready(self) -> None:
        from django.contrib import admin

        from intake import lifecycle
        from intake.rotation import register_column

        from . import one_time, receivers, scheduled  # noqa: F401
        from .api import webhooks  # noqa: F401  queues webhook deliveries on lifecycle moves
        from .console import services

        # An officer's change of a personal number keeps the old and new values encrypted.
        register_column("officer_console.FieldEdit", "before", sensitive=True)
        register_column("officer_console.FieldEdit", "after", sensitive=True)
        # 신분증 확인 필수: the lifecycle refuses completion until the officer's tick is recorded.
        lifecycle.add_guard("complete", services.require_id_check)
        scheduled.register()
        one_time.connect()
        # The admin's log-in refuses an expired one-time password too, with the same message.
        admin.site.login_form = one_time.StaffAdminAuthenticationForm
