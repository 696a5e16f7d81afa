"""Job postings from pages without JSON-LD: microdata and RDFa (through extruct), then the
page's OpenGraph tags, then its title and main text, which the user is asked to check."""

from datetime import date
from decimal import Decimal

import pytest

from importer.extract import extract_postings

MICRODATA = """<!DOCTYPE html><html><head><title>Jobs at Acme</title></head><body>
<div itemscope itemtype="https://schema.org/JobPosting">
  <h1 itemprop="title">Forklift Driver</h1>
  <div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Acme Logistics</span></div>
  <div itemprop="jobLocation" itemscope itemtype="https://schema.org/Place">
    <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
      <span itemprop="addressLocality">Rotterdam</span>,
      <span itemprop="addressCountry">NL</span></div></div>
  <span itemprop="employmentType">PART_TIME</span>
  <div itemprop="baseSalary" itemscope itemtype="https://schema.org/MonetaryAmount">
    <meta itemprop="currency" content="EUR">
    <div itemprop="value" itemscope itemtype="https://schema.org/QuantitativeValue">
      <meta itemprop="minValue" content="14.50"><meta itemprop="maxValue" content="17">
      <meta itemprop="unitText" content="HOUR"></div></div>
  <time itemprop="datePosted" datetime="2026-04-01">1 April</time>
  <div itemprop="description"><p>Drive <script>alert(1)</script>safely.</p></div>
</div>
<div itemscope itemtype="https://schema.org/JobPosting">
  <h2 itemprop="title">Warehouse Lead</h2></div>
</body></html>"""

RDFA = """<html><body>
<div vocab="https://schema.org/" typeof="JobPosting">
  <h1 property="title">Data Steward</h1>
  <div property="hiringOrganization" typeof="Organization">
    <span property="name">Civic Data</span></div>
  <span property="jobLocationType">TELECOMMUTE</span>
  <div property="applicantLocationRequirements" typeof="Country">
    <span property="name">Ireland</span></div>
  <span property="employmentType">CONTRACTOR</span>
  <span property="salaryCurrency">EUR</span> <span property="baseSalary">55000</span>
  <span property="datePosted" content="2026-02-14T09:00:00+01:00">Valentine's</span>
</div></body></html>"""


def test_microdata_postings_are_read_in_page_order():
    first, second = extract_postings(MICRODATA, url="https://acme.example/jobs/7")
    assert (first.title, first.company, first.location) == (
        "Forklift Driver",
        "Acme Logistics",
        "Rotterdam, NL",
    )
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_interval) == (
        Decimal("14.50"),
        Decimal(17),
        "EUR",
        "hour",
    )
    assert (first.employment_type, first.date_posted, first.source) == (
        "PART_TIME",
        date(2026, 4, 1),
        "microdata",
    )
    assert "alert" not in first.description
    assert first.needs_check == ()
    assert second.title == "Warehouse Lead"


def test_rdfa_postings_are_read():
    [posting] = extract_postings(RDFA)
    assert (posting.title, posting.company, posting.location) == (
        "Data Steward",
        "Civic Data",
        "Ireland",
    )
    assert (posting.remote, posting.workplace, posting.employment_type) == (
        True,
        "remote",
        "CONTRACTOR",
    )
    assert (posting.salary_min, posting.salary_max, posting.salary_currency) == (
        Decimal(55000),
        Decimal(55000),
        "EUR",
    )
    assert (posting.date_posted, posting.source) == (date(2026, 2, 14), "rdfa")


def test_json_ld_wins_over_other_markup_on_the_same_page():
    page = MICRODATA.replace(
        "</head>",
        '<script type="application/ld+json">{"@type": "JobPosting", "title": "From JSON-LD"}'
        "</script></head>",
    )
    assert [p.title for p in extract_postings(page)] == ["From JSON-LD"]


def test_opengraph_tags_give_a_posting_to_check():
    page = """<html><head><title>ignored</title>
    <meta property="og:title" content="Barista (m/f/d)">
    <meta property="og:site_name" content="Bean There">
    <meta property="og:url" content="/jobs/barista">
    <meta property="og:description" content="Make coffee &amp; smiles.">
    </head><body><nav>Menu</nav></body></html>"""
    [posting] = extract_postings(page, url="https://beans.example/careers?id=3")
    assert (posting.title, posting.company, posting.url, posting.source) == (
        "Barista (m/f/d)",
        "Bean There",
        "https://beans.example/jobs/barista",
        "opengraph",
    )
    assert posting.description == "<p>Make coffee &amp; smiles.</p>"
    assert {"title", "company", "location", "description"} <= set(posting.needs_check)
    assert "url" not in posting.needs_check


