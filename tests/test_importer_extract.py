"""Job postings from pages: schema.org JobPosting in JSON-LD, as real pages write it."""

import json
from datetime import date
from decimal import Decimal

import pytest

from importer.extract import extract_postings, posting_from_text
from importer.posting import Posting
from jobs.posting import DESCRIPTION_MAX
from jobs.sanitize import sanitize_description


def page(*blocks: str, head: str = "", body: str = "") -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<!DOCTYPE html><html><head>{head}{scripts}</head><body>{body}</body></html>"


def ld(**fields) -> str:
    return json.dumps({"@context": "https://schema.org", "@type": "JobPosting", **fields})


def test_it_reads_a_full_posting():
    [posting] = extract_postings(
        page(
            ld(
                title=" Backend Developer ",
                hiringOrganization={"@type": "Organization", "name": "Nordwind GmbH"},
                jobLocation={
                    "@type": "Place",
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": "Hauptstr. 1",
                        "addressLocality": "Berlin",
                        "addressRegion": "BE",
                        "addressCountry": "DE",
                    },
                },
                employmentType="FULL_TIME",
                datePosted="2026-03-02",
                validThrough="2026-04-30T23:59:59+02:00",
                url="https://careers.example.org/jobs/42",
                identifier={"@type": "PropertyValue", "name": "Nordwind", "value": "42"},
                description="<p>Build <b>APIs</b>.</p>",
            )
        ),
        url="https://careers.example.org/jobs/42",
    )
    assert posting == Posting(
        title="Backend Developer",
        company="Nordwind GmbH",
        location="Berlin, BE, DE",
        employment_type="FULL_TIME",
        date_posted=date(2026, 3, 2),
        valid_through=date(2026, 4, 30),
        url="https://careers.example.org/jobs/42",
        description="<p>Build <b>APIs</b>.</p>",
        source="jsonld",
        board_id="42",
    )


def test_it_finds_postings_inside_a_graph_among_other_types():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Careers"},
            {"@type": "BreadcrumbList", "itemListElement": []},
            {"@type": "JobPosting", "title": "Nurse"},
        ],
    }
    postings = extract_postings(page(json.dumps(graph)))
    assert [p.title for p in postings] == ["Nurse"]


def test_it_reads_top_level_arrays_and_several_blocks_as_several_postings():
    first = json.dumps([{"@type": "JobPosting", "title": "Chef"}, {"@type": "Organization"}])
    second = ld(title="Baker")
    postings = extract_postings(page(first, second))
    assert [p.title for p in postings] == ["Chef", "Baker"]


@pytest.mark.parametrize(
    "type_value",
    [["JobPosting"], ["Thing", "JobPosting"], "schema:JobPosting", "http://schema.org/JobPosting"],
)
def test_it_accepts_the_type_in_every_spelling(type_value):
    block = json.dumps({"@context": "https://schema.org", "@type": type_value, "title": "Welder"})
    assert [p.title for p in extract_postings(page(block))] == ["Welder"]


def test_it_uses_name_when_there_is_no_title():
    [posting] = extract_postings(page(ld(name="Mobile App Developer")))
    assert posting.title == "Mobile App Developer"


@pytest.mark.parametrize(
    "broken",
    [
        # comments, and a trailing comma
        '{"@type": "JobPosting", // the type\n "title": "Driver", /* more */'
        ' "employmentType": "PART_TIME",}',
        # a raw newline inside a string
        '{"@type": "JobPosting", "title": "Driver", "employmentType": "PART\n_TIME"}',
        # wrapped in an HTML comment
        '<!-- {"@type": "JobPosting", "title": "Driver", "employmentType": "PART_TIME"} -->',
    ],
)
def test_it_reads_lenient_json_only_after_strict_parsing_fails(broken):
    [posting] = extract_postings(page(broken))
    assert posting.title == "Driver"
    assert posting.employment_type.replace("\n", "") == "PART_TIME"


def test_a_string_that_looks_like_a_comment_is_kept():
    block = ld(title="Editor // nights", url="https://example.org/a//b")
    [posting] = extract_postings(page(block))
    assert posting.title == "Editor // nights"
    assert posting.url == "https://example.org/a//b"


