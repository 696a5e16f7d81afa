"""The Permissions-Policy header names only features Chromium knows: an unknown one is
ignored and logged as an error in the console of every page."""

import pytest

pytestmark = [pytest.mark.browser]


def test_chromium_knows_every_feature_the_permissions_policy_names(live_server, db, page):
    logged = []
    page.on("console", lambda message: logged.append(message.text))

    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("load")

    errors = [text for text in logged if "Permissions-Policy" in text]
    assert errors == []


# Features browsers do not know (Chromium logs each as an error; the others ignore them).
UNKNOWN = ("ambient-light-sensor", "attribution-reporting", "bluetooth", "join-ad-interest-group",
           "run-ad-auction", "web-share")  # fmt: skip


def test_the_policy_names_no_feature_browsers_do_not_know():
    from jobtrax.permissions_policy import permissions_policy_header

    named = {part.split("=")[0].strip() for part in permissions_policy_header().split(",")}

    assert named.isdisjoint(UNKNOWN)
    assert {"camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"} <= named
