"""Messages are stored as Django stores them (a cookie, then the session), with the storages
made only when a request uses messages (jobtrax.messages)."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpResponse

from jobtrax.messages import LazyFallbackStorage


def test_a_request_that_uses_no_message_makes_no_storage(rf):
    request = rf.get("/")
    storage = LazyFallbackStorage(request)
    storage.update(HttpResponse())
    assert "storages" not in vars(storage)


def test_a_message_goes_into_the_cookie_and_comes_back_once(rf):
    request = rf.get("/")
    request.session = {}
    storage = LazyFallbackStorage(request)
    storage.add(messages.SUCCESS, "The job is on your board.")
    response = HttpResponse()
    storage.update(response)
    assert [type(s) for s in storage.storages] == [CookieStorage, SessionStorage]
    cookie = response.cookies[CookieStorage.cookie_name].value

    later = rf.get("/")
    later.COOKIES[CookieStorage.cookie_name] = cookie
    later.session = {}
    shown = [str(m) for m in LazyFallbackStorage(later)]
    assert shown == ["The job is on your board."]


@pytest.mark.django_db
def test_the_site_uses_it(client, user):
    client.force_login(user)
    response = client.get("/jobs/")
    assert isinstance(response.wsgi_request._messages, LazyFallbackStorage)
