"""The volunteer's pages: teams, a team's shifts, one's own shift, my volunteering."""

from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns: list = [
    path("", views.team_list, name="teams"),
    path("teams/<uuid:public_id>/", views.team_detail, name="team"),
    path("teams/<uuid:public_id>/join/", views.team_join, name="join"),
    path("teams/<uuid:public_id>/leave/", views.team_leave, name="leave"),
    path("shifts/<uuid:public_id>/", views.shift_detail, name="shift"),
    path("shifts/<uuid:public_id>/sign-up/", views.shift_sign_up, name="sign_up"),
    path("shifts/<uuid:public_id>/cancel/", views.shift_withdraw, name="withdraw"),
    path("shifts/<uuid:public_id>/hand-over/", views.shift_swap, name="swap"),
    path("shifts/<uuid:public_id>/check-out/", views.shift_check_out, name="check_out"),
    path("swaps/<uuid:public_id>/answer/", views.swap_answer, name="swap_answer"),
    path("me/", views.me, name="me"),
    path("me/certificates/", views.certificate_issue, name="certificate_issue"),
    path("me/hours/<uuid:public_id>/correction/", views.correction_request, name="correction"),
]
