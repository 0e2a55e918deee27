import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db

OUR_APPS = {
    "accounts",
    "common",
    "customers",
    "calendars",
    "obligations",
    "service",
    "parts",
    "complaints",
}


def test_every_model_of_ours_is_in_the_admin():
    shown_inline = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not model.__name__.startswith("Historical")
        and model not in admin.site._registry
        and model not in shown_inline
    ]
    assert missing == []


def test_every_admin_list_opens(admin_client):
    for model, _model_admin in admin.site._registry.items():
        if model._meta.app_label in OUR_APPS:
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            assert admin_client.get(url).status_code == 200, url
