"""Job sites for the importer's tests: a Greenhouse and a Lever API, a careers page with
JSON-LD and a LinkedIn-style page, all served by a LoopbackSite on 127.0.0.1."""

from __future__ import annotations

import json

from tests.loopback_site import LoopbackSite

GREENHOUSE_JOB_ID = "4012345"
GREENHOUSE_LINK = f"https://boards.greenhouse.io/acme/jobs/{GREENHOUSE_JOB_ID}"
GREENHOUSE_JOB = {
    "id": int(GREENHOUSE_JOB_ID),
    "title": "Senior Platform Engineer",
    "company_name": "Acme Robotics",
    "location": {"name": "Berlin, Germany"},
    "absolute_url": GREENHOUSE_LINK,
    "first_published": "2026-11-20T09:00:00-05:00",
    "updated_at": "2026-11-25T09:00:00-05:00",
    "content": "&lt;p&gt;Build the &lt;strong&gt;platform&lt;/strong&gt;.&lt;/p&gt;"
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "pay_input_ranges": [
        {"min_cents": 9000000, "max_cents": 12000000, "currency_type": "EUR", "title": "Berlin"}
    ],
}

LEVER_JOB_ID = "5f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"
LEVER_LINK = f"https://jobs.lever.co/nimbus/{LEVER_JOB_ID}"
LEVER_JOB = {
    "id": LEVER_JOB_ID,
    "text": "Product Designer",
    "categories": {"location": "Remote, Europe", "commitment": "Full-time", "team": "Design"},
    "workplaceType": "remote",
    "hostedUrl": LEVER_LINK,
    "applyUrl": LEVER_LINK + "/apply",
    "createdAt": 1764000000000,
    "descriptionPlain": "Design things.",
    "description": "<div>Design <b>things</b>.</div>",
    "lists": [{"text": "You bring", "content": "<li>Taste</li>"}],
    "salaryRange": {"min": 60000, "max": 75000, "currency": "EUR", "interval": "per-year-salary"},
}

CAREERS_JSONLD = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Data Analyst",
    "hiringOrganization": {"@type": "Organization", "name": "Globex"},
    "jobLocation": {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Lisbon",
            "addressCountry": "PT",
        },
    },
    "employmentType": "FULL_TIME",
    "datePosted": "2026-11-18",
    "validThrough": "2026-12-31",
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {"@type": "QuantitativeValue", "minValue": 40000, "maxValue": 52000,
                  "unitText": "YEAR"},
    },
    "description": "<p>Analyse <em>data</em>.</p><img src=x onerror=alert(1)>",
}  # fmt: skip


def jsonld_page(posting: dict, *, title: str = "Careers at Globex") -> bytes:
    block = json.dumps(posting).replace("</", "<\\/")  # as pages do, so a value cannot end it
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title>"
        f'<script type="application/ld+json">{block}</script>'
        "</head><body><h1>Careers</h1><p>Join us.</p></body></html>"
    ).encode()


LINKEDIN_JSONLD = {
    "@context": "http://schema.org",
    "@type": "JobPosting",
    "title": "Backend Developer (Python)",
    "hiringOrganization": {"@type": "Organization", "name": "Initech"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Dublin",
                                                  "addressCountry": "IE"}},
    "jobLocationType": "TELECOMMUTE",
    "employmentType": "CONTRACTOR",
    "datePosted": "2026-11-27T10:00:00.000Z",
    "description": "&lt;p&gt;Write Python services.&lt;/p&gt;",
}  # fmt: skip
LINKEDIN_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
    "<title>Initech hiring Backend Developer (Python) in Dublin | LinkedIn</title>"
    '<meta property="og:title" content="Initech hiring Backend Developer (Python)">'
    '<link rel="canonical" href="https://www.linkedin.com/jobs/view/backend-developer-4100000001">'
    f'<script type="application/ld+json">{json.dumps(LINKEDIN_JSONLD)}</script>'
    "</head><body><nav>Sign in</nav><main><h1>Backend Developer (Python)</h1>"
    "<section class='description'>Write Python services.</section></main></body></html>"
)


def job_site(settings) -> LoopbackSite:
    """A started site serving both ATS APIs and the careers pages; the API settings point at it."""
    site = LoopbackSite().start()
    site.route(
        f"/greenhouse/v1/boards/acme/jobs/{GREENHOUSE_JOB_ID}",
        body=json.dumps(GREENHOUSE_JOB).encode(),
        content_type="application/json",
    )
    site.route(
        f"/lever/v0/postings/nimbus/{LEVER_JOB_ID}",
        body=json.dumps(LEVER_JOB).encode(),
        content_type="application/json",
    )
    site.route("/careers/data-analyst", body=jsonld_page(CAREERS_JSONLD))
    settings.IMPORTER_GREENHOUSE_API = site.url("/greenhouse")
    settings.IMPORTER_LEVER_API = site.url("/lever")
    settings.IMPORTER_ALLOW_LOOPBACK = True
    return site


def job_site_env(site: LoopbackSite) -> dict[str, str]:
    """The same settings for a worker subprocess."""
    return {
        "IMPORTER_GREENHOUSE_API": site.url("/greenhouse"),
        "IMPORTER_LEVER_API": site.url("/lever"),
        "IMPORTER_ALLOW_LOOPBACK": "true",
    }
