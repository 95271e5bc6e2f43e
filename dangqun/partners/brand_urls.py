"""Public pages of brands (/brands/)."""

from django.urls import path

from . import views

app_name = "brands"
urlpatterns: list = [
    path("", views.brand_list, name="list"),
    path("<uuid:public_id>/", views.brand_detail, name="detail"),
]
