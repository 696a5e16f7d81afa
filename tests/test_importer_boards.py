"""Known ATSs and job boards: which API a link is read through, and how each API's JSON maps
onto a posting. Payloads are small hand-written examples of each API's shape."""

from datetime import date
from decimal import Decimal

import pytest

from importer.boards import BoardRef, UnknownSource, board_for_url, parse
from jobs.sanitize import sanitize_description

# --- links -> API calls -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "source", "board", "job_id", "api_url"),
    [
        (
            "https://boards.greenhouse.io/acme/jobs/4012345",
            "greenhouse",
            "acme",
            "4012345",
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs/4012345?pay_transparency=true",
        ),
        (
            "https://job-boards.greenhouse.io/acme/jobs/4012345?gh_src=abc",
            "greenhouse",
            "acme",
            "4012345",
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs/4012345?pay_transparency=true",
        ),
        (
            "https://boards.greenhouse.io/embed/job_app?for=acme&token=4012345",
            "greenhouse",
            "acme",
            "4012345",
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs/4012345?pay_transparency=true",
        ),
        (
            "https://www.acme.com/careers/openings?gh_jid=4012345&for=acmeinc",
            "greenhouse",
            "acmeinc",
            "4012345",
            "https://boards-api.greenhouse.io/v1/boards/acmeinc/jobs/4012345?pay_transparency=true",
        ),
        (
            "https://jobs.lever.co/acme/2193db3f-77c5-43b8-b030-8f92c9882bf1",
            "lever",
            "acme",
            "2193db3f-77c5-43b8-b030-8f92c9882bf1",
            "https://api.lever.co/v0/postings/acme/2193db3f-77c5-43b8-b030-8f92c9882bf1?mode=json",
        ),
        (
            "https://jobs.eu.lever.co/acme/2193DB3F-77c5-43b8-b030-8f92c9882bf1/apply",
            "lever",
            "acme",
            "2193db3f-77c5-43b8-b030-8f92c9882bf1",
            "https://api.eu.lever.co/v0/postings/acme/2193db3f-77c5-43b8-b030-8f92c9882bf1?mode=json",
        ),
        (
            "https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff",
            "ashby",
            "linear",
            "d3bc1ced-3ce4-4086-a050-555055dbb1ff",
            "https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true",
        ),
        (
            "https://jobs.smartrecruiters.com/Ubisoft2/744000151912444-specialiste-fiabilite",
            "smartrecruiters",
            "Ubisoft2",
            "744000151912444",
            "https://api.smartrecruiters.com/v1/companies/Ubisoft2/postings/744000151912444",
        ),
        (
            "https://channable.recruitee.com/o/head-of-people-culture",
            "recruitee",
            "channable",
            "head-of-people-culture",
            "https://channable.recruitee.com/api/offers/head-of-people-culture",
        ),
        (
            "https://apply.workable.com/acme/j/1a2b3c4d5e/",
            "workable",
            "acme",
            "1A2B3C4D5E",
            "https://apply.workable.com/api/v2/accounts/acme/jobs/1A2B3C4D5E",
        ),
        (
            "https://acme.wd5.myworkdayjobs.com/en-US/External/job/Poland-Remote/Senior-Engineer_JR2026094",
            "workday",
            "acme",
            "JR2026094",
            "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/Poland-Remote/Senior-Engineer_JR2026094",
        ),
    ],
)
def test_known_links_are_read_through_the_boards_api(link, source, board, job_id, api_url):
    ref = board_for_url(link)
    assert (ref.source, ref.board, ref.job_id, ref.api_url, ref.url) == (
        source,
        board,
        job_id,
        api_url,
        link,
    )


