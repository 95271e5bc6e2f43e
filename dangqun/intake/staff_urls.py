from django.urls import path

from . import staff_catalogue, staff_views

app_name = "staff_intake"
urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("due/", staff_views.due, name="due"),
    path("counter/", staff_views.counter_find, name="counter"),
    path("counter/register/", staff_views.counter_register, name="counter_register"),
    path("counter/<uuid:public_id>/", staff_views.counter_person, name="counter_person"),
    path(
        "counter/<uuid:public_id>/<slug:slug>/<slug:code>/",
        staff_views.counter_submit,
        name="counter_submit",
    ),
    path("follow-ups/", staff_views.follow_ups, name="follow_ups"),
    path(
        "follow-ups/<uuid:public_id>/close/",
        staff_views.follow_up_close,
        name="follow_up_close",
    ),
    path("figures/", staff_views.figures_page, name="figures"),
    path("catalogue/", staff_catalogue.catalogue, name="catalogue"),
    path("catalogue/new/", staff_catalogue.item_new, name="item_new"),
    path("catalogue/<slug:code>/edit/", staff_catalogue.item_edit, name="item_edit"),
    path("catalogue/<slug:code>/active/", staff_catalogue.item_active, name="item_active"),
    path("r/<str:number>/", staff_views.detail, name="detail"),
    path("r/<str:number>/receipt/", staff_views.receipt, name="receipt"),
    path("r/<str:number>/<slug:step>/", staff_views.step, name="step"),
]
