"""The personal-data registry is complete: every link to the user model is declared."""

from django.apps import apps
from django.contrib.auth import get_user_model

from privacy.rights import registry


def _links_to_user() -> set[tuple[str, str]]:
    user_model = get_user_model()
    links = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                links.add((model._meta.label_lower, field.name))
    return links


def test_it_declares_every_model_that_points_to_the_user():
    missing = _links_to_user() - registry.covered_links()
    assert not missing, f"add these to privacy/rights/registry.py: {sorted(missing)}"


def test_it_finds_links_from_other_apps_by_introspection():
    links = _links_to_user()
    # allauth's own tables, found without a hand-kept list
    assert ("account.emailaddress", "user") in links
    assert ("usersessions.usersession", "user") in links


def test_it_exports_only_fields_that_exist_and_never_the_password():
    for kind in registry.installed_kinds():
        model = kind.get_model()
        names = {f.name for f in model._meta.concrete_fields} | {
            f.attname for f in model._meta.concrete_fields
        }
        assert set(kind.export_fields()) <= names, kind.name
    account = next(kind for kind in registry.REGISTRY if kind.name == "account")
    assert "password" not in account.export_fields()


def test_it_gives_every_kind_a_purpose_a_basis_a_retention_and_a_source():
    for kind in registry.installed_kinds():
        assert kind.purpose and kind.legal_basis and kind.source and kind.recipients, kind.name
        assert registry.retention_display(kind), kind.name
