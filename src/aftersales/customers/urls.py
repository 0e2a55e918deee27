from django.urls import path

from aftersales.customers import catalogue, views

app_name = "customers"
urlpatterns = [
    path("customers/", views.customer_list, name="list"),
    path("customers/new/", views.customer_create, name="create"),
    path("customers/<int:pk>/", views.customer_detail, name="detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="edit"),
    path("customers/<int:pk>/sites/new/", views.site_create, name="site_create"),
    path("customers/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("customers/<int:pk>/contracts/new/", views.contract_create, name="contract_create"),
    path("equipment/", views.equipment_list, name="equipment_list"),
    path("equipment/new/", views.equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/", views.equipment_detail, name="equipment_detail"),
    path("equipment/<int:pk>/edit/", views.equipment_edit, name="equipment_edit"),
    path("product-models/", catalogue.product_model_list, name="product_models"),
    path("product-models/<int:pk>/", catalogue.product_model_detail, name="product_model"),
]
