"""The signed-in account is read by its key on every request (accounts.models.UserManager.get):
the quick path returns exactly what the ORM does, and fails as it does."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_get_by_key_returns_the_same_account_as_the_orm(user):
    user.country = "DE"
    user.region = "BE"
    user.save()
    quick = User.objects.get(pk=user.pk)
    orm = User.objects.filter(pk=user.pk).get()
    assert type(quick) is User
    assert not quick._state.adding
    assert quick._state.db == orm._state.db
    for field in User._meta.concrete_fields:
        assert getattr(quick, field.attname) == getattr(orm, field.attname), field.name
    assert model_to_dict(quick) == model_to_dict(orm)
    assert quick.country.code == "DE"


def test_a_missing_account_raises_does_not_exist(db):
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987654321)


def test_a_malformed_key_fails_as_in_the_orm(db):
    with pytest.raises((ValueError, TypeError)):
        User.objects.get(pk="not-a-number")


def test_other_lookups_are_the_orms(user):
    assert User.objects.get(email=user.email) == user
    assert User.objects.get(pk=user.pk, is_active=True) == user


def test_the_quick_path_is_one_query_and_is_taken_on_postgresql(user, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        User.objects.get(pk=user.pk)
    if connection.vendor == "postgresql":
        assert "LIMIT" not in captured.captured_queries[0]["sql"]  # not the ORM's statement
