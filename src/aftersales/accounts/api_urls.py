from django.urls import path

from aftersales.accounts import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("users/me/", api.MeView.as_view(), name="api-me"),
]