def test_html_escaped_descriptions_are_unescaped_once_then_sanitised():
    block = ld(
        title="Analyst",
        description="&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        '<img src=x onerror="alert(2)">',
    )
    [posting] = extract_postings(page(block))
    # The tracker's allow-list (jobs.sanitize): no script, no image.
    assert posting.description == "<p>Fish &amp; chips</p>"


def test_descriptions_are_capped_at_the_trackers_cap():
    [posting] = extract_postings(
        page(ld(title="Writer", description="<p>" + "word " * 12_000 + "</p>"))
    )
    assert DESCRIPTION_MAX - 1000 < len(posting.description) <= DESCRIPTION_MAX
    assert posting.description.endswith("</p>")


@pytest.mark.parametrize(
    ("salary", "currency", "expected"),
    [
        (100000, "USD", (Decimal(100000), Decimal(100000), "USD", "")),
        ("100000", "USD", (Decimal(100000), Decimal(100000), "USD", "")),
        ("85,000.50", "GBP", (Decimal("85000.50"), Decimal("85000.50"), "GBP", "")),
        (
            {"@type": "MonetaryAmount", "currency": "EUR", "value": 4200},
            None,
            (Decimal(4200), Decimal(4200), "EUR", ""),
        ),
        (
            {
                "@type": "MonetaryAmount",
                "currency": "USD",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": 40,
                    "maxValue": "55.5",
                    "unitText": "HOUR",
                },
            },
            None,
            (Decimal(40), Decimal("55.5"), "USD", "hour"),
        ),
        (
            {
                "@type": "MonetaryAmount",
                "currency": "CAD",
                "value": {"@type": "QuantitativeValue", "value": 90000, "unitText": "YEAR"},
            },
            None,
            (Decimal(90000), Decimal(90000), "CAD", "year"),
        ),
        (
            {"@type": "MonetaryAmount", "minValue": 3000, "maxValue": 3500, "unitText": "MONTH"},
            "CHF",
            (Decimal(3000), Decimal(3500), "CHF", "month"),
        ),
        ("$90k - $105k", None, (Decimal(90000), Decimal(105000), "USD", "")),
        (0, "USD", (None, None, "", "")),
        (
            {"@type": "MonetaryAmount", "currency": "USD", "value": {"minValue": 0, "maxValue": 0}},
            None,
            (None, None, "", ""),
        ),
    ],
)
def test_it_reads_base_salary_in_every_form(salary, currency, expected):
    fields = {"title": "Tester", "baseSalary": salary}
    if currency:
        fields["salaryCurrency"] = currency
    [posting] = extract_postings(page(ld(**fields)))
    got = (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_interval)
    assert got == expected


def test_telecommute_is_remote_and_the_applicant_location_is_the_location():
    block = ld(
        title="Support Engineer",
        jobLocationType="TELECOMMUTE",
        applicantLocationRequirements=[
            {"@type": "Country", "name": "Canada"},
            {"@type": "Country", "name": "USA"},
        ],
    )
    [posting] = extract_postings(page(block))
    assert (posting.remote, posting.workplace, posting.location) == (True, "remote", "Canada, USA")


def test_applicant_location_is_the_location_without_a_job_location_even_when_not_remote():
    [posting] = extract_postings(
        page(ld(name="Telecommute from anywhere", applicantLocationRequirements={"name": "USA"}))
    )
    assert (posting.location, posting.remote) == ("USA", None)


def test_a_hybrid_location_label_is_not_remote():
    [posting] = extract_postings(page(ld(title="Designer", jobLocation="Hybrid - London")))
    assert (posting.remote, posting.workplace) == (False, "hybrid")


@pytest.mark.parametrize(
    ("organisation", "company"),
    [
        ("Acme Ltd", "Acme Ltd"),
        ({"@type": "Organization", "name": " Acme Ltd "}, "Acme Ltd"),
        ([{"@type": "Organization", "name": "Acme Ltd"}], "Acme Ltd"),
    ],
)
def test_hiring_organisation_as_a_string_or_an_object(organisation, company):
    [posting] = extract_postings(page(ld(title="Clerk", hiringOrganization=organisation)))
    assert posting.company == company


def test_references_by_id_inside_a_graph_are_followed():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Graph Corp"},
            {"@type": "JobPosting", "title": "Cook", "hiringOrganization": {"@id": "#org"}},
        ],
    }
    [posting] = extract_postings(page(json.dumps(graph)))
    assert posting.company == "Graph Corp"


