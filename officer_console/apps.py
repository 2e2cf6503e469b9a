from django.apps import AppConfig


class OfficerConsoleConfig(AppConfig):
    name = "officer_console"
    verbose_name = "담당자 콘솔"

    def ready(self) -> None:
        from django.contrib import admin

        from intake import lifecycle
        from intake.rotation import register_column
        from pdfgen import services as pdfgen_services

        from . import one_time, receivers, scheduled  # noqa: F401
        from .api import webhooks  # noqa: F401  queues webhook deliveries on lifecycle moves
        from .console import services

        # An officer's change of a personal number keeps the old and new values encrypted.
        register_column("officer_console.FieldEdit", "before", sensitive=True)
        register_column("officer_console.FieldEdit", "after", sensitive=True)
        register_column("officer_console.WebhookEndpoint", "secret_sealed")
        # 신분증 확인 필수: the lifecycle refuses completion until the officer's tick is recorded.
        lifecycle.add_guard("complete", services.require_id_check)
        # The archive's 신분 확인 cell says what the officer recorded, not that every completion was checked.
        pdfgen_services.set_identity_check_reader(services.id_checked)
        scheduled.register()
        one_time.connect()
        # The admin's log-in refuses an expired one-time password too, with the same message.
        admin.site.login_form = one_time.StaffAdminAuthenticationForm
