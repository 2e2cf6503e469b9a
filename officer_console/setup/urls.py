from django.urls import path

from . import views as v

app_name = "setup"

urlpatterns = [
    path("", v.index, name="index"),
    path("new/", v.office_form, name="new"),
    path("officers-sample.csv", v.officers_sample, name="officers_sample"),
    path("<int:office_id>/", v.office, name="office"),
    path("<int:office_id>/edit/", v.office_form, name="edit"),
    path("<int:office_id>/officers/", v.officers, name="officers"),
    path("<int:office_id>/one-time-passwords.csv", v.passwords_file, {"fmt": "csv"}, name="passwords_csv"),
    path("<int:office_id>/one-time-passwords.pdf", v.passwords_file, {"fmt": "pdf"}, name="passwords_pdf"),
    path("<int:office_id>/one-time-passwords/forget/", v.forget_passwords, name="forget_passwords"),
    path("<int:office_id>/pack/", v.pack, name="pack"),
    path("<int:office_id>/forms/", v.choose_forms, name="forms"),
    path("<int:office_id>/posters.pdf", v.posters, name="posters"),
]
