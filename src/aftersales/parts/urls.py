from django.urls import path

from aftersales.parts import views

app_name = "parts"
urlpatterns = [
    path("parts/", views.overview, name="overview"),
    path("parts/items/<int:pk>/", views.item_ledger, name="item"),
    path("parts/count/", views.count, name="count"),
    path("parts/reconciliation/", views.reconciliation, name="reconciliation"),
    path("parts/reconciliation/close/", views.close_month, name="close_month"),
    path("parts/backups/", views.backup_list, name="backups"),
    path("parts/tool-kits/", views.tool_kits, name="tool_kits"),
    path("parts/tools/<int:pk>/<slug:step>/", views.tool_act, name="tool_act"),
    path("parts/backups/<int:pk>/<slug:step>/", views.backup_act, name="backup_act"),
    path("parts/lend-for-request/<int:pk>/", views.backup_lend, name="lend"),
    path("parts/<slug:kind>/", views.book, name="book"),
    path("work-orders/<int:pk>/parts/", views.order_parts, name="order_parts"),
]