@pytest.mark.parametrize(
    "location",
    [
        [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": "Lyon",
                    "addressCountry": "FR",
                },
            },
            {
                "@type": "Place",
                "address": {
                    "addressLocality": "Paris",
                    "addressCountry": {"@type": "Country", "name": "FR"},
                },
            },
        ],
    ],
)
def test_several_job_locations_are_all_kept(location):
    [posting] = extract_postings(page(ld(title="Sales", jobLocation=location)))
    assert posting.location == "Lyon, FR; Paris, FR"


def test_a_postal_address_given_directly_is_a_location():
    address = {
        "@type": "PostalAddress",
        "addressLocality": "Leeds",
        "addressRegion": "",
        "addressCountry": "GB",
    }
    [posting] = extract_postings(page(ld(title="Porter", jobLocation=address)))
    assert posting.location == "Leeds, GB"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-08-06T23:50:10-04:00", date(2026, 8, 6)),  # as written, not converted to UTC
        ("2026-08-06T01:00:00+09:00", date(2026, 8, 6)),
        ("2026-08-06", date(2026, 8, 6)),
        ("2026-09-18 13:27:28 UTC", date(2026, 9, 18)),
        ("Posted 30+ Days Ago", None),
        ("2026-02-30", None),
    ],
)
def test_date_posted_keeps_the_written_calendar_date(written, expected):
    [posting] = extract_postings(page(ld(title="Guard", datePosted=written)))
    assert posting.date_posted == expected


def test_strings_are_trimmed_but_otherwise_as_given():
    [posting] = extract_postings(
        page(
            ld(
                title="  Mec\u00c3\u00a1nico  Automotriz ",
                employmentType=["FULL_TIME", "CONTRACTOR"],
            )
        )
    )
    assert posting.title == "Mec\u00c3\u00a1nico  Automotriz"
    assert posting.employment_type == "FULL_TIME, CONTRACTOR"


def test_a_relative_url_is_resolved_against_the_page():
    [posting] = extract_postings(
        page(ld(title="Pilot", url="/jobs/7")), url="https://example.org/careers/"
    )
    assert posting.url == "https://example.org/jobs/7"


def test_bytes_are_decoded_with_the_header_charset():
    body = page(ld(title="Ingénieur")).encode("latin-1")
    [posting] = extract_postings(body, content_type="text/html; charset=ISO-8859-1")
    assert posting.title == "Ingénieur"


def test_bytes_are_decoded_with_the_meta_charset():
    body = page(ld(title="Ingénieur"), head='<meta charset="windows-1252">').encode("cp1252")
    [posting] = extract_postings(body)
    assert posting.title == "Ingénieur"


def test_undeclared_utf8_bytes_are_detected():
    body = page(
        json.dumps({"@type": "JobPosting", "title": "Ingénieure données"}, ensure_ascii=False)
    )
    [posting] = extract_postings(body.encode("utf-8"))
    assert posting.title == "Ingénieure données"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff\xfe garbage",
        "<html><body>no markup</body></html>",
        page("{not json at all"),
        page('{"@type": "JobPosting"}'),  # no title: not a usable posting
        page("[" * 5000 + "]" * 5000),
        page(json.dumps({"@type": "NewsArticle", "headline": "Markets"})),
    ],
)
def test_malformed_or_foreign_input_gives_no_posting_and_no_error(content):
    assert extract_postings(content) == []


def test_the_number_of_postings_taken_from_one_page_is_bounded():
    many = json.dumps([{"@type": "JobPosting", "title": f"Job {n}"} for n in range(10_000)])
    assert len(extract_postings(page(many))) == 50


def test_pasted_text_is_the_description_and_everything_else_needs_checking():
    posting = posting_from_text("Senior <Chef>\n\nWe cook & serve.\nDaily.")
    # What the tracker stores, by its one description policy (jobs.sanitize).
    assert posting.description == sanitize_description(
        "<p>Senior &lt;Chef&gt;</p><p>We cook &amp; serve.<br>Daily.</p>"
    )
    assert posting.source == "text"
    assert posting.title == ""
    assert {"title", "company", "location"} <= set(posting.needs_check)


