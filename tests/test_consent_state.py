"""Consent state and the consent log: one entry point, append-only records, GPC rules."""

import pytest
from django.core import signing
from django.test import RequestFactory

from consent import services
from consent.categories import UnknownCategory
from consent.models import ConsentRecord, Method
from consent.state import COOKIE_SALT, cookie_name

CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def make_request(*, user=None, cookie: str | None = None, gpc: bool = False, **meta):
    from django.contrib.auth.models import AnonymousUser

    factory = RequestFactory()
    headers = {"HTTP_USER_AGENT": CHROME_UA, "REMOTE_ADDR": "81.2.69.142", **meta}
    if gpc:
        headers["HTTP_SEC_GPC"] = "1"
    request = factory.get("/privacy/choices/", **headers)
    request.user = user or AnonymousUser()
    if cookie is not None:
        request.COOKIES[cookie_name()] = cookie
    return request


def follow_cookie(request, **kwargs):
    """A next request from the same browser, carrying the cookie the last one set."""
    return make_request(cookie=request._consent_cookie, **kwargs)


def test_it_refuses_everything_optional_until_a_choice_is_made(db):
    state = services.consent_state(request=make_request())

    assert (state.decided, state.analytics, state.marketing, state.gpc) == (
        False,
        False,
        False,
        False,
    )


def test_it_records_a_visitor_choice_with_proof_fields(db):
    request = make_request()

    record = services.consent_record(
        method="accept-all", choices={"analytics": True}, request=request
    )

    record.refresh_from_db()
    assert record.user is None
    assert 8 <= len(record.browser_id) <= 32
    assert (record.analytics, record.marketing, record.method) == (True, False, Method.ACCEPT_ALL)
    assert record.config_version == "1"
    assert record.ip_truncated == "81.2.69.0"
    assert record.browser_family == "Chrome"
    assert record.path == "/privacy/choices/"
    assert record.created_at is not None


def test_it_records_the_privacy_notice_version_shown(db):
    from privacy.services import notice_current

    notice = notice_current()
    assert notice is not None  # the first published notice ships as a data migration

    record = services.consent_record(method="reject-all", request=make_request())

    assert record.notice_version == notice.number


def test_it_reads_a_visitor_state_from_the_cookie_without_a_query(db, django_assert_num_queries):
    first = make_request()
    services.consent_record(method="accept-all", choices={"analytics": True}, request=first)
    later = follow_cookie(first)

    with django_assert_num_queries(0):
        state = services.consent_state(request=later)
        again = services.consent_state(request=later)

    assert state.analytics and state.decided
    assert again is state


def test_it_reads_a_signed_in_state_from_the_latest_record_once_per_request(
    user, django_assert_num_queries
):
    services.consent_record(method="settings", choices={"marketing": True}, user=user)
    services.consent_record(method="custom", choices={"analytics": True}, user=user)
    request = make_request(user=user)

    with django_assert_num_queries(1):
        state = services.consent_state(request=request)
        services.consent_state(request=request)

    assert state.analytics and state.marketing


def test_it_takes_the_account_over_a_browser_cookie_when_signed_in(user):
    browser = make_request()
    services.consent_record(method="accept-all", choices={"analytics": True}, request=browser)
    services.consent_record(method="reject-all", choices={"analytics": False}, user=user)

    state = services.consent_state(request=follow_cookie(browser, user=user))

    assert not state.analytics


@pytest.mark.parametrize(
    "forged",
    [
        "not-signed-at-all",
        signing.dumps({"b": "abcdefghijkl", "r": 1, "v": "1", "a": True}, salt="wrong-salt"),
        signing.dumps({"b": "abcdefghijkl", "a": True}, salt=COOKIE_SALT),  # incomplete
        signing.dumps(["a", "list"], salt=COOKIE_SALT),
        signing.dumps({"b": "x", "r": 1, "v": "1", "a": True}, salt=COOKIE_SALT),
    ],
    ids=["unsigned", "wrong-salt", "incomplete", "a-list", "short-browser-id"],
)
def test_it_never_reads_consent_from_a_forged_or_malformed_cookie(db, forged):
    state = services.consent_state(request=make_request(cookie=forged))

    assert not state.analytics
    assert not state.decided


def test_it_does_not_trust_a_tampered_cookie(db):
    first = make_request()
    services.consent_record(method="reject-all", choices={"analytics": False}, request=first)
    value, _, signature = first._consent_cookie.rpartition(":")
    tampered = f"{value}x:{signature}"

    state = services.consent_state(request=make_request(cookie=tampered))

    assert not state.analytics and not state.decided


def test_it_asks_again_when_the_configuration_version_changes(db, settings):
    first = make_request()
    services.consent_record(method="accept-all", choices={"analytics": True}, request=first)

    settings.CONSENT_CONFIG_VERSION = "2"
    state = services.consent_state(request=follow_cookie(first))

    assert not state.decided
    assert not state.analytics


