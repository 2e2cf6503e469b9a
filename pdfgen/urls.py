from django.urls import path

from . import receipt_views

# The resident's 접수증 (receipt): public by the ticket's token, like the ticket page.
app_name = "pdfgen"

urlpatterns = [
    path("receipt/<str:token>/", receipt_views.receipt_page, name="receipt"),
    path("receipt/<str:token>/pdf/", receipt_views.receipt_pdf, name="receipt_pdf"),
]
