from django.urls import path

from . import views

app_name = "charging"
urlpatterns = [
    path("rooms/<uuid:public_id>/", views.room_detail, name="room"),
    path("rooms/<uuid:public_id>/live/", views.room_live, name="room_live"),
    path("rooms/<uuid:public_id>/fault/", views.fault, name="fault"),
    path("slots/<int:slot_id>/reserve/", views.reserve, name="reserve"),
    path("reservations/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
]
