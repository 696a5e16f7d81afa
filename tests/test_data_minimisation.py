"""JobTrax keeps only what the notice lists (sections 1 and 1.1): no documents, no birth dates,
no precise location, no sensitive categories."""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

PROJECT = Path(__file__).resolve().parents[1]


def _our_apps() -> set[str]:
    """Every installed app whose code lives in this project: a new app is scanned too."""
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(PROJECT)
        and "site-packages" not in Path(config.path).parts  # a virtualenv inside the checkout
    }


OUR_APPS = _our_apps()
SENSITIVE_NAMES = (
    "birth", "dob", "age_years", "ssn", "passport", "national_id", "tax_id", "health",
    "resume", "cv_", "cover_letter", "latitude", "longitude", "city", "postal", "zip_code",
    "street", "phone", "card_number", "iban",
)  # fmt: skip


def our_fields():
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            for field in model._meta.get_fields():
                if isinstance(field, models.Field):
                    yield model, field


def test_it_scans_every_app_of_the_project():
    folders = {
        path.parent.name
        for path in PROJECT.glob("*/apps.py")
        if (path.parent / "__init__.py").exists()
    }

    assert {"importer", "support", "assistant", "jobs", "accounts"} <= OUR_APPS
    assert folders <= OUR_APPS
    assert "auth" not in OUR_APPS and "account" not in OUR_APPS


def test_only_data_exports_store_files():
    file_fields = {
        f"{model._meta.label}.{field.name}"
        for model, field in our_fields()
        if isinstance(field, models.FileField)
    }

    assert file_fields == {"rights.DataExport.file"}


@pytest.mark.parametrize("fragment", SENSITIVE_NAMES)
def test_no_model_has_a_field_for_sensitive_or_precise_data(fragment):
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model, field in our_fields()
        if fragment in field.name.lower()
    ]

    assert offenders == []
