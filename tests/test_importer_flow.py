"""Three ways in, one preview: a link (read in a task), a pasted page, the bookmarklet.

Sites and ATS APIs are real HTTP servers on loopback (tests/importer_fixtures.py). Every bad
input ends as a clear message and an empty preview, never an exception or a partial job.
"""

import base64
import gzip
import json
import socket

import pytest

from importer import fetch as fetch_module
from importer.models import ImportPreview
from importer.services import (
    MESSAGES,
    ImportRefused,
    message_for,
    posting_from_stored,
    preview_from_bookmarklet,
    preview_from_page,
    preview_read_link,
    preview_start_link,
)
from tests.importer_fixtures import (
    CAREERS_JSONLD,
    GREENHOUSE_LINK,
    LEVER_LINK,
    LINKEDIN_PAGE,
    job_site,
    jsonld_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    server = job_site(settings)
    settings.IMPORTER_FETCH_TIMEOUT = 5.0
    yield server
    server.stop()


def import_link(user, url, capture):
    with capture(execute=True):
        preview = preview_start_link(user=user, url=url)
    preview.refresh_from_db()
    return preview


def postings_of(preview):
    return [posting_from_stored(p) for p in preview.postings]


def encode(data) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# A link -------------------------------------------------------------------------------------


def test_it_reads_a_greenhouse_link_through_the_boards_api(
    user, site, django_capture_on_commit_callbacks
):
    preview = import_link(user, GREENHOUSE_LINK, django_capture_on_commit_callbacks)

    assert preview.status == ImportPreview.Status.READY
    [posting] = postings_of(preview)
    assert posting.title == "Senior Platform Engineer"
    assert posting.company == "Acme Robotics"
    assert posting.source == "greenhouse"
    assert posting.board_id == "4012345"
    assert "<script" not in posting.description and "platform" in posting.description
    assert preview.link == ""
    assert [seen.path for seen in site.requests] == [
        "/greenhouse/v1/boards/acme/jobs/4012345?pay_transparency=true"
    ]


def test_it_reads_a_lever_link_through_the_postings_api(
    user, site, django_capture_on_commit_callbacks
):
    preview = import_link(user, LEVER_LINK, django_capture_on_commit_callbacks)

    [posting] = postings_of(preview)
    assert posting.title == "Product Designer"
    assert posting.workplace == "remote"
    assert posting.salary_min == 60000 and posting.salary_currency == "EUR"
    assert site.requests[0].path.startswith("/lever/v0/postings/nimbus/")


def test_it_reads_a_careers_page_with_json_ld(user, site, django_capture_on_commit_callbacks):
    preview = import_link(
        user, site.url("/careers/data-analyst"), django_capture_on_commit_callbacks
    )

    [posting] = postings_of(preview)
    assert posting.title == "Data Analyst"
    assert posting.company == "Globex"
    assert posting.salary_max == 52000
    assert "onerror" not in posting.description
    assert posting.url == site.url("/careers/data-analyst")


def test_it_queues_the_read_with_the_preview_id_never_the_url(
    user, site, monkeypatch, django_capture_on_commit_callbacks
):
    from importer import tasks

    sent = []
    monkeypatch.setattr(tasks.preview_read, "delay", lambda *args, **kw: sent.append((args, kw)))

    with django_capture_on_commit_callbacks(execute=True):
        preview = preview_start_link(user=user, url=site.url("/careers/data-analyst"))

    assert sent == [((str(preview.pk),), {})]
    assert tasks.preview_read.queue == "imports"


def test_it_reads_a_page_listing_several_postings_and_keeps_them_all(
    user, site, django_capture_on_commit_callbacks
):
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "JobPosting", "title": "Nurse", "hiringOrganization": "Mercy"},
        {"@type": "JobPosting", "title": "Doctor", "hiringOrganization": "Mercy"},
    ]}  # fmt: skip
    url = site.route("/two", body=jsonld_page(graph))

    preview = import_link(user, url, django_capture_on_commit_callbacks)

    assert [p.title for p in postings_of(preview)] == ["Nurse", "Doctor"]


def test_it_limits_each_user_to_sixty_link_imports_an_hour(user, other_user, site, settings):
    settings.IMPORTER_LINK_IMPORTS_PER_HOUR = 60
    for _ in range(60):
        preview_start_link(user=user, url=site.url("/careers/data-analyst"))

    with pytest.raises(ImportRefused) as refused:
        preview_start_link(user=user, url=site.url("/careers/data-analyst"))

    assert refused.value.code == "rate_limited"
    assert ImportPreview.objects.filter(owner=user).count() == 60
    assert preview_start_link(user=other_user, url=site.url("/careers/data-analyst"))


# Bad input through a link (section 6) -------------------------------------------------------


def fifty_megabytes():
    for _ in range(50 * 16):
        yield b"<p>" + b"x" * 65530 + b"</p>"


