"""The volunteer's pages: teams, a team's shifts, my volunteering."""

from django.urls import path  # noqa: F401

app_name = "volunteers"
urlpatterns: list = []
