"""JobTrax keeps only what the notice lists (sections 1 and 1.1): no documents, no birth dates,
no precise location, no sensitive categories."""

import pytest
from django.apps import apps
from django.db import models

OUR_APPS = {"accounts", "consent", "privacy", "rights", "logs_retention", "jobtrax", "jobs"}
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
