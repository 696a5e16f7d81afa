"""The signed-in account is read through Redis (accounts.snapshots): a page served from the page
cache asks the database nothing, every write to the account row shows on the next request,
a copy read before a write is never served after it, and the password hash stays in the
database.

These tests commit (transaction=True): the copies are read and kept only outside transactions,
as a request is served."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import snapshots
from accounts.models import User
from jobs import services as job_services
from jobtrax import pagecache

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _account_cache_on(settings, redis_url):
    settings.ACCOUNT_CACHE = True
    settings.PAGE_CACHE = True


def _load(pk) -> tuple[User, int]:
    """The account as the authentication backends load it, and the queries that took."""
    with CaptureQueriesContext(connection) as captured:
        user = User.objects.get(pk=pk)
    return user, len(captured)


def test_the_second_read_of_an_account_comes_from_its_copy(user):
    first, first_queries = _load(user.pk)
    second, second_queries = _load(user.pk)
    assert first_queries == 1
    assert second_queries == 0
    for field in User._meta.concrete_fields:
        if field.attname != "password":
            assert getattr(second, field.attname) == getattr(first, field.attname), field.name
    assert second.country == first.country
    assert not second._state.adding


def test_a_signed_in_page_from_the_page_cache_asks_the_database_nothing(client, user):
    job_services.job_create(user=user, data={"title": "Data engineer"}, channel="manual")
    client.force_login(user)
    client.get(reverse("jobs:board"))  # keeps the account's copy and the page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("jobs:board"))
    assert response.status_code == 200
    assert "Data engineer" in response.content.decode()
    assert [q["sql"] for q in captured] == []


def test_saving_the_account_shows_on_the_next_read(user):
    _load(user.pk)
    user.country = "FR"
    user.save()
    assert _load(user.pk)[0].country.code == "FR"


def test_an_update_without_signals_shows_on_the_next_request(client, user):
    client.force_login(user)
    assert client.get(reverse("jobs:board")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("jobs:board")).status_code == 302  # signed out: inactive


def test_bulk_update_ends_the_copies(user, other_user):
    _load(user.pk), _load(other_user.pk)
    user.region_was_cleared = other_user.region_was_cleared = True
    User.objects.bulk_update([user, other_user], ["region_was_cleared"])
    assert _load(user.pk)[0].region_was_cleared
    assert _load(other_user.pk)[0].region_was_cleared


def test_a_change_of_the_persons_data_shows_on_the_next_board(client, user):
    client.force_login(user)
    client.get(reverse("jobs:board"))
    version = _load(user.pk)[0].data_version
    job_services.job_create(user=user, data={"title": "Platform engineer"}, channel="manual")
    assert _load(user.pk)[0].data_version > version
    assert "Platform engineer" in client.get(reverse("jobs:board")).content.decode()


def test_a_copy_read_before_a_write_is_never_served_after_it(user):
    # A request reads the generation, then the database...
    missing, generation = snapshots.read(User, "default", user.pk)
    assert missing is None and generation
    before = User.objects.filter(pk=user.pk).get()
    # ... another request changes the account and commits...
    User.objects.filter(pk=user.pk).update(country="DE")
    # ... and the first keeps what it read before the change.
    snapshots.keep(before, generation)
    assert snapshots.read(User, "default", user.pk)[0] is None
    assert _load(user.pk)[0].country.code == "DE"


def test_a_write_inside_a_transaction_ends_the_copy_only_once_committed(user):
    _load(user.pk)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(country="IT")
        # Other requests still see the committed row; this transaction reads its own.
        assert snapshots.read(User, "default", user.pk)[0] is not None
        inside, queries = _load(user.pk)
        assert queries == 1 and inside.country.code == "IT"
    assert snapshots.read(User, "default", user.pk)[0] is None
    assert _load(user.pk)[0].country.code == "IT"


def test_a_rolled_back_write_keeps_the_copy(user):
    _load(user.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(country="IT")
        raise RuntimeError
    copy, queries = _load(user.pk)
    assert queries == 0 and copy.country.code != "IT"


def test_the_password_hash_is_never_copied(user, password):
    _load(user.pk)
    kept = cache.get(f"account:{user.pk}")
    assert kept is not None
    assert user.password not in repr(kept)
    assert "argon2" not in repr(kept)
    copy, _ = _load(user.pk)
    assert "password" in copy.get_deferred_fields()
    # Asking for it reads it from the database, and checking it works.
    with CaptureQueriesContext(connection) as captured:
        assert copy.check_password(password)
    assert len(captured) == 1


def test_saving_a_copy_leaves_the_password_alone(user, password):
    _load(user.pk)
    copy, queries = _load(user.pk)
    assert queries == 0
    copy.country = "NL"
    with CaptureQueriesContext(connection) as captured:
        copy.save()
    assert not any('"password"' in q["sql"] for q in captured)
    fresh = User.objects.filter(pk=user.pk).get()
    assert fresh.check_password(password)
    assert fresh.country.code == "NL"


def test_a_password_change_signs_out_the_other_sessions(client, user, password):
    from django.test import Client

    other_device = Client()
    other_device.force_login(user)
    assert other_device.get(reverse("jobs:board")).status_code == 200  # its copy is kept
    user.set_password("a whole new passphrase 2026")
    user.save()
    assert other_device.get(reverse("jobs:board")).status_code == 302


def test_a_copy_kept_under_another_secret_key_is_not_served(user, settings):
    _load(user.pk)
    settings.SECRET_KEY = "another-test-only-key"
    assert snapshots.read(User, "default", user.pk)[0] is None


def test_deleting_the_account_deletes_its_copy(user):
    _load(user.pk)
    pk = user.pk
    assert cache.get(f"account:{pk}") is not None
    user.delete()
    assert cache.get(f"account:{pk}") is None
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=pk)


def test_without_redis_the_account_is_read_from_the_database(client, user, redis_down):
    client.force_login(user)
    assert client.get(reverse("jobs:board")).status_code == 200
    _, queries = _load(user.pk)
    assert queries == 1


def test_without_redis_configured_there_are_no_copies(settings, user):
    settings.ACCOUNT_CACHE = False
    _load(user.pk)
    assert _load(user.pk)[1] == 1
    assert cache.get(f"account:{user.pk}") is None


def test_the_page_cache_version_is_the_one_the_copy_carries(client, user):
    """A page kept at one version is not served once a write raised it, even though the
    account itself was read from its copy."""
    client.force_login(user)
    client.get(reverse("jobs:board"))
    pagecache.bump([user.pk])
    assert _load(user.pk)[0].data_version == User.objects.filter(pk=user.pk).get().data_version
