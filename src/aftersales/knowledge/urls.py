from django.urls import path

from aftersales.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("knowledge/", views.article_list, name="list"),
    path("knowledge/suggest/", views.suggest, name="suggest"),
    path("knowledge/new/", views.article_new, name="new"),
    path("knowledge/<int:pk>/", views.article_detail, name="article"),
    path("knowledge/<int:pk>/edit/", views.article_edit, name="edit"),
    path("knowledge/<int:pk>/vote/", views.article_vote, name="vote"),
    path(
        "knowledge/<int:pk>/<slug:step>/",
        views.article_step,
        name="step",
    ),
    path(
        "knowledge/from-request/<int:pk>/",
        views.article_from_request,
        name="from_request",
    ),
]