def test_a_careers_page_with_only_gh_jid_tries_the_path_then_the_site_name():
    ref = board_for_url("https://www.example.com/jobs?gh_jid=4012345")
    assert ref.source == "greenhouse"
    assert ref.api_urls == (
        "https://boards-api.greenhouse.io/v1/boards/jobs/jobs/4012345?pay_transparency=true",
        "https://boards-api.greenhouse.io/v1/boards/example/jobs/4012345?pay_transparency=true",
    )


def test_api_bases_are_settings(settings):
    settings.IMPORTER_GREENHOUSE_API = "http://127.0.0.1:8765/gh"
    settings.IMPORTER_RECRUITEE_API = "http://127.0.0.1:8765/recruitee/{company}"
    assert board_for_url("https://boards.greenhouse.io/acme/jobs/1").api_url == (
        "http://127.0.0.1:8765/gh/v1/boards/acme/jobs/1?pay_transparency=true"
    )
    assert board_for_url("https://acme.recruitee.com/o/chef").api_url == (
        "http://127.0.0.1:8765/recruitee/acme/offers/chef"
    )


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/jobs/42",
        "ftp://boards.greenhouse.io/acme/jobs/1",
        "https://boards.greenhouse.io/acme",
        "https://boards.greenhouse.io/../jobs/1",
        "https://boards.greenhouse.io/acme/jobs/notanumber",
        "https://jobs.lever.co/acme",
        "https://jobs.lever.co/acme/not-a-uuid",
        "https://jobs.ashbyhq.com/linear",
        "https://evil.example/jobs.lever.co/acme/2193db3f-77c5-43b8-b030-8f92c9882bf1",
        "https://jobs.lever.co.evil.example/acme/2193db3f-77c5-43b8-b030-8f92c9882bf1",
        "https://a.b.recruitee.com/o/chef",
        "https://acme.wd5.myworkdayjobs.com/External",
        "http://[::1",
        "",
        "not a url",
    ],
)
def test_other_links_are_not_boards(link):
    assert board_for_url(link) is None


def test_an_unknown_source_is_a_clear_error():
    with pytest.raises(UnknownSource, match="unknown board 'monster'"):
        parse("monster", {})


# --- API JSON -> postings ----------------------------------------------------------------


def test_greenhouse_job():
    job = {
        "id": 4012345,
        "title": "Account Executive ",
        "company_name": "Acme",
        "location": {"name": "Hybrid - London"},
        "first_published": "2026-08-06T23:50:10-04:00",
        "absolute_url": "https://job-boards.greenhouse.io/acme/jobs/4012345",
        "content": "&lt;p&gt;Sell &amp;amp; grow&lt;/p&gt;",
        "pay_input_ranges": [{"min_cents": 9000000, "max_cents": 12050000, "currency_type": "GBP"}],
    }
    [posting] = parse("greenhouse", job)
    assert posting.title == "Account Executive"
    assert (posting.company, posting.location, posting.remote, posting.workplace) == (
        "Acme",
        "Hybrid - London",
        False,
        "hybrid",
    )
    assert posting.date_posted == date(2026, 8, 6)
    assert posting.description == "<p>Sell &amp; grow</p>"
    assert (posting.salary_min, posting.salary_max, posting.salary_currency) == (
        Decimal(90000),
        Decimal("120500"),
        "GBP",
    )
    assert (posting.board_id, posting.source) == ("4012345", "greenhouse")


