from django.apps import AppConfig


class OfficerConsoleConfig(AppConfig):
    name = "officer_console"
    verbose_name = "담당자 콘솔 (Officer console)"

    def ready(self) -> None:
        from django.contrib import admin

        from . import one_time

        one_time.connect()
        # The admin's log-in refuses an expired one-time password too, with the same message.
        admin.site.login_form = one_time.StaffAdminAuthenticationForm
