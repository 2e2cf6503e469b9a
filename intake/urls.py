from django.urls import path

from . import cosign_views, form_views, kiosk_views, views

app_name = "intake"

urlpatterns = [
    path("", views.home, name="home"),
    path("preferences/", views.set_preferences, name="preferences"),
    path("q/<str:qr_token>/", views.counter_entry, name="counter_entry"),
    path("o/<slug:slug>/", views.office_forms, name="office"),
    path("o/<slug:slug>/before-visit/", views.office_home, name="office_home"),
    path("o/<slug:slug>/arrive/<str:token>/", views.lobby_entry, name="lobby_entry"),
    path("o/<slug:slug>/logo", views.office_logo, name="office_logo"),
    path("o/<slug:slug>/f/<slug:code>/", form_views.form_page, name="form"),
    path("o/<slug:slug>/f/<slug:code>/autosave/", form_views.autosave, name="autosave"),
    path("o/<slug:slug>/f/<slug:code>/check/<str:key>/", form_views.field_check, name="field_check"),
    path("address-search/", form_views.address_search, name="address_search"),
    path("o/<slug:slug>/counter/<int:number>/qr.svg", views.counter_qr, {"fmt": "svg"}, name="counter_qr_svg"),
    path("o/<slug:slug>/counter/<int:number>/qr.png", views.counter_qr, {"fmt": "png"}, name="counter_qr_png"),
    path("t/<str:token>/", views.ticket, name="ticket"),
    path("t/<str:token>/slip/", views.ticket_slip, name="ticket_slip"),
    path("t/<str:token>/alerts/", views.ticket_alerts, name="ticket_alerts"),
    path("t/<str:token>/correct/", views.correct, name="correct"),
    path("t/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("t/<str:token>/rate/", views.rate, name="rate"),
    path("t/<str:token>/handoff.svg", views.handoff_qr, name="handoff_qr"),
    path("t/<str:token>/cosign.svg", cosign_views.cosign_qr, name="cosign_qr"),
    path("t/<str:token>/cosign-sms/", cosign_views.cosign_sms, name="cosign_sms"),
    # A counter tablet or lobby kiosk: its signed address, then the phone's form pages on it.
    path("k/<str:token>/", kiosk_views.kiosk_start, name="kiosk_start"),
    path("k/<str:token>/reset/", kiosk_views.kiosk_reset, name="kiosk_reset"),
    path("k/<str:token>/alive/", kiosk_views.kiosk_alive, name="kiosk_alive"),
    path("k/<str:token>/ticket/", kiosk_views.kiosk_ticket, name="kiosk_ticket"),
    path("k/<str:token>/ticket/slip/", kiosk_views.kiosk_ticket_slip, name="kiosk_ticket_slip"),
    # The 위임자's pages: the token is the 위임's own, never the submission's.
    path("d/<str:token>/", cosign_views.cosign, name="cosign"),
    path("d/<str:token>/code/", cosign_views.send_code, name="cosign_code"),
    path("d/<str:token>/confirm/", cosign_views.confirm_code, name="cosign_confirm"),
    path("d/<str:token>/sign/", cosign_views.sign, name="cosign_sign"),
    path("d/<str:token>/refuse/", cosign_views.refuse, name="cosign_refuse"),
    path("d/<str:token>/revoke/", cosign_views.revoke, name="cosign_revoke"),
]
