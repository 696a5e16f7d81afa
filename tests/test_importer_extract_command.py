"""`manage.py jobs_extract`: what the importer reads from a file, printed, with nothing saved."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from importer.extract import values
from tests.loopback_site import LoopbackSite

PAGE = """<html><head><title>Careers</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "JobPosting", "title": "Night Nurse",
 "hiringOrganization": {"name": "St Elsewhere"}, "datePosted": "2026-05-01T08:00:00+02:00"}
</script></head><body></body></html>"""


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("jobs_extract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_postings_of_a_page_as_json(tmp_path):
    page = tmp_path / "posting.html"
    page.write_text(PAGE)
    out, err = run(str(page), "--json")
    [posting] = json.loads(out)
    assert posting["title"] == "Night Nurse"
    assert posting["company"] == "St Elsewhere"
    assert posting["date_posted"] == "2026-05-01"
    assert posting["source"] == "jsonld"
    assert "1 posting(s) found" in err


def test_it_prints_a_readable_listing_and_a_summary(tmp_path):
    page = tmp_path / "posting.html"
    page.write_text(PAGE)
    out, _err = run(str(page))
    assert "title: Night Nurse" in out
    assert out.strip().endswith("1 posting(s) found in posting.html (page); nothing was saved.")


def test_a_board_api_response_is_read_with_source(tmp_path):
    response = tmp_path / "lever.json"
    response.write_text(
        json.dumps(
            [
                {"id": "a", "text": "Welder", "createdAt": 1782214185805, "categories": {}},
                {"id": "b", "text": "Painter", "categories": {"location": "Remote"}},
            ]
        )
    )
    out, _err = run(str(response), "--source", "lever", "--json")
    postings = json.loads(out)
    assert [p["title"] for p in postings] == ["Welder", "Painter"]
    assert postings[0]["date_posted"] == "2026-06-23"
    assert postings[1]["remote"] is True


def test_a_json_ld_file_needs_no_source(tmp_path):
    block = tmp_path / "block.json"
    block.write_text('{"@type": "JobPosting", "name": "Baker", // lenient\n}')
    out, _err = run(str(block), "--json")
    assert [p["title"] for p in json.loads(out)] == ["Baker"]


def test_plain_text_is_a_description_to_check(tmp_path):
    text = tmp_path / "pasted.txt"
    text.write_text("We need a baker.\n\nEarly starts.")
    out, _err = run(str(text), "--source", "text", "--json")
    [posting] = json.loads(out)
    assert posting["description"] == values.description(
        "<p>We need a baker.</p><p>Early starts.</p>", unescape=False
    )
    assert "title" in posting["needs_check"]


def test_a_page_without_a_posting_says_so(tmp_path):
    page = tmp_path / "news.html"
    page.write_text('<script type="application/ld+json">{"@type": "NewsArticle"}</script>')
    out, _err = run(str(page))
    assert "No posting found." in out
    assert "0 posting(s) found" in out


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ('{"jobs": []}', [], "is JSON but not JSON-LD: say whose API response it is"),
        ("not json", ["--source", "greenhouse"], "is not valid JSON"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, content, args, message):
    path = tmp_path / "response.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), *args)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.html"))


def test_an_unknown_source_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}")
    with pytest.raises(CommandError, match="invalid choice"):
        run(str(path), "--source", "monster")


# Links, fetched from a real server on loopback ------------------------------------------------


@pytest.fixture
def site(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    settings.IMPORTER_FETCH_TIMEOUT = 20.0  # a busy test machine is slow, not failing
    server = LoopbackSite().start()
    yield server
    server.stop()


def test_a_link_is_fetched_and_read_with_its_charset(site):
    body = PAGE.replace("Night Nurse", "Infirmière de nuit").encode("latin-1")
    url = site.route("/careers/nurse", body=body, content_type="text/html; charset=ISO-8859-1")
    out, _err = run(url, "--json")
    [posting] = json.loads(out)
    assert posting["title"] == "Infirmière de nuit"
    assert [seen.path for seen in site.requests] == ["/careers/nurse"]


def test_a_known_board_link_is_read_through_its_api(site, settings):
    settings.IMPORTER_GREENHOUSE_API = site.url("/gh")
    site.route(
        "/gh/v1/boards/acme/jobs/77",
        body=json.dumps(
            {"id": 77, "title": "Roofer", "company_name": "Acme", "location": {"name": "Remote"}}
        ).encode(),
        content_type="application/json",
    )
    out, _err = run("https://boards.greenhouse.io/acme/jobs/77", "--json")
    [posting] = json.loads(out)
    assert (posting["title"], posting["company"], posting["remote"]) == ("Roofer", "Acme", True)
    assert posting["url"] == "https://boards.greenhouse.io/acme/jobs/77"
    assert [seen.path for seen in site.requests] == [
        "/gh/v1/boards/acme/jobs/77?pay_transparency=true"
    ]


def test_a_link_that_fails_gets_the_fetchers_message(site):
    with pytest.raises(CommandError, match=r"does not exist \(404\)"):
        run(site.url("/gone"))


def test_a_private_address_is_refused_even_from_the_command(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = False
    with pytest.raises(CommandError, match="private or local network"):
        run("http://127.0.0.1/job")
