"""What pages remember per process to stay fast, and how soon they see a change."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, set_script_prefix

from jobtrax import cache as safe_cache
from privacy import services
from privacy.models import NoticeVersion
from tests.notice_versions import current, later


@pytest.fixture
def publish_next(django_capture_on_commit_callbacks):
    def publish() -> NoticeVersion:
        body = current().body + "\n\nA clarification."
        version = services.notice_draft_save(
            version=NoticeVersion(number=later(), body=body, change_summary="Clarified wording.")
        )
        with django_capture_on_commit_callbacks(execute=True):
            return services.notice_publish(version=version)

    return publish


def version_shown(client) -> str:
    """The version the notice page says it is (first-time visitors may get a kept copy of
    the page, rendered by no template of this request)."""
    response = client.get("/privacy/")
    assert response.status_code == HTTPStatus.OK
    match = re.search(r'<p class="small">Version ([0-9.]+) ·', response.content.decode())
    assert match, "the page names its version"
    return match.group(1)


def test_the_notice_page_shows_a_version_published_here_at_once(client, db, publish_next):
    version_shown(client)

    version = publish_next()

    assert version_shown(client) == version.number


def test_the_notice_page_shows_a_version_published_elsewhere_within_seconds(
    client, db, monkeypatch, publish_next
):
    before = version_shown(client)
    now = [1000.0]
    monkeypatch.setattr(safe_cache.time, "monotonic", lambda: now[0])
    version_shown(client)  # remembered at the frozen clock
    version = publish_next()
    # Another process published: this one's memo was not told, only the shared cache.
    stale = NoticeVersion.objects.get(number=before)
    safe_cache._local[services.CURRENT_KEY] = (now[0] + safe_cache.LOCAL_SECONDS, stale)

    assert version_shown(client) == before

    now[0] += safe_cache.LOCAL_SECONDS + 0.1

    assert version_shown(client) == version.number


def test_the_notice_page_reads_no_notice_from_the_database_once_remembered(client, db):
    version_shown(client)

    with CaptureQueriesContext(connection) as queries:
        version_shown(client)

    assert [q["sql"] for q in queries if "privacy_noticeversion" in q["sql"]] == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% url 'privacy:notice' %}", "/sub/privacy/"),
        ("{% url 'privacy:version' number %}", "/sub/privacy/versions/1.0/"),
    ],
)
def test_url_addresses_follow_the_script_prefix(source, expected):
    template = Template(source)
    template.render(Context({"number": "1.0"}))  # remembered without a prefix
    set_script_prefix("/sub/")
    try:
        assert template.render(Context({"number": "1.0"})) == expected
    finally:
        clear_script_prefix()


def test_url_with_a_variable_is_reversed_each_time():
    template = Template("{% url 'privacy:version' number %}")

    assert template.render(Context({"number": "1.0"})) != template.render(
        Context({"number": "2.0"})
    )


def test_the_home_page_builds_its_table_of_what_we_keep_once_per_process(
    client, db, settings, monkeypatch
):
    from jobtrax import views

    safe_cache.local_clear()
    built = []
    real = views._kept_rows
    monkeypatch.setattr(views, "_kept_rows", lambda: built.append(1) or real())
    first, second = client.get("/"), client.get("/")

    assert len(built) == 1

    def table(response) -> str:
        body = response.content.decode()
        return body[body.index('data-testid="kept"') : body.index("</table>")]

    assert table(first) == table(second)
    assert "<td>Request logs</td><td>Anonymised after 90 days</td>" in table(first)
    settings.RETENTION_SECURITY_EVENT_DAYS = 401  # a change of settings is seen at once
    assert "<td>Security event log</td><td>Deleted after 401 days</td>" in (
        client.get("/").content.decode()
    )
    assert len(built) == 2


def test_a_literal_static_file_address_is_asked_of_the_storage_once_per_process(
    settings, monkeypatch
):
    from django.templatetags.static import StaticNode, static

    settings.STATIC_URL = "/assets/"  # a fresh memo, as any change of settings gives
    asked = []
    real = StaticNode.handle_simple.__func__
    monkeypatch.setattr(
        StaticNode,
        "handle_simple",
        classmethod(lambda cls, path: asked.append(path) or real(cls, path)),
    )
    page = Template('<link href="{% static "css/site.css" %}">')

    first, second = page.render(Context()), page.render(Context())

    assert asked.count("css/site.css") == 1
    assert first == second == f'<link href="{static("css/site.css")}">'
    settings.STATIC_URL = "/elsewhere/"
    assert page.render(Context()) == '<link href="/elsewhere/css/site.css">'


def test_a_static_file_named_by_a_variable_is_looked_up_each_time(settings):
    page = Template("{% static name %} {% static 'a b.css' as it %}{{ it }}")

    assert page.render(Context({"name": "one.css"})) == "/static/one.css /static/a%20b.css"
    assert page.render(Context({"name": "two.css"})) == "/static/two.css /static/a%20b.css"


def test_a_version_published_right_after_a_migration_dated_ahead_is_still_current(
    client, db, publish_next
):
    from datetime import timedelta

    from django.utils import timezone

    ahead = current()
    NoticeVersion.objects.filter(pk=ahead.pk).update(
        published_at=timezone.now() + timedelta(seconds=5)
    )
    services._forget_cached_versions()

    version = publish_next()

    assert version.published_at > NoticeVersion.objects.get(pk=ahead.pk).published_at
    assert version_shown(client) == version.number
