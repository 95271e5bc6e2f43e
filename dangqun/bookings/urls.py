from django.urls import path

from . import views

app_name = "bookings"
urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("pass/<str:token>/", views.door_pass, name="door_pass"),
]
