from django.urls import path

from aftersales.accounts import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("users/me/", api.MeView.as_view(), name="api-me"),
]
