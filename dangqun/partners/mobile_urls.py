"""The mobile party member's own page: /mobile-members/."""

from django.urls import path

from . import mobile_views

app_name = "mobile_members"
urlpatterns: list = [
    path("", mobile_views.home, name="home"),
    path("report-in/", mobile_views.report_in, name="report_in"),
    path("notices/<int:pk>/read/", mobile_views.notice_read, name="notice_read"),
]
