"""Steps a person takes in the browser, shared by the end-to-end tests."""

import re
from urllib.parse import urlsplit


def answer_the_cookie_banner(page) -> None:
    """Like a visitor would, turn down optional cookies so the banner stops covering the page."""
    banner = page.locator("#consent-banner")
    if banner.count() and banner.is_visible():
        banner.get_by_role("button", name=re.compile("reject", re.IGNORECASE)).click()
        try:
            banner.wait_for(state="detached", timeout=7_500)
        except Exception:  # noqa: BLE001 - under a loaded parallel run a click can be lost
            if banner.count() and banner.is_visible():
                banner.get_by_role("button", name=re.compile("reject", re.IGNORECASE)).click()
            banner.wait_for(state="detached")


def sign_up(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/signup/")
    answer_the_cookie_banner(page)
    page.locator("input[name=email], input[name=login]").fill(email)
    page.locator("input[name=password1]").fill(password)
    page.locator("input[name=password2]").fill(password)
    page.get_by_label("I am 18 or older").check()
    page.locator("form:has(input[name=password1]) [type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))


def verification_path(mailoutbox, email: str) -> str:
    [message] = [m for m in mailoutbox if m.to == [email]]
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def verify_email(page, base_url: str, mailoutbox, email: str) -> None:
    page.goto(f"{base_url}{verification_path(mailoutbox, email)}")
    page.locator("main form [type=submit]").click()
    # In the browser that signed up, confirming signs the person in and opens the board.
    page.wait_for_url(re.compile(r"/jobs/$|/accounts/login/"))


def sign_in(page, base_url: str, email: str, password: str) -> None:
    if re.search(r"/jobs/$", page.url):  # already signed in by confirming the address
        return
    if "/accounts/login/" not in page.url:
        page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=email], input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r"/jobs/$"))
