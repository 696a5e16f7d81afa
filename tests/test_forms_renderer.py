"""Widgets rendered in Python (jobtrax.forms_renderer) are byte for byte what Django's own
templates render, for every form of the project and for the awkward cases."""

import datetime
import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from jobtrax.forms_renderer import FastRenderer

pytestmark = pytest.mark.django_db

MODULES = [
    "accounts.forms", "api.forms", "consent.forms", "importer.forms", "inbox.forms",
    "jobs.forms", "jobs.interview_forms", "jobs.worksearch_forms", "rights.forms",
    "support.forms",
]  # fmt: skip


def _project_forms() -> list[type[forms.Form]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def _instances(cls, user) -> list[forms.BaseForm]:
    """The form empty, and bound to junk so its fields render values and errors."""
    made = []
    for kwargs in ({}, {"user": user}):
        for data in (None, {name: "x<&\"'y" for name in cls.base_fields}):
            try:
                made.append(cls(data, **kwargs) if data is not None else cls(**kwargs))
            except TypeError:
                continue
    return made


def _render(form: forms.BaseForm, renderer) -> list[str]:
    form.renderer = renderer
    if form.is_bound:
        form.is_valid()
    return [str(field) for field in form]


@pytest.mark.parametrize(
    "cls", _project_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}"
)
def test_every_project_form_renders_as_djangos_templates_do(cls, user):
    forms_made = _instances(cls, user)
    if not forms_made:
        pytest.skip(f"{cls.__name__} needs arguments this test cannot guess")
    for form in forms_made:
        assert _render(form, FastRenderer()) == _render(form, DjangoTemplates())


class Awkward(forms.Form):
    text = forms.CharField(
        initial='a "quoted" <b>& value',
        widget=forms.TextInput(attrs={"required": True, "disabled": False, "data-x": 3}),
    )
    safe = forms.CharField(widget=forms.TextInput(attrs={"title": mark_safe("<i>ok</i>")}))
    number = forms.DecimalField(initial=Decimal("12.50"))
    day = forms.DateField(initial=datetime.date(2026, 12, 6))
    flag = forms.BooleanField(initial=True, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="p<w")
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=7)
    notes = forms.CharField(widget=forms.Textarea, initial="line 1\n<line 2>")
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("a&b", gettext_lazy("A & B")),
            ("Group <1>", [("g1", "One"), ("g2", "Two")]),
            (3, "Three"),
        ],
        initial="g2",
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("r", "R")], initial="r")


@pytest.mark.parametrize("bound", [False, True])
def test_awkward_values_render_as_djangos_templates_do(bound):
    data = {"text": "<script>", "choice": "a&b", "many": ["y"], "flag": "on"} if bound else None
    assert _render(Awkward(data), FastRenderer()) == _render(Awkward(data), DjangoTemplates())


def test_a_select_with_180_options_renders_in_python(django_assert_num_queries):
    from jobs.forms import JobForm

    html = str(JobForm()["salary_currency"])
    assert html.count("<option") > 150
    assert html == str(JobForm(renderer=DjangoTemplates())["salary_currency"])


def test_inputs_text_areas_and_selects_use_no_template(monkeypatch):
    used = []
    real = DjangoTemplates.get_template
    monkeypatch.setattr(
        DjangoTemplates, "get_template", lambda self, name: used.append(name) or real(self, name)
    )
    form = Awkward()
    form.renderer = FastRenderer()
    for name in ("text", "number", "day", "flag", "secret", "hidden", "notes", "choice", "many"):
        str(form[name])
    assert used == []
    str(form["radio"])  # radio buttons still go through their templates
    assert used