def test_lever_posting_with_epoch_milliseconds_and_a_workplace_type():
    job = {
        "id": "2193db3f-77c5-43b8-b030-8f92c9882bf1",
        "text": "Android Engineer",
        "categories": {"commitment": "Permanent", "location": "London"},
        "createdAt": 1782214185805,  # 2026-06-23 in UTC
        "workplaceType": "on-site",
        "hostedUrl": "https://jobs.lever.co/acme/2193db3f-77c5-43b8-b030-8f92c9882bf1",
        "applyUrl": "https://jobs.lever.co/acme/2193db3f-77c5-43b8-b030-8f92c9882bf1/apply",
        "description": "<div>We build.</div>",
        "lists": [{"text": "You <are>", "content": "<li>kind</li>"}],
        "salaryRange": {
            "min": 60000,
            "max": 80000,
            "currency": "EUR",
            "interval": "per-year-salary",
        },
    }
    [posting] = parse("lever", [job])
    assert (posting.title, posting.company, posting.location) == ("Android Engineer", "", "London")
    assert (posting.remote, posting.workplace, posting.employment_type) == (
        False,
        "onsite",
        "Permanent",
    )
    assert posting.date_posted == date(2026, 6, 23)
    assert (
        posting.salary_min,
        posting.salary_max,
        posting.salary_currency,
        posting.salary_interval,
    ) == (
        Decimal(60000),
        Decimal(80000),
        "EUR",
        "year",
    )
    assert (
        # What the tracker stores, by its one description policy (jobs.sanitize).
        posting.description
        == sanitize_description(
            "<div>We build.</div><h3>You &lt;are&gt;</h3><ul><li>kind</li></ul>"
        )
    )


def test_ashby_has_no_single_job_endpoint_so_the_id_is_matched():
    board = {
        "jobs": [
            {"id": "aaaaaaaa-0000-0000-0000-000000000000", "title": "Designer", "isRemote": False},
            {
                "id": "d3bc1ced-3ce4-4086-a050-555055dbb1ff",
                "title": "Fullstack Engineer",
                "location": "Europe",
                "isRemote": True,
                "employmentType": "FullTime",
                "publishedAt": "2021-04-27T20:13:45.158+00:00",
                "jobUrl": "https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff",
                "compensation": {
                    "summaryComponents": [
                        {"compensationType": "EquityPercentage", "minValue": 0.1},
                        {
                            "compensationType": "Salary",
                            "interval": "1 YEAR",
                            "currencyCode": "USD",
                            "minValue": 150000,
                            "maxValue": 190000,
                        },
                    ]
                },
            },
        ]
    }
    ref = board_for_url("https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff")
    [posting] = parse("ashby", board, ref=ref)
    assert (posting.title, posting.remote, posting.employment_type) == (
        "Fullstack Engineer",
        True,
        "FullTime",
    )
    assert (posting.salary_min, posting.salary_max, posting.salary_interval) == (
        Decimal(150000),
        Decimal(190000),
        "year",
    )
    assert posting.date_posted == date(2021, 4, 27)
    assert len(parse("ashby", board)) == 2


@pytest.mark.parametrize(
    "jobs", [[{"id": "a", "title": "A"}, {"id": "b", "title": "B"}], [{"id": "a", "title": "A"}]]
)
def test_ashby_with_an_id_not_on_the_board_gives_nothing(jobs):
    ref = BoardRef(source="ashby", board="linear", job_id="nope", api_urls=("x",))
    assert parse("ashby", {"jobs": jobs}, ref=ref) == []


def test_a_single_job_endpoint_answer_is_the_posting_whatever_its_id():
    ref = board_for_url("https://acme.wd5.myworkdayjobs.com/External/job/Lyon/Engineer_R-1")
    data = {"jobPostingInfo": {"title": "Engineer", "jobReqId": "R1"}}
    assert [p.title for p in parse("workday", data, ref=ref)] == ["Engineer"]


