from django.urls import path

from aftersales.returns import views

app_name = "returns"
urlpatterns = [
    path("returns/", views.return_list, name="list"),
    path("returns/new/", views.return_create, name="create"),
    path("returns/unpacking/", views.unpacking, name="unpacking"),
    path("returns/<int:pk>/", views.return_detail, name="detail"),
]
