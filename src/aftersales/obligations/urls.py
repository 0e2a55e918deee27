from django.urls import path

from aftersales.obligations import views

app_name = "obligations"
urlpatterns = [
    path("time-limits/", views.monitor, name="monitor"),
    path("time-limits/policies/", views.policy_list, name="policies"),
    path("time-limits/policies/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]
