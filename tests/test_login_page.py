"""The sign-in page writes its form out by hand, and stays allauth's LoginForm to the letter."""

from http import HTTPStatus

import pytest
from allauth.account.forms import LoginForm
from django.test import RequestFactory
from django.urls import reverse
from lxml import html

pytestmark = pytest.mark.django_db


def _inputs(content: bytes) -> dict:
    tree = html.fromstring(content)
    form = tree.xpath("//form[@action=$a]", a=reverse("account_login"))[0]
    return {el.get("name"): el for el in form.xpath(".//input") if el.get("name")}


def test_it_renders_every_field_of_allauths_login_form(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == HTTPStatus.OK
    inputs = _inputs(response.content)
    form = LoginForm(request=RequestFactory().get("/"))
    for name, field in form.fields.items():
        assert name in inputs, name
        widget = field.widget
        element = inputs[name]
        assert element.get("id") == f"id_{name}"
        assert element.get("type") == widget.input_type
        for attr in ("autocomplete", "placeholder", "maxlength"):
            if attr in widget.attrs:
                assert element.get(attr) == str(widget.attrs[attr]), (name, attr)


def test_the_help_text_is_the_one_the_password_field_points_to(client):
    tree = html.fromstring(client.get(reverse("account_login")).content)
    described = tree.get_element_by_id("id_password").get("aria-describedby").split()
    for target in described:
        assert tree.get_element_by_id(target) is not None


def test_a_failed_sign_in_keeps_the_address_and_says_why(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "not-the-password"}
    )
    assert response.status_code == HTTPStatus.OK
    inputs = _inputs(response.content)
    assert inputs["login"].get("value") == user.email
    assert inputs["password"].get("value") is None
    assert b'role="alert"' in response.content


def test_the_page_renders_no_widget_templates(client):
    response = client.get(reverse("account_login"))
    names = [template.name for template in response.templates]
    assert not [name for name in names if name and name.startswith("django/forms/widgets/")]


def test_signing_in_still_works(client, user, password):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("jobs:board")).status_code == HTTPStatus.OK
