"""The back office of volunteers: teams, rewards and redemptions, certificates, figures."""

from django.urls import path

from . import staff_views

app_name = "staff_volunteers"
urlpatterns: list = [
    path("", staff_views.team_list, name="teams"),
    path("teams/new/", staff_views.team_create, name="team_create"),
    path("teams/<uuid:public_id>/", staff_views.team_detail, name="team"),
    path("teams/<uuid:public_id>/members/", staff_views.member_add, name="member_add"),
    path(
        "teams/<uuid:public_id>/leaders/<uuid:person_id>/",
        staff_views.leader_set,
        name="leader_set",
    ),
    path("teams/<uuid:public_id>/roster.xlsx", staff_views.roster_xlsx, name="roster_xlsx"),
    path("rewards/", staff_views.reward_list, name="rewards"),
    path("rewards/new/", staff_views.reward_create, name="reward_create"),
    path("rewards/<uuid:public_id>/edit/", staff_views.reward_edit, name="reward_edit"),
    path("counter/", staff_views.counter_find, name="counter"),
    path("counter/<uuid:public_id>/", staff_views.counter_person, name="counter_person"),
    path("counter/<uuid:public_id>/redeem/", staff_views.redeem, name="redeem"),
    path("certificates/", staff_views.certificate_list, name="certificates"),
    path(
        "certificates/<slug:serial>/revoke/",
        staff_views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("trainings/<uuid:public_id>/", staff_views.training, name="training"),
    path("figures/", staff_views.figures_page, name="figures"),
    path("figures/ledger.xlsx", staff_views.ledger_xlsx, name="ledger_xlsx"),
]
