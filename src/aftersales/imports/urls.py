from django.urls import path

from aftersales.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.import_page, name="page"),
    path("imports/<int:pk>/", views.import_result, name="run"),
    path("imports/<int:pk>/progress/", views.import_progress, name="progress"),
    path("imports/template/<slug:kind>/", views.import_template, name="template"),
    path("imports/export/<slug:kind>/", views.import_export, name="export"),
]
