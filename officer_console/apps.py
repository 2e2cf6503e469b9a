from django.apps import AppConfig


class OfficerConsoleConfig(AppConfig):
    name = "officer_console"
    verbose_name = "담당자 콘솔"

    def ready(self) -> None:
        from django.contrib import admin

        from intake.rotation import register_column

        from . import one_time, receivers, scheduled  # noqa: F401

        # An officer's change of a personal number keeps the old and new values encrypted.
        register_column("officer_console.FieldEdit", "before", sensitive=True)
        register_column("officer_console.FieldEdit", "after", sensitive=True)
        scheduled.register()
        one_time.connect()
        # The admin's log-in refuses an expired one-time password too, with the same message.
        admin.site.login_form = one_time.StaffAdminAuthenticationForm