BAD_LINKS = {
    "private address": (None, "http://10.20.30.40/jobs/1", "blocked_address"),
    "metadata address": (None, "http://169.254.169.254/latest/meta-data/", "blocked_address"),
    "redirect to private": (
        {"status": 302, "headers": {"Location": "http://192.168.0.1/"}}, None, "blocked_address"
    ),
    "redirect loop": ({"status": 302, "headers": {"Location": "/bad"}}, None, "redirect_loop"),
    "dns failure": (None, "https://no-such-host.example.invalid/job", "dns_failure"),
    "50 MB page": ({"stream": fifty_megabytes}, None, "too_large"),
    "gzip bomb": (
        {"body": gzip.compress(b"\0" * (40 * 1024 * 1024)),
         "headers": {"Content-Encoding": "gzip"}}, None, "too_large",
    ),
    "pdf": ({"body": b"%PDF-1.7\n", "content_type": "application/pdf"}, None, "unsupported_type"),
    "image": ({"body": b"\x89PNG\r\n", "content_type": "image/png"}, None, "unsupported_type"),
    "404": ({"status": 404}, None, "not_found"),
    "500": ({"status": 500}, None, "site_error"),
    "no posting": ({"body": b"<html><head></head><body></body></html>"}, None, "no_posting"),
    "json-ld of the wrong type": (
        {"body": b'<html><head><script type="application/ld+json">'
                 b'{"@context": "https://schema.org", "@type": "Organization", "name": "Globex"}'
                 b"</script></head><body></body></html>"}, None, "no_posting",
    ),
    "api answer that is not json": (
        {"body": b"{not json", "content_type": "application/json"}, None, "no_posting",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_LINKS), ids=list(BAD_LINKS))
def test_a_bad_link_ends_as_a_clear_message_and_an_empty_preview(
    user, site, monkeypatch, django_capture_on_commit_callbacks, case
):
    route, url, code = BAD_LINKS[case]
    if route is not None:
        url = site.route("/bad", **route)

    def no_such_host(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_module, "system_resolve", no_such_host)

    preview = import_link(user, url, django_capture_on_commit_callbacks)

    assert preview.status == ImportPreview.Status.FAILED
    assert preview.error == code
    assert preview.postings == []
    assert preview.link == ""
    assert message_for(preview.error) == MESSAGES[code]


def test_a_page_with_ten_thousand_postings_is_refused_clearly(
    user, site, django_capture_on_commit_callbacks
):
    graph = {"@graph": [{"@type": "JobPosting", "title": f"Job {i}"} for i in range(10_000)]}
    url = site.route("/many", body=jsonld_page(graph))

    preview = import_link(user, url, django_capture_on_commit_callbacks)

    assert preview.error == "too_many_postings"
    assert preview.postings == []


@pytest.mark.parametrize(
    "url", ["", "javascript:alert(1)", "file:///etc/passwd", "ftp://x.example/", "http://"]
)
def test_a_link_that_is_not_http_is_refused_before_anything_is_queued(user, url):
    with pytest.raises(ImportRefused) as refused:
        preview_start_link(user=user, url=url)

    assert refused.value.code == "bad_url"
    assert not ImportPreview.objects.exists()


def test_a_preview_already_read_is_not_read_again(user, site, django_capture_on_commit_callbacks):
    preview = import_link(
        user, site.url("/careers/data-analyst"), django_capture_on_commit_callbacks
    )
    requests_before = len(site.requests)

    assert preview_read_link(preview_id=str(preview.pk)) is None
    assert len(site.requests) == requests_before


# A pasted page --------------------------------------------------------------------------------


def test_it_reads_a_pasted_linkedin_style_page_without_fetching_anything(user):
    preview = preview_from_page(user=user, content=LINKEDIN_PAGE)

    assert preview.status == ImportPreview.Status.READY
    [posting] = postings_of(preview)
    assert posting.title == "Backend Developer (Python)"
    assert posting.company == "Initech"
    assert posting.workplace == "remote"


def test_it_keeps_pasted_plain_text_as_the_description_and_asks_for_the_rest(user):
    text = "Backend Developer\n\nWe build <b>things</b> & ship them.\n\n<script>alert(1)</script>"

    preview = preview_from_page(user=user, content=text, url="https://jobs.example/42")

    [posting] = postings_of(preview)
    assert posting.title == ""
    assert "title" in posting.needs_check
    assert posting.url == "https://jobs.example/42"
    assert "<script>" not in posting.description and "alert" not in posting.description
    # Sanitised as the tracker stores it (jobs.sanitize): one policy for every way in.
    assert "<b>things</b> &amp; ship them" in posting.description


def test_a_pasted_page_without_a_posting_is_refused_clearly(user):
    with pytest.raises(ImportRefused) as refused:
        preview_from_page(user=user, content="<html><head></head><body></body></html>")

    assert refused.value.code == "no_posting"
    assert not ImportPreview.objects.exists()


# The bookmarklet's payload ----------------------------------------------------------------------


def payload(**fields):
    return encode({"v": 1, "url": "https://careers.globex.example/jobs/7", **fields})


