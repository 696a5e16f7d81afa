"""The notice cannot lie: its figures come from the settings the code enforces, and whatever
staff type in the admin renders without scripts."""

import re

import pytest

from jobtrax import datamap
from privacy.models import NoticeVersion
from privacy.rendering import (
    LEGAL_PERIODS,
    PLACEHOLDER_RE,
    render_body,
    render_markdown,
    unknown_placeholders,
)
from tests.notice_versions import current

NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|ninety"
)
PERIOD_RE = re.compile(rf"\b(\d+|{NUMBER_WORDS})[\s-]+(day|week|month|year)s?\b", re.IGNORECASE)
RETENTION_SETTINGS = [
    "RETENTION_REQUEST_LOG_ANONYMISE_DAYS",
    "RETENTION_REQUEST_LOG_DELETE_DAYS",
    "RETENTION_SECURITY_EVENT_DAYS",
    "RETENTION_VISITOR_CONSENT_DAYS",
    "RETENTION_ACCOUNT_CONSENT_DAYS",
    "RETENTION_CLOSED_ACCOUNT_DAYS",
    "RETENTION_UNVERIFIED_ACCOUNT_DAYS",
    "RETENTION_INACTIVE_ACCOUNT_DAYS",
    "RETENTION_EXPORT_FILE_DAYS",
    "RETENTION_SESSION_RECORD_DAYS",
    "RETENTION_ADMIN_LOG_DAYS",
]


def current_text() -> str:
    body = current().body
    return re.sub(r"<[^>]+>", " ", str(render_body(body).html))


def backed_periods() -> set[str]:
    return {policy.window_display for policy in datamap.policies()} | set(LEGAL_PERIODS.values())


def stated_periods(text: str) -> set[str]:
    return {" ".join(match.group(0).split()) for match in PERIOD_RE.finditer(text)}


def test_it_renders_retention_periods_from_the_settings(db, settings):
    assert "anonymized after 90 days" in current_text()

    settings.RETENTION_REQUEST_LOG_ANONYMISE_DAYS = 45

    text = current_text()
    assert "anonymized after 45 days" in text
    assert "90 days" not in text


def test_it_states_no_period_that_no_retention_setting_backs(db):
    stated = stated_periods(current_text())

    assert stated, "the notice states its retention periods"
    assert stated <= backed_periods(), f"unbacked: {stated - backed_periods()}"


def test_it_hardcodes_no_period_even_when_every_setting_changes(db, settings):
    # With every window moved off its default, a figure typed into the text would show up
    # as a period that no setting backs.
    for offset, name in enumerate(RETENTION_SETTINGS, start=1):
        setattr(settings, name, 1000 + offset)

    stated = stated_periods(current_text())

    assert stated <= backed_periods(), f"unbacked: {stated - backed_periods()}"
    assert "1003 days" in stated


@pytest.mark.parametrize("number", ["1.0", "current"])
def test_it_writes_no_period_into_the_body_outside_placeholders(db, number):
    body = current().body if number == "current" else NoticeVersion.objects.get(number=number).body

    assert not PERIOD_RE.search(PLACEHOLDER_RE.sub("", body))


def test_it_states_account_data_and_log_figures_from_the_notice(db):
    text = current_text()

    assert "(90 days to 12 months)" in text
    assert "its consent records, for 24 months after closure" in text


def test_it_reports_unknown_placeholders(db):
    assert unknown_placeholders("{{ retention.forever }} and {{ minimum_age }}") == [
        "retention.forever"
    ]


@pytest.mark.parametrize(
    "markdown, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("[x](javascript:alert(1))", "javascript:"),
        ('<p style="color:red">x</p>', "style="),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<svg onload="alert(1)"></svg>', "onload"),
        ("<a href='data:text/html,<script>alert(1)</script>'>x</a>", "data:"),
    ],
)
def test_it_strips_scripts_handlers_and_dangerous_urls(markdown, forbidden):
    html = str(render_markdown(f"## Title\n\n{markdown}\n").html)

    assert forbidden not in html.lower()
    assert '<h2 id="section-title">Title</h2>' in html


def test_it_builds_anchors_that_cannot_clash_with_the_page(db):
    rendered = render_markdown("## Main\n\ntext\n\n### Content\n\nmore")

    assert rendered.toc == [
        {
            "id": "section-main",
            "name": "Main",
            "children": [{"id": "section-content", "name": "Content"}],
        }
    ]