def test_smartrecruiters_posting_uses_only_the_public_page_as_url():
    job = {
        "id": "744000151912444",
        "name": "Spécialiste Fiabilité",
        "company": {"identifier": "Ubisoft2", "name": "Ubisoft"},
        "releasedDate": "2026-09-25T18:18:52.891Z",
        "location": {"city": "Montreal", "fullLocation": "Montreal, QC, Canada", "remote": False},
        "typeOfEmployment": {"id": "permanent", "label": "Full-time"},
        "ref": "https://api.smartrecruiters.com/v1/companies/Ubisoft2/postings/744000151912444",
    }
    [listed] = parse("smartrecruiters", {"content": [job]})
    assert (listed.title, listed.company, listed.location, listed.url) == (
        "Spécialiste Fiabilité",
        "Ubisoft",
        "Montreal, QC, Canada",
        "",
    )
    assert (listed.remote, listed.employment_type, listed.date_posted) == (
        False,
        "Full-time",
        date(2026, 9, 25),
    )
    detail = {
        **job,
        "postingUrl": "https://jobs.smartrecruiters.com/Ubisoft2/744000151912444",
        "jobAd": {"sections": {"jobDescription": {"title": "Job", "text": "<p>Do things</p>"}}},
    }
    [posting] = parse("smartrecruiters", detail)
    assert posting.url == "https://jobs.smartrecruiters.com/Ubisoft2/744000151912444"
    assert posting.description == "<p>Do things</p>"


def test_recruitee_offer_with_numeric_string_salary_and_hybrid_flag():
    offer = {
        "slug": "customer-success-manager",
        "title": "Customer Success Manager",
        "company_name": "Channable",
        "location": "Utrecht, Utrecht, Netherlands",
        "remote": False,
        "hybrid": True,
        "employment_type_code": "fulltime_permanent",
        "salary": {"min": "3750", "max": "5250", "period": "month", "currency": "EUR"},
        "published_at": "2026-09-18 13:27:28 UTC",
        "careers_url": "https://jobs.channable.com/o/customer-success-manager",
    }
    [posting] = parse("recruitee", {"offer": offer})
    assert (posting.remote, posting.workplace) == (False, "hybrid")
    assert (
        posting.salary_min,
        posting.salary_max,
        posting.salary_currency,
        posting.salary_interval,
    ) == (
        Decimal(3750),
        Decimal(5250),
        "EUR",
        "month",
    )
    assert posting.date_posted == date(2026, 9, 18)
    assert posting.employment_type == "fulltime_permanent"


def test_workable_job():
    job = {
        "shortcode": "1a2b3c4d5e",
        "title": "Data Analyst",
        "remote": False,
        "workplace": "hybrid",
        "location": {"city": "Athens", "region": "Attica", "country": "Greece"},
        "published": "2026-01-10T00:00:00.000Z",
        "type": "full",
        "description": "<p>Numbers</p>",
    }
    ref = board_for_url("https://apply.workable.com/acme/j/1A2B3C4D5E/")
    [posting] = parse("workable", job, ref=ref)
    assert (posting.title, posting.location, posting.workplace) == (
        "Data Analyst",
        "Athens, Attica, Greece",
        "hybrid",
    )
    assert (posting.url, posting.board_id, posting.date_posted) == (
        "https://apply.workable.com/acme/j/1A2B3C4D5E/",
        "1A2B3C4D5E",
        date(2026, 1, 10),
    )


def test_workday_list_entries_have_no_company_url_date_or_counted_location():
    data = {
        "total": 2,
        "jobPostings": [
            {
                "title": "Director, Engineering – Software",
                "externalPath": "/job/Vietnam-Hanoi/Director_JR2021061",
                "locationsText": "2 Locations",
                "postedOn": "Posted 30+ Days Ago",
                "bulletFields": ["JR2021061"],
            },
            {
                "title": "Engineer",
                "externalPath": "/job/Lyon/Engineer_JR1",
                "locationsText": "Lyon",
            },
        ],
    }
    first, second = parse("workday", data)
    assert first.description == ""
    assert (first.title, first.company, first.location, first.url, first.date_posted) == (
        "Director, Engineering – Software",
        "",
        "",
        "",
        None,
    )
    assert (first.board_id, second.location) == ("JR2021061", "Lyon")


