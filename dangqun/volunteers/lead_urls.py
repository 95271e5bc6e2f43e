"""A team leader's pages: the team, its shifts and check-in, what waits for a leader."""

from django.urls import path  # noqa: F401

app_name = "volunteers_lead"
urlpatterns: list = []
