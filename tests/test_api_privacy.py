"""Access tokens in the privacy core: exported without their secret, shown on "Your data",
erased with the account, and deleted a while after they expire or are revoked."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create, token_revoke
from jobtrax import datamap

pytestmark = pytest.mark.django_db


def test_the_export_lists_tokens_with_names_scopes_and_dates_never_the_secret(user):
    from rights.export import write_zip

    token, secret = token_create(user=user, name="Dashboard script", scopes=["jobs:read"])
    target = io.BytesIO()

    write_zip(user_id=user.pk, target=target)

    archive = zipfile.ZipFile(target)
    [exported] = json.loads(archive.read("data.json"))["records"]["api_tokens"]
    assert (exported["name"], exported["scopes"]) == ("Dashboard script", ["jobs:read"])
    assert exported["expires_at"] and exported["created_at"]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert secret not in everything
    assert token.secret_hash not in everything


def test_your_data_links_to_connected_apps_and_the_menu_too(client_logged_in):
    html = client_logged_in.get(reverse("rights:your_data")).content.decode()

    assert html.count(f'href="{reverse("api:connected_apps")}"') >= 2


def test_erasing_an_account_deletes_its_tokens(user, other_user):
    from rights.erasure import erase_account

    token_create(user=user, name="mine", scopes=["jobs:read"])
    theirs, _ = token_create(user=other_user, name="theirs", scopes=["jobs:read"])

    assert erase_account(user_id=user.pk, reason="request")

    assert list(ApiToken.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_tokens_are_deleted_30_days_after_they_end(user):
    from logs_retention.services import retention_run

    now = timezone.now()
    live, _ = token_create(user=user, name="live", scopes=["jobs:read"])
    revoked_long_ago, _ = token_create(user=user, name="old revoked", scopes=["jobs:read"])
    token_revoke(token=revoked_long_ago)
    ApiToken.objects.filter(pk=revoked_long_ago.pk).update(revoked_at=now - timedelta(days=31))
    expired_long_ago, _ = token_create(user=user, name="old expired", scopes=["jobs:read"])
    ApiToken.objects.filter(pk=expired_long_ago.pk).update(expires_at=now - timedelta(days=31))
    revoked_lately, _ = token_create(user=user, name="revoked lately", scopes=["jobs:read"])
    token_revoke(token=revoked_lately)

    retention_run(policy_name="ended_api_tokens")

    assert set(ApiToken.objects.values_list("name", flat=True)) == {"live", "revoked lately"}
    policy = datamap.policy("ended_api_tokens")
    assert (policy.setting, policy.default_days) == ("RETENTION_ENDED_API_TOKEN_DAYS", 30)