def test_workday_single_job_from_cxs():
    data = {
        "jobPostingInfo": {
            "title": "Senior Engineer",
            "jobDescription": "<p>Build</p>",
            "location": "Warsaw",
            "remoteType": "Remote",
            "startDate": "2026-09-20",
            "timeType": "Full time",
            "jobReqId": "JR2026094",
            "externalUrl": "https://acme.wd5.myworkdayjobs.com/External/job/Poland-Remote/Senior-Engineer_JR2026094",
        },
        "hiringOrganization": {"name": "Acme Inc."},
    }
    ref = board_for_url(
        "https://acme.wd5.myworkdayjobs.com/External/job/Poland-Remote/Senior-Engineer_JR2026094"
    )
    [posting] = parse("workday", data, ref=ref)
    assert (posting.company, posting.location, posting.remote, posting.employment_type) == (
        "Acme Inc.",
        "Warsaw",
        True,
        "Full time",
    )
    assert posting.date_posted == date(2026, 9, 20)


def test_arbeitnow_escaped_html_epoch_seconds_and_empty_job_types():
    job = {
        "slug": "werkstudent-72879",
        "company_name": "Doctolib",
        "title": "Werkstudent (x/f/m)",
        "description": "&lt;h2&gt;Hallo&lt;/h2&gt;",
        "remote": False,
        "url": "https://www.arbeitnow.com/jobs/companies/doctolib/werkstudent-72879",
        "job_types": [],
        "location": "Berlin, Berlin",
        "created_at": 1790412915,
    }
    [posting] = parse("arbeitnow", {"data": [job]})
    assert (posting.employment_type, posting.remote, posting.description) == (
        "",
        False,
        "<h2>Hallo</h2>",
    )
    assert posting.date_posted == date(2026, 9, 26)


def test_himalayas_joins_location_restrictions_and_maps_salary_period():
    job = {
        "title": "Evaluator",
        "companyName": "micro1",
        "employmentType": "Contractor",
        "minSalary": 15,
        "maxSalary": 30,
        "salaryPeriod": "hourly",
        "currency": "USD",
        "locationRestrictions": ["United States", "Canada"],
        "pubDate": 1790401136,
        "applicationLink": "https://himalayas.app/companies/micro1/jobs/evaluator",
    }
    [posting] = parse("himalayas", {"jobs": [job]})
    assert (posting.location, posting.remote, posting.salary_interval) == (
        "United States, Canada",
        None,
        "hour",
    )
    assert (posting.salary_min, posting.salary_max) == (Decimal(15), Decimal(30))


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ("$90k - $105k", (Decimal(90000), Decimal(105000), "USD", "")),
        ("€45,000 - €55,000 per year", (Decimal(45000), Decimal(55000), "EUR", "year")),
        ("USD 40/hour", (Decimal(40), Decimal(40), "USD", "hour")),
        ("", (None, None, "", "")),
        ("Competitive", (None, None, "", "")),
    ],
)
def test_remotive_free_text_salary(salary, expected):
    job = {
        "id": 1,
        "title": "Developer",
        "salary": salary,
        "publication_date": "2026-09-18T16:43:22",
    }
    [posting] = parse("remotive", {"jobs": [job]})
    got = (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_interval)
    assert got == expected
    assert posting.date_posted == date(2026, 9, 18)


def test_remoteok_skips_the_legal_notice_and_reads_zero_salary_as_none():
    data = [
        {"last_updated": 1790265606, "legal": "API Terms of Service"},
        {
            "id": "1137429",
            "date": "2026-09-24T00:00:07+00:00",
            "company": "Workana",
            "position": "Mec\u00c3\u00a1nico Automotriz",
            "location": "",
            "salary_min": 0,
            "salary_max": 0,
            "url": "https://remoteOK.com/remote-jobs/1137429",
        },
    ]
    [posting] = parse("remoteok", data)
    assert posting.title == "Mec\u00c3\u00a1nico Automotriz"  # mojibake kept as given
    assert (posting.salary_min, posting.salary_max, posting.salary_currency) == (None, None, "")
    assert (posting.location, posting.date_posted) == ("", date(2026, 9, 24))


