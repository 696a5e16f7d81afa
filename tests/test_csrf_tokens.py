"""CSRF tokens are masked afresh for every response with one read of the random source
(jobtrax.csrf): each is in Django's exact form, unmasks to the browser's secret, differs on
every response, and passes Django's CSRF check on a real form post."""

import collections

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _check_token_format,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory
from django.urls import reverse

from jobtrax import csrf


def test_a_masked_token_unmasks_to_its_secret():
    secret = _get_new_csrf_string()
    for _ in range(200):
        token = csrf.mask(secret)
        _check_token_format(token)  # Django's own check: raises if the form is wrong
        assert len(token) == 2 * CSRF_SECRET_LENGTH
        assert _unmask_cipher_token(token) == secret


def test_every_token_is_masked_afresh():
    secret = _get_new_csrf_string()
    tokens = {csrf.mask(secret) for _ in range(500)}
    assert len(tokens) == 500


def test_the_mask_draws_every_letter_evenly():
    counts = collections.Counter()
    for _ in range(2000):
        counts.update(csrf.mask("a" * CSRF_SECRET_LENGTH)[:CSRF_SECRET_LENGTH])
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 2000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # about 1,032 each
    # Far outside chance for an unbiased draw (sd about 32), inside it for a modulo bias of 8/248.
    assert max(abs(n - expected) for n in counts.values()) < 160


def test_a_request_with_a_secret_gets_it_masked_and_its_cookie_renewed():
    request = RequestFactory().get("/")
    secret = _get_new_csrf_string()
    request.META["CSRF_COOKIE"] = secret
    token = csrf.get_token(request)
    assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_request_without_a_secret_gets_one_from_django():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    assert len(request.META["CSRF_COOKIE"]) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]


@pytest.mark.django_db
def test_a_form_posted_with_the_pages_token_passes_djangos_check(user, password):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("account_login"))
    html = page.content.decode()
    marker = 'name="csrfmiddlewaretoken" value="'
    token = html[html.index(marker) + len(marker) :].split('"', 1)[0]
    _check_token_format(token)
    response = browser.post(
        reverse("account_login"),
        {"login": user.email, "password": password, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302  # signed in, not a 403
    forged = browser.post(
        reverse("account_logout"), {"csrfmiddlewaretoken": "x" * 2 * CSRF_SECRET_LENGTH}
    )
    assert forged.status_code == 403
