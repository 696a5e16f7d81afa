"""The personal-data map is complete: every link to the user model is declared by its app."""

from dataclasses import replace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from jobtrax import datamap
from rights import registry


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
    assert not missing, f"declare these in their app's personal_data.py: {sorted(missing)}"


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
    account = next(kind for kind in datamap.kinds() if kind.name == "account")
    assert "password" not in account.export_fields()


def test_it_gives_every_kind_a_purpose_a_basis_a_retention_and_a_source():
    for kind in registry.installed_kinds():
        assert kind.purpose and kind.legal_basis and kind.source and kind.recipients, kind.name
        assert kind.ccpa_category, kind.name
        assert kind.retention, kind.name


def test_a_kind_naming_a_policy_shows_that_policys_window():
    account = next(kind for kind in datamap.kinds() if kind.name == "account")

    assert account.retention_policy == "inactive_accounts"
    assert registry.retention_display(account) == "24 months"


def test_a_kind_kept_for_a_while_in_words_shows_those_words():
    emails = next(kind for kind in datamap.kinds() if kind.name == "email_addresses")

    assert emails.retention_policy is None
    assert registry.retention_display(emails) == "Until you delete your account"


def test_every_policy_a_kind_names_is_declared():
    declared = {policy.name for policy in datamap.policies()}
    named = {kind.retention_policy for kind in datamap.kinds()} - {None}

    assert named <= declared, sorted(named - declared)


def test_a_misspelled_policy_name_is_an_error_not_a_retention_period():
    account = next(kind for kind in datamap.kinds() if kind.name == "account")
    misspelled = replace(account, retention="inactive_acounts")

    with pytest.raises(KeyError, match="inactive_acounts"):
        registry.retention_display(misspelled)
