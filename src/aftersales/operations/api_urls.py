from django.urls import path

from aftersales.operations import api

urlpatterns = [path("duty/now/", api.DutyNowView.as_view(), name="duty-now")]
