"""The back office of partners, sub-brands and brands (/staff/partners/)."""

from django.urls import path

from . import staff_views

app_name = "staff_partners"
urlpatterns: list = [
    path("", staff_views.partner_list, name="list"),
    path("new/", staff_views.partner_create, name="create"),
    path("brands/", staff_views.brand_list, name="brands"),
    path("brands/new/", staff_views.brand_edit, name="brand_create"),
    path("brands/<uuid:public_id>/edit/", staff_views.brand_edit, name="brand_edit"),
    path("sub-brands/<uuid:public_id>/edit/", staff_views.sub_brand_edit, name="sub_brand_edit"),
    path("sub-brands/<uuid:public_id>/end/", staff_views.sub_brand_end, name="sub_brand_end"),
    path("<uuid:public_id>/", staff_views.partner_detail, name="detail"),
    path("<uuid:public_id>/edit/", staff_views.partner_edit, name="edit"),
    path("<uuid:public_id>/end/", staff_views.partner_end, name="end"),
    path("<uuid:public_id>/merge/", staff_views.partner_merge, name="merge"),
    path("<uuid:public_id>/contact/", staff_views.partner_reveal, name="reveal"),
    path("<uuid:public_id>/agreements/new/", staff_views.agreement_edit, name="agreement_create"),
    path(
        "<uuid:public_id>/agreements/<int:pk>/edit/",
        staff_views.agreement_edit,
        name="agreement_edit",
    ),
    path("<uuid:public_id>/receipts/new/", staff_views.receipt_create, name="receipt_create"),
    path(
        "<uuid:public_id>/receipts/<int:pk>/evidence",
        staff_views.receipt_evidence,
        name="receipt_evidence",
    ),
    path("<uuid:public_id>/sub-brands/new/", staff_views.sub_brand_create, name="sub_brand_create"),
]
