"""A team leader's pages: the team, its shifts and check-in, what waits for a leader."""

from django.urls import path

from . import lead_views as views

app_name = "volunteers_lead"
urlpatterns = [
    path("", views.index, name="index"),
    path("teams/<uuid:public_id>/", views.team, name="team"),
    path("teams/<uuid:public_id>/ledger/", views.ledger, name="ledger"),
    path("teams/<uuid:public_id>/ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("teams/<uuid:public_id>/roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path(
        "teams/<uuid:public_id>/asking/<uuid:person>/",
        views.membership_decide,
        name="membership_decide",
    ),
    path("teams/<uuid:public_id>/tasks/new/", views.task_new, name="task_new"),
    path("teams/<uuid:public_id>/honour/", views.honour, name="honour"),
    path("teams/<uuid:public_id>/honour/new/", views.honour_new, name="honour_new"),
    path("teams/<uuid:public_id>/corrections/", views.corrections, name="corrections"),
    path("teams/<uuid:public_id>/missed/", views.missed, name="missed"),
    path("tasks/<uuid:public_id>/shifts/new/", views.shift_new, name="shift_new"),
    path("shifts/<uuid:public_id>/", views.shift, name="shift"),
    path("shifts/<uuid:public_id>/check-in/", views.check_in, name="check_in"),
    path("shifts/<uuid:public_id>/check-in/photo/", views.check_in_photo, name="check_in_photo"),
    path("shifts/<uuid:public_id>/check-out/", views.check_out, name="check_out"),
    path("shifts/<uuid:public_id>/call-off/", views.shift_cancel, name="shift_cancel"),
    path("shifts/<uuid:public_id>/assign/", views.shift_assign, name="shift_assign"),
    path("honour/<uuid:public_id>/decide/", views.honour_decide, name="honour_decide"),
    path("honour/<uuid:public_id>/evidence/", views.honour_evidence, name="honour_evidence"),
    path(
        "corrections/<uuid:public_id>/answer/",
        views.correction_answer,
        name="correction_answer",
    ),
    path("missed/<uuid:registration>/confirm/", views.missed_confirm, name="missed_confirm"),
    path("entries/<uuid:public_id>/correct/", views.entry_correct, name="entry_correct"),
]
