from django.urls import path

from aftersales.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar_list, name="list"),
    path("calculator/", views.calculator, name="calculator"),
    path("<slug:code>/", views.calendar_detail, name="detail"),
    path("<slug:code>/import/", views.statutory_import, name="import"),
    path(
        "<slug:code>/exceptions/<int:pk>/remove/", views.exception_remove, name="exception_remove"
    ),
]
