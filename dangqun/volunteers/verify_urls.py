"""Certificates: the public verification page and the PDF."""

from django.urls import path  # noqa: F401

app_name = "certificates"
urlpatterns: list = []
