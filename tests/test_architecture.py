"""The shape the code keeps (issue 12): each status changes only through its record's
lifecycle, features reach time limits only through the obligations services, and
no module grows past what one reads in a sitting."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest
from django.apps import apps

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "aftersales"
OWN_APPS = {path.parent.name for path in SRC.glob("*/apps.py")}


def _modules(include_tests: bool = False) -> list[pathlib.Path]:
    return [
        path
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and (include_tests or "tests" not in path.parts)
    ]


def test_no_code_sets_a_status_except_a_lifecycle():
    assignment = re.compile(r"\.status\s*=[^=]|\.status,\s.*=|setattr\([^,]+,\s*[\"']status")
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in _modules()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if assignment.search(line)
    ]
    assert found == []


def test_only_the_obligations_app_imports_its_models():
    found = []
    for path in _modules(include_tests=False):
        if path.relative_to(SRC).parts[0] == "obligations":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "aftersales.obligations.models":
                found.append(str(path.relative_to(SRC)))
    assert found == []


def test_calendars_import_no_accounts_model_and_accounts_import_nothing_from_service():
    def imports(app: str) -> set[str]:
        names = set()
        for path in (SRC / app).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.add(node.module)
        return names

    assert not {m for m in imports("calendars") if m.startswith("aftersales.accounts")}
    assert not {m for m in imports("accounts") if m.startswith("aftersales.service")}


def test_no_module_is_longer_than_500_lines():
    long = {
        str(path.relative_to(SRC)): n
        for path in _modules(include_tests=True)
        if (n := len(path.read_text().splitlines())) > 500
    }
    assert long == {}


@pytest.mark.django_db
def test_every_status_model_has_one_lifecycle_that_names_each_of_its_statuses():
    from aftersales.common.lifecycle import REGISTRY

    # Importing the URL configuration imports every module that declares a lifecycle.
    from aftersales.config import urls  # noqa: F401

    # A lifecycle names its field ("status", or an import run's "outcome").
    fields = {label: life.field for label, life in REGISTRY.items()}
    status_models = {
        model._meta.label_lower: model
        for model in apps.get_models()
        if model._meta.app_label in OWN_APPS
        and not model.__name__.startswith("Historical")
        and any(
            field.name == fields.get(model._meta.label_lower, "status")
            for field in model._meta.fields
        )
    }
    assert set(status_models) == set(REGISTRY)
    for label, model in status_models.items():
        statuses = {value for value, _label in model._meta.get_field(fields[label]).choices}
        life = REGISTRY[label]
        assert set(life.moves) == statuses, label
        assert all(after <= statuses for after in life.moves.values()), label
        assert life.ends(), f"{label} never ends"


def test_rule_ids_are_written_in_full_so_grep_finds_each():
    ranges = re.compile(r"R-[A-Z]+-\d+\s*(\.\.|–)\s*\d+")
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in _modules(include_tests=True)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ranges.search(line)
    ]
    assert found == []
