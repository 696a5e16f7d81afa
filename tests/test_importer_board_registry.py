"""The board registry: one module per ATS, found on its own. A new ATS is one new file (and
its tests): its links import through the real flow, with no migration and no other edit."""

import json
import sys
import textwrap
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

import importer.boards
import importer.services
from importer.boards import board_for_url, is_board, parse
from importer.boards.registry import unregister_board
from importer.models import ImportPreview
from importer.services import read_link
from tests.loopback_site import LoopbackSite

START = "/jobs/import/"

# --- the job boards that publish a list of recent postings ------------------------------


HIMALAYAS = "https://himalayas.app/companies/micro1/jobs/evaluator"
AGGREGATOR_LINKS = {
    "remoteok": (
        "https://remoteok.com/remote-jobs/remote-backend-engineer-acme-1093211",
        "remoteok",
        "1093211",
    ),
    "remoteok-short": ("https://remoteOK.com/remote-jobs/1137429", "remoteok", "1137429"),
    "remotive": (
        "https://remotive.com/remote-jobs/software-dev/senior-python-engineer-1234567",
        "remotive",
        "1234567",
    ),
    "jobicy": ("https://jobicy.com/jobs/154084-staff-engineer", "jobicy", "154084"),
    "arbeitnow": (
        "https://www.arbeitnow.com/jobs/companies/doctolib/werkstudent-72879",
        "arbeitnow",
        "werkstudent-72879",
    ),
    "himalayas": (HIMALAYAS, "himalayas", HIMALAYAS),
}


@pytest.mark.parametrize(
    ("link", "source", "job_id"), AGGREGATOR_LINKS.values(), ids=AGGREGATOR_LINKS.keys()
)
def test_the_job_boards_links_are_recognised(link, source, job_id):
    ref = board_for_url(link)

    assert (ref.source, ref.job_id) == (source, job_id)
    assert is_board(source)


@pytest.mark.parametrize(
    "link",
    [
        "https://remoteok.com/remote-jobs",
        "https://remoteok.com/remote-jobs/no-id-here",
        "https://jobicy.com/jobs/",
        "https://jobicy.com/jobs/staff-engineer",
        "https://remotive.com/remote-jobs/software-dev",
        "https://himalayas.app/companies/micro1",
    ],
    ids=["remoteok-list", "remoteok-no-id", "jobicy-list", "jobicy-no-id", "remotive-list",
         "himalayas-company"],
)  # fmt: skip
def test_their_other_pages_are_not_postings(link):
    assert board_for_url(link) is None


@pytest.fixture
def jobicy_site(settings):
    site = LoopbackSite().start()
    settings.IMPORTER_JOBICY_API = site.url("/jobicy")
    settings.IMPORTER_ALLOW_LOOPBACK = True
    settings.IMPORTER_FETCH_TIMEOUT = 5.0
    yield site
    site.stop()


def test_a_posting_in_the_boards_list_is_read_from_its_api(jobicy_site, monkeypatch):
    job = {"id": 154084, "jobTitle": "Staff Engineer", "companyName": "Phantom"}
    jobicy_site.route(
        "/jobicy/api/v2/remote-jobs",
        body=json.dumps({"jobs": [{"id": 1, "jobTitle": "Other"}, job]}).encode(),
        content_type="application/json",
    )

    [posting] = _read(jobicy_site, monkeypatch, "/jobs/154084-staff-engineer")

    assert (posting.title, posting.source, posting.board_id) == (
        "Staff Engineer",
        "jobicy",
        "154084",
    )


def test_a_posting_no_longer_in_the_boards_list_is_read_from_its_page(jobicy_site, monkeypatch):
    jobicy_site.route(
        "/jobicy/api/v2/remote-jobs",
        body=json.dumps({"jobs": [{"id": 1, "jobTitle": "Other"}]}).encode(),
        content_type="application/json",
    )
    page = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Old Role"}
    jobicy_site.route(
        "/jobs/154084-staff-engineer",
        body=f'<script type="application/ld+json">{json.dumps(page)}</script>'.encode(),
    )

    [posting] = _read(jobicy_site, monkeypatch, "/jobs/154084-staff-engineer")

    assert (posting.title, posting.source) == ("Old Role", "jsonld")


