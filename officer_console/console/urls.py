from django.contrib.auth import views as auth_views
from django.urls import path

from ..one_time import StaffAuthenticationForm
from . import (
    account_views,
    assisted_views,
    backoffice_views,
    cases,
    counter_services_views,
    kiosk_views,
    tickets,
    views,
)

app_name = "officer_console"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="officer_console/login.html", authentication_form=StaffAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("", views.home, name="home"),
    path("office/<int:office_id>/", views.console, name="console"),
    path("office/<int:office_id>/counter/", views.choose_counter, name="choose_counter"),
    path("office/<int:office_id>/call-next/", views.call_next, name="call_next"),
    path("office/<int:office_id>/lobby/", views.lobby, name="lobby"),
    path("lobby/<str:token>/", views.lobby_tv, name="lobby_tv"),
    path("office/<int:office_id>/posters.pdf", views.posters, name="posters"),
    path("office/<int:office_id>/handoff/", views.handoff, name="handoff"),
    path("office/<int:office_id>/search/", views.search, name="search"),
    path("office/<int:office_id>/tickets/", tickets.issue, name="tickets"),
    path("office/<int:office_id>/open/", cases.open_view, name="open"),
    path("office/<int:office_id>/export/", backoffice_views.day_export, name="day_export"),
    path("office/<int:office_id>/access-log/", views.access_log, name="access_log"),
    path("office/<int:office_id>/kiosks/", kiosk_views.kiosks, name="kiosks"),
    path("office/<int:office_id>/kiosks/<int:device_id>/revoke/", kiosk_views.revoke_kiosk, name="revoke_kiosk"),
    path("office/<int:office_id>/access-log.csv", views.access_log_csv, name="access_log_csv"),
    path(
        "office/<int:office_id>/counter-services/",
        counter_services_views.counter_services,
        name="counter_services",
    ),
    path("counter/<int:counter_id>/mirror/", views.mirror_window, name="mirror"),
    path("office/<int:office_id>/assisted/", assisted_views.start, name="assisted_start"),
    path("assisted/<int:pk>/", assisted_views.entry_page, name="assisted"),
    path("assisted/<int:pk>/check/<str:key>/", assisted_views.check, name="assisted_check"),
    path("assisted/<int:pk>/sign/", assisted_views.sign, name="assisted_sign"),
    path("assisted/<int:pk>/refuse/", assisted_views.refuse, name="assisted_refuse"),
    path("assisted/<int:pk>/<str:action>/", assisted_views.officer_action, name="assisted_action"),
    path("submission/<int:pk>/", views.submission_detail, name="submission"),
    path("submission/<int:pk>/unmask/", views.unmask, name="unmask"),
    path("submission/<int:pk>/mirror/", views.mirror_control, name="mirror_control"),
    path("submission/<int:pk>/pdf/", views.submission_pdf, name="submission_pdf"),
    path("submission/<int:pk>/attachment/<str:key>/", views.attachment, name="attachment"),
    path("submission/<int:pk>/<str:action>/", views.submission_action, name="submission_action"),
]