def test_form_initial_and_json_views_of_a_posting():
    posting = Posting(
        title="Chef",
        salary_min=Decimal("3750"),
        salary_max=Decimal("52.5"),
        date_posted=date(2026, 1, 2),
        source="jsonld",
        needs_check=("company",),
    )
    assert posting.as_form_initial() == {
        "title": "Chef",
        "workplace": "unknown",
        "salary_min": Decimal("3750"),
        "salary_max": Decimal("52.5"),
        "date_posted": date(2026, 1, 2),
        "source": "jsonld",
    }
    data = posting.as_json()
    assert list(data)[:11] == [
        "title",
        "company",
        "location",
        "remote",
        "employment_type",
        "salary_min",
        "salary_max",
        "salary_currency",
        "salary_interval",
        "date_posted",
        "url",
    ]
    assert (data["salary_min"], data["salary_max"], data["date_posted"]) == (
        3750,
        52.5,
        "2026-01-02",
    )
    assert (data["company"], data["remote"], data["needs_check"]) == (None, None, ["company"])
    assert json.loads(json.dumps(data)) == data


def test_the_type_is_recognised_in_any_letter_case():
    block = json.dumps({"@type": "jobposting", "title": "Roofer"})
    assert [p.title for p in extract_postings(page(block))] == ["Roofer"]


def test_a_block_written_with_html_entities_is_read():
    block = "{&quot;@type&quot;: &quot;JobPosting&quot;, &quot;title&quot;: &quot;Tiler&quot;}"
    assert [p.title for p in extract_postings(page(block))] == ["Tiler"]


@pytest.mark.parametrize("joiner", ["", ",", "\n"])
def test_objects_written_one_after_another_are_each_read(joiner):
    block = ld(title="First") + joiner + ld(title="Second")
    assert [p.title for p in extract_postings(page(block))] == ["First", "Second"]


def test_a_posting_repeated_on_the_page_is_kept_once():
    block = ld(title="Glazier", datePosted="2026-01-05")
    assert [p.title for p in extract_postings(page(block, block))] == ["Glazier"]


@pytest.mark.parametrize(
    ("fields", "page_url", "expected"),
    [
        ({"url": "javascript:alert(1)"}, "", ""),
        ({"url": "data:text/html,hi"}, "https://example.org/p", "https://example.org/p"),
        (
            {"applicationContact": {"url": "https://apply.example.org/7"}},
            "",
            "https://apply.example.org/7",
        ),
        ({}, "https://example.org/jobs/7?ref=x", "https://example.org/jobs/7?ref=x"),
        (
            {"url": "https://example.org/jobs/8"},
            "https://example.org/jobs/7",
            "https://example.org/jobs/8",
        ),
    ],
)
def test_the_url_is_a_web_address_from_the_posting_then_its_apply_link_then_the_page(
    fields, page_url, expected
):
    [posting] = extract_postings(page(ld(title="Mason", **fields)), url=page_url)
    assert posting.url == expected


def test_a_list_of_addresses_in_one_place_is_joined():
    location = {
        "@type": "Place",
        "address": [
            {"@type": "PostalAddress", "addressLocality": "Oslo", "addressCountry": "NO"},
            {"@type": "PostalAddress", "addressLocality": "Bergen", "addressCountry": "NO"},
        ],
    }
    [posting] = extract_postings(page(ld(title="Skipper", jobLocation=location)))
    assert posting.location == "Oslo, NO; Bergen, NO"


def test_undeclared_windows_1252_bytes_are_detected():
    block = json.dumps(
        {
            "@type": "JobPosting",
            "title": "Ingénieur d'études électricité",
            "description": "Vous êtes passionné par l'énergie et la sécurité. Équipe très engagée.",
        },
        ensure_ascii=False,
    )
    [posting] = extract_postings(page(block, body="<p>Délai très court.</p>").encode("cp1252"))
    assert posting.title == "Ingénieur d'études électricité"


def test_a_hybrid_location_type_is_hybrid():
    [posting] = extract_postings(page(ld(title="Planner", jobLocationType="HYBRID")))
    assert (posting.workplace, posting.remote) == ("hybrid", False)


