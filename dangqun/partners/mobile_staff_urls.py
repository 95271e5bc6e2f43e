"""The back office of mobile party members: /staff/mobile-members/."""

from django.urls import path

from . import mobile_staff_views as views

app_name = "staff_mobile_members"
urlpatterns: list = [
    path("", views.register, name="register"),
    path("counter/", views.counter, name="counter"),
    path("organisations/", views.organisations, name="organisations"),
    path("notices/", views.notices, name="notices"),
    path("projects/", views.projects, name="projects"),
    path("projects/<uuid:public_id>/", views.project_detail, name="project"),
    path("projects/<uuid:public_id>/members/", views.project_member_add, name="project_member_add"),
    path("projects/<uuid:public_id>/log/", views.project_log_add, name="project_log_add"),
    path("<uuid:public_id>/", views.member_detail, name="member"),
    path("<uuid:public_id>/status/", views.member_status, name="member_status"),
    path("<uuid:public_id>/reveal/", views.member_reveal, name="member_reveal"),
    path("<uuid:public_id>/took-part/", views.member_took_part, name="member_took_part"),
]