def test_a_page_with_no_markup_gives_its_title_and_main_text_to_check():
    page = """<html><head><title> Senior Plumber – Pipes &amp; Co </title>
    <script>var tracking = 1;</script><style>p {}</style></head>
    <body><header>Site header</header><nav>Jobs | About</nav>
    <main><h1>Senior Plumber</h1><p>Fix pipes in <b>Leeds</b>.</p><p>Van provided.</p></main>
    <footer>© Pipes</footer></body></html>"""
    [posting] = extract_postings(page, url="https://pipes.example/job/1")
    assert (posting.title, posting.company, posting.source) == (
        "Senior Plumber – Pipes & Co",
        "",
        "page",
    )
    assert posting.url == "https://pipes.example/job/1"
    assert posting.description == (
        "<p>Senior Plumber</p><p>Fix pipes in Leeds.</p><p>Van provided.</p>"
    )
    assert set(posting.needs_check) >= {"title", "company", "description"}
    assert "url" not in posting.needs_check  # the page's own address
    [pasted] = extract_postings(page)
    assert (pasted.url, "url" in pasted.needs_check) == ("", True)


def test_a_page_described_as_something_else_gives_no_posting():
    page = """<html><head><title>Markets rally</title>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Markets"}</script>
    </head><body><p>Stocks rose.</p></body></html>"""
    assert extract_postings(page) == []


def test_site_wide_markup_alone_still_allows_a_guess_from_the_page():
    page = """<html><head><title>Electrician</title>
    <script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "X"},
    {"@type": "Organization", "name": "X Ltd"}]}</script></head><body></body></html>"""
    [posting] = extract_postings(page)
    assert (posting.title, posting.source) == ("Electrician", "page")


@pytest.mark.parametrize(
    "page",
    [
        "<html><head></head><body></body></html>",
        "<div itemscope itemtype='https://schema.org/JobPosting'><b itemprop='title'></b></div>",
        "<div vocab='https://schema.org/' typeof='JobPosting'><p property='title'>",
        "<<<>>> itemscope typeof= JobPosting",
        "<!-- only a comment -->",
        "<?xml version='1.0'?>",
        "<div typeof='JobPosting'><!-- itemscope --></div>",
    ],
)
def test_empty_or_broken_markup_gives_no_posting_and_no_error(page, caplog):
    assert extract_postings(page) == []
    assert "extraction failed" not in caplog.text


def test_rdfa_postings_keep_the_vocabulary_of_an_enclosing_element():
    page = """<html prefix="s: https://schema.org/"><body>
    <nav vocab="https://schema.org/" typeof="SiteNavigationElement">
      <a property="url" href="/">Home</a></nav>
    <section vocab="https://schema.org/"><article typeof="JobPosting">
      <h1 property="title">Gardener</h1></article>
    <article typeof="s:JobPosting"><h1 property="s:title">Roofer</h1></article></section>
    </body></html>"""
    assert [p.title for p in extract_postings(page)] == ["Gardener", "Roofer"]


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        (
            "(3) Acme Ltd hiring Senior Welder in Leeds, England | LinkedIn",
            "LinkedIn",
            ("Senior Welder", "Acme Ltd", "Leeds, England"),
        ),
        ("Senior Welder | Acme Ltd | LinkedIn", "", ("Senior Welder", "Acme Ltd", "")),
        ("Senior Welder - Leeds | Indeed.com", "Indeed", ("Senior Welder - Leeds", "", "")),
        (
            "Senior Welder | Careers at Acme",
            "Careers at Acme",
            ("Senior Welder", "Careers at Acme", ""),
        ),
        ("Welder | Fabrication | Acme", "", ("Welder | Fabrication | Acme", "", "")),
    ],
)
def test_page_titles_of_job_boards_are_read_for_title_company_and_location(title, site, expected):
    head = f"<title>{title}</title>"
    if site:
        head += f'<meta property="og:site_name" content="{site}">'
    [posting] = extract_postings(f"<html><head>{head}</head><body><p>Text</p></body></html>")
    assert (posting.title, posting.company, posting.location) == expected
    assert {"title", "company", "location"} <= set(posting.needs_check)