@pytest.mark.parametrize("category", ["advertising", "", "ANALYTICS"])
def test_it_rejects_an_unknown_category(db, category):
    with pytest.raises(UnknownCategory, match="Unknown consent category"):
        services.consent_record(method="custom", choices={category: True}, request=make_request())

    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("method", ["opt-in", "", "ACCEPT-ALL", "login"])
def test_it_rejects_an_unknown_method(db, method):
    with pytest.raises(services.ConsentError, match="Unknown consent method"):
        services.consent_record(method=method, request=make_request())

    assert not ConsentRecord.objects.exists()


def test_it_refuses_to_switch_off_strictly_necessary_cookies(db):
    with pytest.raises(services.ConsentError, match="cannot be switched off"):
        services.consent_record(
            method="custom", choices={"necessary": False}, request=make_request()
        )


def test_it_refuses_marketing_for_a_visitor(db):
    with pytest.raises(services.ConsentError, match="need an account"):
        services.consent_record(
            method="custom", choices={"marketing": True}, request=make_request()
        )


def test_it_appends_and_never_edits_earlier_records(user):
    first = services.consent_record(method="accept-all", choices={"analytics": True}, user=user)
    services.consent_record(method="withdrawal", choices={"analytics": False}, user=user)

    first.refresh_from_db()
    assert first.analytics is True
    assert ConsentRecord.objects.filter(user=user).count() == 2
    assert not services.consent_state(user=user).analytics


def test_it_keeps_records_as_proof_when_the_account_is_erased(user, other_user):
    services.consent_record(method="accept-all", choices={"analytics": True}, user=user)
    services.consent_record(method="signup", choices={"marketing": True}, user=user)
    services.consent_record(method="signup", choices={"marketing": True}, user=other_user)

    detached = services.consent_detach_account(user_id=user.pk)

    assert detached == 2
    kept = ConsentRecord.objects.filter(user__isnull=True)
    assert kept.count() == 2
    assert all(record.account_closed_at is not None for record in kept)
    assert ConsentRecord.objects.get(user=other_user).account_closed_at is None


def test_it_turns_analytics_and_marketing_off_under_restriction(user):
    from django.utils import timezone

    services.consent_record(
        method="settings", choices={"analytics": True, "marketing": True}, user=user
    )
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])

    state = services.consent_state(user=user)

    assert state.analytics_granted and not state.analytics
    assert state.marketing_granted and not state.marketing
    assert not services.marketing_allowed(user=user)


# --- Global Privacy Control ---------------------------------------------------------------------


def test_it_records_a_gpc_opt_out_once_per_change_of_state(db):
    first = make_request(gpc=True)
    services.consent_apply_gpc(request=first)
    second = follow_cookie(first, gpc=True)
    services.consent_apply_gpc(request=second)
    third = follow_cookie(second, gpc=True)
    services.consent_apply_gpc(request=third)

    records = list(ConsentRecord.objects.all())
    assert [(r.method, r.analytics, r.gpc) for r in records] == [(Method.GPC, False, True)]
    assert services.consent_state(request=third).gpc


def test_a_visitor_without_a_cookie_gets_one_and_no_record_until_it_comes_back(db):
    first = make_request(gpc=True)

    assert services.consent_apply_gpc(request=first) is None

    assert not ConsentRecord.objects.exists()
    assert not services.consent_state(request=first).analytics
    second = follow_cookie(first, gpc=True)
    record = services.consent_apply_gpc(request=second)
    assert record.method == Method.GPC
    assert record.browser_id == services.consent_state(request=second).browser_id


def test_a_replayed_cookie_from_before_the_record_writes_nothing_more(db):
    first = make_request(gpc=True)
    services.consent_apply_gpc(request=first)
    for _ in range(20):
        services.consent_apply_gpc(request=follow_cookie(first, gpc=True))

    assert ConsentRecord.objects.count() == 1


def test_two_hundred_cookieless_gpc_requests_add_no_rows(client, db):
    for _ in range(200):
        client.cookies.clear()
        response = client.get("/", HTTP_SEC_GPC="1")
        assert response.status_code == 200

    assert ConsentRecord.objects.count() == 0


def test_it_opts_out_a_browser_that_had_accepted_when_gpc_arrives(db):
    first = make_request()
    services.consent_record(method="accept-all", choices={"analytics": True}, request=first)
    with_gpc = follow_cookie(first, gpc=True)

    services.consent_apply_gpc(request=with_gpc)

    assert ConsentRecord.objects.latest("id").method == Method.GPC
    without_gpc = follow_cookie(with_gpc)
    assert not services.consent_state(request=without_gpc).analytics


