"""In a real browser: each role signs in with password and TOTP and sees its own dashboards,
drawn without breaking the Content Security Policy."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.models import Group

from accounts.roles import OPS, PRIVACY_OFFICER, SUPPORT, roles_sync
from tests.conftest import PASSWORD, make_user


def current_code(secret: str) -> str:
    """The code of the current 30 s step, taken early enough in the step that a slow browser
    still submits it within the same step (the server accepts no drift)."""
    if 30 - time.time() % 30 < 8:
        time.sleep(30 - time.time() % 30 + 0.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


ROLES = {
    "support": (SUPPORT, ["Where users are", "Data-subject requests", "Consent over time"]),
    "privacy": (PRIVACY_OFFICER, ["Where users are", "Data-subject requests", "Consent over time"]),
    "ops": (OPS, ["Retention", "Workers and logs"]),
}
ALL_TITLES = {
    "Where users are",
    "Data-subject requests",
    "Consent over time",
    "Retention",
    "Workers and logs",
}


@pytest.mark.browser
@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
def test_it_shows_each_role_its_dashboards_after_a_two_factor_sign_in(
    live_server, transactional_db, page, role
):
    roles_sync()
    group, titles = ROLES[role]
    member = make_user(f"{role}-staff@example.com", is_staff=True)
    member.groups.add(Group.objects.get(name=group))
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    for i in range(10):
        make_user(f"user{i}@example.com", country="GB", region="ENG")
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("input[name=email], input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(current_code(secret))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))

    module = page.locator("#dashboards-module")
    for title in titles:
        assert module.get_by_role("link", name=title).count() == 1
    for title in ALL_TITLES - set(titles):
        assert module.get_by_role("link", name=title).count() == 0

    module.get_by_role("link", name=titles[0]).click()
    page.wait_for_url(re.compile(r"/admin/dashboards/"))
    chart = page.locator("svg.dash-chart").first
    chart.wait_for()
    assert chart.bounding_box()["height"] > 0
    # The stylesheet applied: bars take their colour from static/admin-dash/dashboards.css.
    if page.locator("rect.dash-bar").count():
        fill = page.locator("rect.dash-bar").first.evaluate("el => getComputedStyle(el).fill")
        assert fill not in ("", "rgb(0, 0, 0)")
    assert violations == []


@pytest.mark.browser
def test_it_walks_new_staff_through_totp_enrolment_in_a_browser(
    live_server, transactional_db, page
):
    from allauth.mfa.models import Authenticator

    roles_sync()
    member = make_user("new-staff@example.com", is_staff=True)
    member.groups.add(Group.objects.get(name=OPS))
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    code = current_code

    page.goto(f"{live_server.url}/admin/")
    page.locator("input[name=email], input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    # No authenticator yet: the console sends them to set one up, without the password again.
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(code(secret))
    page.locator("input[name=code]").press("Enter")  # the consent banner may cover the button
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    types = set(Authenticator.objects.filter(user=member).values_list("type", flat=True))
    assert types == {"totp", "recovery_codes"}

    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    page.locator("input[name=code]").fill(code(secret))
    page.locator("input[name=code]").press("Enter")  # the consent banner may cover the button
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#dashboards-module").get_by_role("link", name="Retention").count() == 1
    assert violations == []