def test_it_reads_the_json_ld_the_bookmarklet_sent(user):
    sent = payload(
        title="Data Analyst · Globex",
        jsonld=[json.dumps(CAREERS_JSONLD)],
        og={"og:title": "Data Analyst"},
    )

    preview = preview_from_bookmarklet(user=user, payload=sent)

    assert preview.method == ImportPreview.Method.BOOKMARKLET
    [posting] = postings_of(preview)
    assert posting.title == "Data Analyst"
    assert posting.company == "Globex"


def test_it_keeps_the_selected_text_when_the_page_has_no_posting_markup(user):
    sent = payload(selection="Staff Nurse\n\nNight shifts at Mercy.")

    [posting] = postings_of(preview_from_bookmarklet(user=user, payload=sent))

    assert "Night shifts at Mercy." in posting.description
    assert posting.url == "https://careers.globex.example/jobs/7"


def test_a_payload_with_only_the_url_is_imported_as_a_link(
    user, site, django_capture_on_commit_callbacks
):
    sent = encode({"v": 1, "url": site.url("/careers/data-analyst"), "url_only": True})

    with django_capture_on_commit_callbacks(execute=True):
        preview = preview_from_bookmarklet(user=user, payload=sent)
    preview.refresh_from_db()

    assert preview.method == ImportPreview.Method.BOOKMARKLET
    assert [p.title for p in postings_of(preview)] == ["Data Analyst"]
    assert site.requests[0].path == "/careers/data-analyst"


def test_a_known_board_sent_by_the_bookmarklet_is_read_through_its_api(
    user, site, django_capture_on_commit_callbacks
):
    sent = encode({"v": 1, "url": GREENHOUSE_LINK, "jsonld": [], "title": "x"})

    with django_capture_on_commit_callbacks(execute=True):
        preview = preview_from_bookmarklet(user=user, payload=sent)
    preview.refresh_from_db()

    assert [p.source for p in postings_of(preview)] == ["greenhouse"]


TEN_THOUSAND = json.dumps(
    {"@graph": [{"@type": "JobPosting", "title": f"Job {i}"} for i in range(10_000)]}
)
BAD_PAYLOADS = {
    "not base64": ("%%%not*base64!!", "payload_not_base64"),
    "empty": ("", "payload_not_base64"),
    "not json": (encode(b"\x00\x01this is not json"), "payload_not_json"),
    "not utf-8": (encode(b"\xff\xfe\xfa"), "payload_not_json"),
    "a json list": (encode([1, 2, 3]), "payload_invalid"),
    "no version": (encode({"url": "https://a.example/"}), "payload_invalid"),
    "javascript url": (encode({"v": 1, "url": "javascript:alert(1)"}), "payload_invalid"),
    "json-ld not strings": (payload(jsonld=[{"@type": "JobPosting"}]), "payload_invalid"),
    "og not a dict": (payload(og=["og:title"]), "payload_invalid"),
    "10,000 postings": (payload(jsonld=[TEN_THOUSAND]), "payload_too_large"),
    "too many blocks": (payload(jsonld=["{}"] * 21), "payload_too_large"),
    "huge payload": ("A" * 300_000, "payload_too_large"),
    "deeply nested": (encode(b"[" * 60_000 + b"]" * 60_000), "payload_not_json"),
}


@pytest.mark.parametrize("case", list(BAD_PAYLOADS), ids=list(BAD_PAYLOADS))
def test_a_bad_bookmarklet_payload_is_refused_with_a_clear_message(user, case, settings):
    sent, code = BAD_PAYLOADS[case]

    with pytest.raises(ImportRefused) as refused:
        preview_from_bookmarklet(user=user, payload=sent)

    assert refused.value.code == code
    assert refused.value.message.endswith(".")
    assert not ImportPreview.objects.exists()


def test_a_payload_without_a_posting_falls_back_to_reading_the_link(user, site):
    sent = encode({
        "v": 1, "url": site.url("/careers/data-analyst"),
        "jsonld": ['{"@context": "https://schema.org", "@type": "Organization"}'],
    })  # fmt: skip

    preview = preview_from_bookmarklet(user=user, payload=sent)

    assert preview.status == ImportPreview.Status.PENDING
    assert preview.link == site.url("/careers/data-analyst")


HOSTILE = '"><script>alert(document.cookie)</script><img src=x onerror=alert(1)>'


def test_html_and_script_in_any_field_come_out_inert(user):
    posting_data = dict(CAREERS_JSONLD, title=f"Analyst {HOSTILE}", description=HOSTILE * 3)
    posting_data["hiringOrganization"] = {"@type": "Organization", "name": HOSTILE}
    sent = payload(
        title=HOSTILE,
        og={"og:title": HOSTILE, "og:x</script>": HOSTILE},
        jsonld=[json.dumps(posting_data)],
        selection=HOSTILE,
    )

    [posting] = postings_of(preview_from_bookmarklet(user=user, payload=sent))

    assert "<script" not in posting.description and "onerror" not in posting.description
    assert posting.title.startswith("Analyst")
