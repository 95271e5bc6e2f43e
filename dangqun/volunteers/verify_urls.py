"""Certificates: the public verification page (/verify/<serial>/, no sign-in) and the PDF
of one's own certificate."""

from django.urls import path

from . import verify_views

app_name = "certificates"
urlpatterns = [
    path("<str:serial>/", verify_views.verify, name="verify"),
    path("<str:serial>/pdf/", verify_views.pdf, name="pdf"),
]