def _read(site, monkeypatch, path):
    """read_link on a jobicy.com link whose page is served by the loopback site."""
    ref = board_for_url(f"https://jobicy.com{path}")
    monkeypatch.setattr("importer.services.board_for_url", lambda url: ref)
    return read_link(site.url(path))


# --- a new ATS is one new module -------------------------------------------------------

REGISTERED = """
    from importer.boards.common import listed
    from importer.boards.registry import Api, register_board
    from importer.extract import values
    from importer.posting import Posting


    def to_posting(job, ref):
        return Posting(
            title=values.text(job.get("name")),
            company=values.text(job.get("employer")),
            source="fictionalats",
            board_id=values.text(job.get("id")),
        )


    register_board(
        "fictionalats",
        hosts=("careers.fictional-ats.example",),
        links=("/{board}/openings/{id}",),
        id_pattern=r"[0-9]{1,12}",
        api=Api("IMPORTER_FICTIONALATS_API", "https://api.fictional-ats.example",
                "/v2/{board}/openings/{id}"),
        items=lambda data: listed(data, "opening"),
        to_posting=to_posting,
    )
"""
# The older style, with module-level names, as the first adapters were written.
MODULE_LEVEL = """
    from importer.boards.common import api, listed
    from importer.extract import values
    from importer.posting import Posting

    SOURCE = "fictionalats"
    HOSTS = ("careers.fictional-ats.example",)


    def match(host, path, query):
        if host not in HOSTS or len(path) != 3 or path[1] != "openings":
            return None
        board, job_id = path[0], path[2]
        return board, job_id, [api("IMPORTER_FICTIONALATS_API", f"/v2/{board}/openings/{job_id}")]


    def items(data):
        return listed(data, "opening")


    def to_posting(job, ref):
        return Posting(
            title=values.text(job.get("name")),
            company=values.text(job.get("employer")),
            source=SOURCE,
            board_id=values.text(job.get("id")),
        )
"""
LINK = "https://careers.fictional-ats.example/umbrella/openings/31337"


@pytest.fixture(params=[REGISTERED, MODULE_LEVEL], ids=["register-call", "module-level-names"])
def new_ats(request, tmp_path, settings):
    """A board module dropped beside the others (a folder added to the package's path), and
    an API for it on loopback."""
    folder = tmp_path / "boards"
    folder.mkdir()
    (folder / "fictionalats.py").write_text(textwrap.dedent(request.param))
    importer.boards.__path__.append(str(folder))
    site = LoopbackSite().start()
    opening = {"id": 31337, "name": "Chief Umbrella Officer", "employer": "Umbrella"}
    site.route(
        "/ats/v2/umbrella/openings/31337",
        body=json.dumps({"opening": opening}).encode(),
        content_type="application/json",
    )
    settings.IMPORTER_FICTIONALATS_API = site.url("/ats")
    settings.IMPORTER_ALLOW_LOOPBACK = True
    settings.IMPORTER_FETCH_TIMEOUT = 5.0
    yield site
    site.stop()
    importer.boards.__path__.remove(str(folder))
    unregister_board("fictionalats")
    sys.modules.pop("importer.boards.fictionalats", None)


def test_a_new_ats_module_makes_its_links_import(
    new_ats, client_logged_in, user, django_capture_on_commit_callbacks
):
    from jobs.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        response = client_logged_in.post(START, {"kind": "link", "url": LINK})
    preview = ImportPreview.objects.get(owner=user)
    assert response.status_code == HTTPStatus.FOUND
    url = reverse("importer:preview", args=[preview.pk])
    form = client_logged_in.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["posting"] = "0"

    saved = client_logged_in.post(url, data)

    assert saved.status_code == HTTPStatus.FOUND
    job = Job.objects.get(user=user)
    assert (job.title, job.company) == ("Chief Umbrella Officer", "Umbrella")
    assert (job.channel, job.board, job.board_id) == ("link", "fictionalats", "31337")
    assert [seen.path for seen in new_ats.requests] == ["/ats/v2/umbrella/openings/31337"]
    # The same posting again, under another link, is a duplicate by its board id.
    assert board_for_url(LINK + "?ref=mail").job_id == "31337"


def test_a_new_ats_needs_no_migration(new_ats, db):
    assert is_board("fictionalats")
    assert parse("fictionalats", {"opening": {"id": 1, "name": "Role"}})[0].title == "Role"

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
