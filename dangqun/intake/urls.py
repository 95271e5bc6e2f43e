from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.index, name="index"),
    path("centers/<slug:slug>/", views.catalogue, name="catalogue"),
    path("centers/<slug:slug>/<slug:code>/", views.item_request, name="item"),
    path("mine/", views.my_requests, name="mine"),
    path("mine/<str:number>/", views.progress, name="progress"),
    path("mine/<str:number>/rate/", views.rate, name="rate"),
    path("attachments/<uuid:public_id>/", views.attachment, name="attachment"),
]
