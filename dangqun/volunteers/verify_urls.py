"""Certificates: the public verification page (/verify/<serial>/, no sign-in), a form to type
a serial (/verify/), and the PDF of a certificate for its holder and its center's staff."""

from django.urls import path

from . import verify_views

app_name = "certificates"
urlpatterns = [
    path("", verify_views.lookup, name="lookup"),
    path("<str:serial>/", verify_views.verify, name="verify"),
    path("<str:serial>/pdf/", verify_views.certificate_pdf, name="pdf"),
]