def test_a_plain_text_description_keeps_its_paragraphs():
    [posting] = extract_postings(
        page(ld(title="Cook", description="Hot kitchen.\nEarly shifts.\n\nPay: 5 < 6 & more."))
    )
    assert (
        posting.description
        == "<p>Hot kitchen.<br>Early shifts.</p><p>Pay: 5 &lt; 6 &amp; more.</p>"
    )


def test_a_quantitative_value_written_as_text_is_read():
    salary = {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {"@type": "QuantitativeValue", "value": "50,000 - 60,000", "unitText": "YEAR"},
    }
    [posting] = extract_postings(page(ld(title="Surveyor", baseSalary=salary)))
    got = (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_interval)
    assert got == (Decimal(50000), Decimal(60000), "GBP", "year")


def test_a_job_board_page_as_they_are_written():
    # The shape a large job board's guest page uses: escaped HTML, nulls, a Place with
    # coordinates, milliseconds and a UTC offset, a WebPage wrapper around the posting.
    block = {
        "@context": "http://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": "https://board.example/jobs/99#page"},
            {
                "@type": "WebPage",
                "mainEntity": {
                    "@type": ["JobPosting"],
                    "title": "Staff Engineer, Payments ",
                    "datePosted": "2026-01-15T23:12:34.000-0800",
                    "validThrough": "2026-02-14T08:12:34.000Z",
                    "description": "&lt;p&gt;Own &lt;strong&gt;payments&lt;/strong&gt;.&lt;/p&gt;",
                    "employmentType": "FULL_TIME",
                    "hiringOrganization": {
                        "@type": "Organization",
                        "name": "Acme Pay",
                        "sameAs": "https://acme.example",
                        "logo": "https://acme.example/logo.png",
                    },
                    "jobLocation": {
                        "@type": "Place",
                        "address": {
                            "@type": "PostalAddress",
                            "streetAddress": None,
                            "addressLocality": "San Francisco",
                            "addressRegion": "CA",
                            "postalCode": "94105",
                            "addressCountry": "US",
                        },
                        "latitude": 37.79,
                        "longitude": -122.39,
                    },
                    "baseSalary": {
                        "@type": "MonetaryAmount",
                        "currency": "USD",
                        "value": {
                            "@type": "QuantitativeValue",
                            "minValue": 180000.0,
                            "maxValue": 240000.0,
                            "unitText": "YEAR",
                        },
                    },
                    "industry": "Financial Services",
                },
            },
        ],
    }
    [posting] = extract_postings(page(json.dumps(block)), url="https://board.example/jobs/99")
    assert posting.as_json() | {"description": None, "valid_through": None} == {
        "title": "Staff Engineer, Payments",
        "company": "Acme Pay",
        "location": "San Francisco, CA, US",
        "remote": None,
        "employment_type": "FULL_TIME",
        "salary_min": 180000,
        "salary_max": 240000,
        "salary_currency": "USD",
        "salary_interval": "year",
        "date_posted": "2026-01-15",
        "url": "https://board.example/jobs/99",
        "workplace": "unknown",
        "valid_through": None,
        "apply_url": None,
        "description": None,
        "source": "jsonld",
        "board_id": None,
        "needs_check": [],
    }
    assert posting.valid_through == date(2026, 2, 14)
    assert posting.description == "<p>Own <strong>payments</strong>.</p>"


@pytest.mark.parametrize("content_type", ["application/ld+json", "application/json", ""])
def test_a_json_ld_document_on_its_own_is_read(content_type):
    body = ("\n  " + ld(title="Courier", datePosted="2026-07-01")).encode()
    [posting] = extract_postings(body, content_type=content_type)
    assert (posting.title, posting.date_posted) == ("Courier", date(2026, 7, 1))


def test_json_that_is_not_json_ld_gives_no_posting():
    assert (
        extract_postings(b'{"jobs": [{"title": "Courier"}]}', content_type="application/json") == []
    )


def test_an_unexpected_failure_is_no_posting_and_logs_no_page_text(monkeypatch, caplog):
    from importer.extract import jsonld

    def explode(_page):
        raise ValueError("Senior Nurse at St Elsewhere, call 0123")

    monkeypatch.setattr(jsonld, "blocks_data", explode)
    assert extract_postings(page(ld(title="Senior Nurse"))) == []
    assert "extraction failed on a page: ValueError" in caplog.text
    assert "Nurse" not in caplog.text
