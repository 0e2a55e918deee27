from django.urls import path

from aftersales.maintenance import views, views_availability, views_onsite

app_name = "maintenance"
urlpatterns = [
    path("maintenance/", views.plan_list, name="plans"),
    path("maintenance/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("maintenance/inspections/", views.inspection_list, name="inspections"),
    path("maintenance/inspections/new/", views.inspection_start, name="inspection_start"),
    path("maintenance/inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("maintenance/inspections/<int:pk>/pdf/", views.inspection_pdf, name="inspection_pdf"),
    path("maintenance/availability/", views_availability.availability_list, name="availability"),
    path("maintenance/installations/", views_onsite.installation_list, name="installations"),
    path(
        "maintenance/installations/<int:pk>/",
        views_onsite.installation_detail,
        name="installation",
    ),
    path(
        "maintenance/installations/<int:pk>/pdf/",
        views_onsite.installation_pdf,
        name="installation_pdf",
    ),
    path("maintenance/upgrades/new/", views_onsite.upgrade_new, name="upgrade_new"),
    path("maintenance/upgrades/<int:pk>/", views_onsite.upgrade_detail, name="upgrade"),
    path("maintenance/upgrades/<int:pk>/pdf/", views_onsite.upgrade_pdf, name="upgrade_pdf"),
    path("maintenance/training/", views_onsite.training_list, name="trainings"),
    path("maintenance/training/<int:pk>/", views_onsite.training_detail, name="training"),
    path("maintenance/training/<int:pk>/pdf/", views_onsite.training_pdf, name="training_pdf"),
    path("maintenance/checklists/", views.checklist_list, name="checklists"),
    path("maintenance/checklists/new/", views.checklist_detail, name="checklist_new"),
    path("maintenance/checklists/<int:pk>/", views.checklist_detail, name="checklist"),
]
