from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.center_list, name="center_list"),
    path("<slug:slug>/", views.center_detail, name="center_detail"),
]