def test_jobicy_one_element_job_type_list_and_double_spaces_kept():
    job = {
        "id": 154084,
        "url": "https://jobicy.com/jobs/154084-staff-engineer",
        "jobTitle": "Staff Engineer",
        "companyName": "Phantom",
        "jobType": ["Full-Time"],
        "jobGeo": "EMEA,  LATAM",
        "pubDate": "2026-09-25T20:53:54+00:00",
        "salaryMin": 200000,
        "salaryMax": 250000,
        "salaryCurrency": "USD",
        "salaryPeriod": "yearly",
    }
    [posting] = parse("jobicy", {"jobs": [job]})
    assert (posting.employment_type, posting.location, posting.salary_interval) == (
        "Full-Time",
        "EMEA,  LATAM",
        "year",
    )


@pytest.mark.parametrize(
    "source", ["greenhouse", "lever", "ashby", "remoteok", "workday", "jobicy"]
)
@pytest.mark.parametrize("data", [None, "text", 42, [], {}, [1, "x", None], {"jobs": "nope"}])
def test_unexpected_json_gives_no_posting(source, data):
    assert parse(source, data) == []


def test_workday_remote_type_hybrid_is_not_remote():
    data = {"jobPostingInfo": {"title": "Analyst", "remoteType": "Hybrid", "location": "Remote"}}
    [posting] = parse("workday", data)
    assert (posting.workplace, posting.remote) == ("hybrid", False)


def test_jobicy_yearly_amounts_of_earlier_api_versions():
    job = {
        "id": 1,
        "jobTitle": "SRE",
        "annualSalaryMin": "120000",
        "annualSalaryMax": "150000",
        "salaryCurrency": "EUR",
    }
    [posting] = parse("jobicy", {"jobs": [job]})
    assert (
        posting.salary_min,
        posting.salary_max,
        posting.salary_currency,
        posting.salary_interval,
    ) == (Decimal(120000), Decimal(150000), "EUR", "year")


def test_recruitee_location_from_its_parts_when_the_label_is_empty():
    offer = {"slug": "x", "title": "Chef", "location": "", "city": "Ghent", "country": "Belgium"}
    [posting] = parse("recruitee", {"offers": [offer]})
    assert posting.location == "Ghent, Belgium"


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "/relative/path", "ftp://x.example/y"])
def test_board_urls_must_be_web_addresses(bad):
    [posting] = parse("remotive", {"jobs": [{"id": 1, "title": "Dev", "url": bad}]})
    assert posting.url == ""


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ("80-100k", (Decimal(80000), Decimal(100000), "", "")),
        ("Up to $120k", (None, Decimal(120000), "USD", "")),
        ("CA$90k - CA$105k", (Decimal(90000), Decimal(105000), "CAD", "")),
        ("CHF 120'000", (Decimal(120000), Decimal(120000), "CHF", "")),
        ("₹12,00,000 - ₹18,00,000", (Decimal(1200000), Decimal(1800000), "INR", "")),
        ("€45.000 - €55.000 a year", (Decimal(45000), Decimal(55000), "EUR", "year")),
        ("$12.50/hour", (Decimal("12.5"), Decimal("12.5"), "USD", "hour")),
        ("NYC office, $4,000 - $5,000 monthly", (Decimal(4000), Decimal(5000), "USD", "month")),
    ],
)
def test_free_text_salary_forms(salary, expected):
    [posting] = parse("remotive", {"jobs": [{"id": 1, "title": "Developer", "salary": salary}]})
    got = (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_interval)
    assert got == expected


def test_amounts_are_plain_numbers_for_the_form():
    [posting] = parse("remotive", {"jobs": [{"id": 1, "title": "Dev", "salary": "$90k - $105k"}]})
    assert (str(posting.salary_min), str(posting.salary_max)) == ("90000", "105000")
