"""Sign-in, password, email, two-factor and session pages speak the site's own layout: the
site's header, its form fields (label above input, checkbox beside its label, help on its own
line) and sentence-case headings and buttons."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, staff_login

VISITOR_PAGES = [
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
]
SIGNED_IN_PAGES = [
    "account_reauthenticate",
    "account_change_password",
    "account_email",
    "usersessions_list",
    "mfa_index",
    "mfa_activate_totp",
]
TITLE_CASE = re.compile(
    r"\b(Sign In|Sign Out|Remember Me|Confirm Access|Password Reset|Change Password|"
    r"Email Addresses|Current Password|New Password|Two-Factor Authentication|"
    r"Authenticator App|Recovery Codes|Sessions)\b"
)


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _assert_site_layout(response) -> None:
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<header class="site-header">' in html
    main = _main(html)
    assert TITLE_CASE.findall(main) == []
    heading = re.search(r"<h1>(.*?)</h1>", main, re.S).group(1).strip()
    assert heading[0].isupper() and not re.search(r" [A-Z][a-z]", heading), heading


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_visitor_account_pages_use_the_site_layout(client, db, name):
    response = client.get(reverse(name))

    _assert_site_layout(response)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages_use_the_site_layout(client_logged_in, name):
    response = client_logged_in.get(reverse(name), follow=True)

    _assert_site_layout(response)


def test_the_sign_in_form_puts_each_part_on_its_own_line(client, db):
    main = _main(client.get(reverse("account_login")).content.decode())

    assert re.search(r'<p class="help"[^>]*><a href="/accounts/password/reset/">'
                     r"Forgot your password\?</a></p>", main)  # fmt: skip
    assert re.search(r'<div class="field checkbox">\s*<label for="id_remember"><input', main)
    assert "Keep me signed in on this device" in main
    assert '<button type="submit">Sign in</button>' in main


def test_the_recovery_codes_page_leads_staff_on_to_the_console(client, staff_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    staff_login(client, staff_user)
    RecoveryCodes.activate(staff_user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    main = _main(client.get(reverse("mfa_view_recovery_codes")).content.decode())

    assert f'href="{reverse("admin:index")}" data-testid="continue-to-console"' in main
    download = main.index('data-testid="download-codes"')
    generate = main.index('data-testid="generate-codes"')
    assert '<section class="danger-zone"' in main[download:generate]
