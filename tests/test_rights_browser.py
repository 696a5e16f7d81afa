"""Rights in Chromium: sign up, export and download the zip, then delete the account."""

import json
import zipfile

import jsonschema
import pytest

from tests.browser_flows import sign_in, sign_up, verify_email
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return live_server.url


def test_it_signs_up_exports_downloads_and_deletes_in_a_browser(site, page, tmp_path, mailoutbox):
    from accounts.models import User

    sign_up(page, site, "carol@example.com", PASSWORD)
    verify_email(page, site, mailoutbox, "carol@example.com")
    sign_in(page, site, "carol@example.com", PASSWORD)
    page.goto(site + "/data/")
    assert page.get_by_test_id("account-fields").get_by_text("carol@example.com").is_visible()

    page.get_by_test_id("export-link").click()
    assert "/reauthenticate/" in page.url  # the password again, even just after sign-in
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_test_id("export-submit").click()
    # The eager job builds the zip before the status page shows; a worker would refresh it.
    assert "Ready to download" in page.get_by_test_id("export-status").inner_text()
    with page.expect_download() as info:
        page.get_by_test_id("export-download").click()
    path = tmp_path / "export.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        jsonschema.validate(data, json.loads(archive.read("schema.json")))
        assert data["records"]["account"][0]["email"] == "carol@example.com"
        assert "README.html" in archive.namelist()

    page.goto(site + "/data/")
    page.get_by_test_id("delete-link").click()
    if "/reauthenticate/" in page.url:  # only if the last confirmation is too old
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.get_by_label("I understand").check()
    page.get_by_test_id("delete-submit").click()
    assert "subject to legal exceptions" in page.get_by_test_id("deletion-started").inner_text()
    assert page.get_by_role("link", name="Sign in").is_visible()
    page.goto(site + "/data/")
    assert "/accounts/login/" in page.url
    assert not User.objects.get(email="carol@example.com").is_active
