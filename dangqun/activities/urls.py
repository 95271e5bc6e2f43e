from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("mine/", views.my_activities, name="mine"),
    path("door/", views.door_resume, name="door_resume"),
    path("door/<str:token>/", views.door, name="door"),
    path("door/<str:token>/walk-in/", views.door_walk_in, name="door_walk_in"),
    path("feed/<str:token>.ics", views.my_feed, name="my_feed"),
    path("registrations/<uuid:public_id>/", views.registration_detail, name="registration"),
    path(
        "registrations/<uuid:public_id>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("registrations/<uuid:public_id>/accept/", views.offer_accept, name="offer_accept"),
    path("<uuid:public_id>/", views.activity_detail, name="detail"),
    path("<uuid:public_id>/sign-up/", views.sign_up, name="sign_up"),
    path("<uuid:public_id>.ics", views.activity_ics, name="ics"),
]
