"""The back office of volunteers: teams, rewards and redemptions, certificates, figures."""

from django.urls import path  # noqa: F401

app_name = "staff_volunteers"
urlpatterns: list = []