def test_it_never_takes_a_later_request_without_the_signal_as_an_opt_in(db):
    first = make_request(gpc=True)
    services.consent_apply_gpc(request=first)

    second = follow_cookie(first, gpc=True)
    services.consent_apply_gpc(request=second)

    later = follow_cookie(second)
    state = services.consent_state(request=later)

    assert not state.analytics
    assert not state.gpc
    assert ConsentRecord.objects.count() == 1


def test_it_opts_out_the_account_too_when_signed_in(user):
    services.consent_record(method="accept-all", choices={"analytics": True}, user=user)

    services.consent_apply_gpc(request=make_request(user=user, gpc=True))

    latest = ConsentRecord.objects.filter(user=user).latest("id")
    assert (latest.method, latest.analytics, latest.gpc) == (Method.GPC, False, True)
    assert not services.consent_state(user=user).analytics


def test_it_lets_the_signal_win_over_an_opt_in(db):
    request = make_request(gpc=True)

    record = services.consent_record(
        method="accept-all", choices={"analytics": True}, request=request
    )

    assert record.analytics is False
    assert record.gpc is True
    assert not services.consent_state(request=request).analytics


def test_it_records_an_explicit_override_as_its_own_method(db):
    first = make_request(gpc=True)
    services.consent_record(method="accept-all", choices={"analytics": True}, request=first)
    second = follow_cookie(first, gpc=True)

    record = services.consent_record(method="gpc-override", request=second)

    assert (record.method, record.analytics, record.gpc_override) == (
        Method.GPC_OVERRIDE,
        True,
        True,
    )
    later = follow_cookie(second, gpc=True)
    assert services.consent_state(request=later).analytics
    services.consent_apply_gpc(request=later)
    assert not ConsentRecord.objects.filter(method=Method.GPC).exists()  # the override holds


def test_it_refuses_an_override_without_a_signal(db):
    with pytest.raises(services.ConsentError, match="no Global Privacy Control signal"):
        services.consent_record(method="gpc-override", request=make_request())


def test_it_does_not_act_on_do_not_track(db):
    request = make_request(HTTP_DNT="1")
    services.consent_apply_gpc(request=request)
    record = services.consent_record(
        method="accept-all", choices={"analytics": True}, request=request
    )

    assert record.analytics is True
    assert record.gpc is False
    assert services.consent_state(request=follow_cookie(request, HTTP_DNT="1")).analytics
    assert not ConsentRecord.objects.filter(method=Method.GPC).exists()


def test_a_change_made_elsewhere_shows_on_the_next_page_of_a_signed_in_session(
    client_logged_in, user
):
    from consent.services import consent_record

    before = client_logged_in.get("/").context["consent"]
    consent_record(method="accept-all", choices={"analytics": True}, user=user)
    after = client_logged_in.get("/").context["consent"]

    assert (before.decided, before.analytics) == (False, False)
    assert (after.decided, after.analytics) == (True, True)


def _state(**overrides):
    from consent.state import ConsentState

    values = {
        "decided": True,
        "analytics_granted": True,
        "marketing_granted": True,
        "gpc_signal": False,
        "gpc_recorded": False,
        "gpc_override": False,
        "restricted": False,
        "browser_id": "b" * 16,
        "record_id": 1,
    }
    values.update(overrides)
    return ConsentState(**values)


@pytest.mark.parametrize(
    ("overrides", "analytics"),
    [
        ({}, True),
        # A record that still grants analytics (its GPC opt-out not written yet, or written
        # for another browser) never beats the signal on this request.
        ({"gpc_signal": True}, False),
        ({"gpc_signal": True, "gpc_recorded": True}, False),
        # Only the explicit per-site override does.
        ({"gpc_signal": True, "gpc_override": True}, True),
        ({"restricted": True}, False),
    ],
)
def test_it_never_runs_analytics_under_a_gpc_signal_whatever_the_record_says(overrides, analytics):
    assert _state(**overrides).analytics is analytics


def test_a_pages_requests_arriving_together_record_the_signal_once(db, monkeypatch, settings):
    """The service worker, the manifest and the icon come with the page's new cookie, each
    before the others' record is committed: one record, not three."""
    from consent.services import consent_apply_gpc

    first = RequestFactory().get("/", HTTP_SEC_GPC="1")
    consent_apply_gpc(request=first)  # no cookie yet: one is given, nothing recorded
    cookie = first._consent_cookie
    # None of them sees another's record yet.
    monkeypatch.setattr(services, "_latest_of_browser", lambda browser_id: (None, 0))
    recorded = []
    for path in ("/", "/sw.js", "/manifest.webmanifest"):
        request = RequestFactory().get(path, HTTP_SEC_GPC="1")
        request.COOKIES[settings.CONSENT_COOKIE_NAME] = cookie
        recorded.append(consent_apply_gpc(request=request))
    assert len([r for r in recorded if r is not None]) == 1
    assert ConsentRecord.objects.filter(method=Method.GPC).count() == 1
