"""In a real browser: each role signs in with password and TOTP and sees its own dashboards,
drawn without breaking the Content Security Policy."""

import re

import pytest
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.models import Group

from accounts.roles import OPS, PRIVACY_OFFICER, SUPPORT, roles_sync
from tests.conftest import PASSWORD, make_user


class TotpClock:
    """The clock the server checks TOTP codes against, set by the test: each code is taken in
    a fresh 30 s step, mid-step, so a slow browser never waits for one or misses it."""

    def __init__(self) -> None:
        self.now = 1_800_000_015.0

    def time(self) -> float:
        return self.now

    def code(self, secret: str) -> str:
        self.now += 30
        return format_hotp_value(hotp_value(secret, int(self.now) // 30))


@pytest.fixture
def totp_clock(monkeypatch) -> TotpClock:
    clock = TotpClock()
    monkeypatch.setattr(totp_auth, "time", clock)
    return clock


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
    live_server, transactional_db, page, role, totp_clock
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
    page.locator("input[name=code]").fill(totp_clock.code(secret))
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
    live_server, transactional_db, page, totp_clock
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

    code = totp_clock.code

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
