"""The fetcher is nobody's proxy: addresses, redirects, limits, and what it sends (notice 1.2).

Every test talks to a real HTTP server on loopback; the fetcher may reach loopback only because
the test setting IMPORTER_ALLOW_LOOPBACK is on, and nothing else private even then.
"""

import gzip
import socket
import ssl
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from importer.fetch import FetchError, fetch, is_public
from tests.loopback_site import LoopbackSite

PROJECT = Path(__file__).resolve().parents[1]
PAGE = b"<!doctype html><html><head><title>Backend Engineer</title></head><body>Hi</body></html>"


@pytest.fixture
def site(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    settings.IMPORTER_FETCH_TIMEOUT = 5.0
    server = LoopbackSite().start()
    yield server
    server.stop()


def resolver_for(mapping: dict[str, list[str]], calls: list | None = None):
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in mapping:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return mapping[host]

    return resolve


def fetch_error(url: str, **kwargs) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    return caught.value.code


# What is fetched and what is sent ------------------------------------------------------------


def test_it_fetches_an_html_page_and_reports_its_type_and_charset(site):
    url = site.route("/job", body=PAGE, content_type="text/html; charset=ISO-8859-1")

    fetched = fetch(url)

    assert fetched.content == PAGE
    assert fetched.content_type == "text/html"
    assert fetched.charset == "ISO-8859-1"
    assert fetched.url == url


def test_it_sends_only_its_own_user_agent_and_no_cookie_referer_or_language(site):
    site.route("/start", status=302, headers={"Location": "/job", "Set-Cookie": "sid=abc; Path=/"})
    site.route("/job", body=PAGE, headers={"Set-Cookie": "other=1; Path=/"})

    fetch(site.url("/start"))

    assert [seen.path for seen in site.requests] == ["/start", "/job"]
    for seen in site.requests:
        assert seen.headers["user-agent"].startswith("JobTraxImporter/1.0 (+http")
        assert "/jobs/import/fetcher/" in seen.headers["user-agent"]
        assert "cookie" not in seen.headers
        assert "referer" not in seen.headers
        assert "accept-language" not in seen.headers
        assert "authorization" not in seen.headers


def test_the_user_agent_links_to_a_public_page_that_explains_the_fetcher(client, site):
    site.route("/job", body=PAGE)
    fetch(site.url("/job"))
    link = site.requests[0].headers["user-agent"].split("(+", 1)[1].rstrip(")")
    path = "/" + link.split("/", 3)[3]

    response = client.get(path)

    assert response.status_code == 200
    assert b"JobTraxImporter" in response.content
    assert b"only" in response.content and b"asked" in response.content


def test_it_decompresses_gzip_and_deflate(site):
    site.route("/gz", body=gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})
    site.route("/zz", body=zlib.compress(PAGE), headers={"Content-Encoding": "deflate"})

    assert fetch(site.url("/gz")).content == PAGE
    assert fetch(site.url("/zz")).content == PAGE


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/ld+json", "application/xhtml+xml"]
)
def test_it_reads_json_and_xhtml(site, content_type):
    url = site.route("/api", body=b'{"title": "Engineer"}', content_type=content_type)

    assert fetch(url).content == b'{"title": "Engineer"}'


# Which addresses -------------------------------------------------------------------------------

BLOCKED_LITERALS = [
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://100.127.255.254/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://239.255.255.250/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://192.0.2.10/",
    "http://198.18.0.1/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[::]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://[2001:db8::1]/",
    "http://[::169.254.169.254]/",
]


@pytest.mark.parametrize("url", BLOCKED_LITERALS)
def test_it_refuses_every_address_that_is_not_global_even_with_loopback_allowed(site, url):
    assert fetch_error(url) == "blocked_address"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/job",
        "http://127.9.9.9:{port}/job",
        "http://[::1]:{port}/job",
        "http://[::ffff:127.0.0.1]:{port}/job",
        "http://2130706433:{port}/job",
        "http://0x7f000001:{port}/job",
        "http://localhost:{port}/job",
    ],
)
def test_it_refuses_loopback_in_every_spelling_without_the_test_setting(site, settings, url):
    site.route("/job", body=PAGE)
    settings.IMPORTER_ALLOW_LOOPBACK = False

    # On the test server's port the port alone is refused; on a web port, the address.
    assert fetch_error(url.format(port=site.port)) in ("blocked_port", "blocked_address")
    assert fetch_error(url.replace(":{port}", "")) == "blocked_address"
    assert site.requests == []


def test_it_ignores_the_loopback_switch_under_production_https_settings(site, settings):
    site.route("/job", body=PAGE)
    settings.SECURE_HTTPS = True

    assert fetch_error(site.url("/job")) in ("blocked_port", "blocked_address")
    assert fetch_error("http://127.0.0.1/job") == "blocked_address"
    assert site.requests == []


@pytest.mark.parametrize(
    "answers",
    [["10.1.2.3"], ["169.254.169.254"], ["93.184.215.14", "192.168.0.7"], ["fd00::5"]],
)
def test_it_refuses_a_name_when_any_answer_is_not_global(site, answers):
    resolver = resolver_for({"jobs.example.test": answers})

    assert fetch_error("https://jobs.example.test/job/1", resolver=resolver) == "blocked_address"


def test_it_resolves_once_and_connects_to_the_checked_address_keeping_the_host(site):
    site.route("/job", body=PAGE)
    answers = iter([["127.0.0.1"], ["10.0.0.9"]])  # a rebinding DNS server's two answers
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    fetched = fetch(f"http://jobs.example.test:{site.port}/job", resolver=rebinding)

    assert fetched.content == PAGE
    assert calls == ["jobs.example.test"]
    assert site.requests[0].headers["host"] == f"jobs.example.test:{site.port}"


def test_it_reports_a_dns_failure(site):
    resolver = resolver_for({})

    assert fetch_error("https://no-such-host.example.test/", resolver=resolver) == "dns_failure"


def test_it_reports_a_site_that_cannot_be_reached(site):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]

    assert fetch_error(f"http://127.0.0.1:{free_port}/") == "connect_failed"


@pytest.fixture
def tls_site(settings):
    """An HTTPS server on loopback with a certificate for jobs.example.test, recording SNI."""
    trustme = pytest.importorskip("trustme")
    settings.IMPORTER_ALLOW_LOOPBACK = True
    ca = trustme.CA()
    server_names: list[str | None] = []
    site = LoopbackSite()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("jobs.example.test").configure_cert(context)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    site.start()
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    yield site, client_context, server_names
    site.stop()


def test_it_keeps_the_tls_server_name_while_connecting_to_the_checked_address(tls_site):
    site, client_context, server_names = tls_site
    site.route("/job", body=PAGE)
    resolver = resolver_for({"jobs.example.test": ["127.0.0.1"]})

    fetched = fetch(
        f"https://jobs.example.test:{site.port}/job", resolver=resolver, ssl_context=client_context
    )

    assert fetched.content == PAGE
    assert server_names == ["jobs.example.test"]


def test_it_checks_the_certificate_against_the_name_not_the_address(tls_site):
    site, client_context, _names = tls_site
    site.route("/job", body=PAGE)
    resolver = resolver_for({"other.example.test": ["127.0.0.1"]})

    code = fetch_error(
        f"https://other.example.test:{site.port}/job", resolver=resolver, ssl_context=client_context
    )

    assert code == "connect_failed"
    assert site.requests == []


# Redirects -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://[::ffff:192.168.1.1]/",
    ],
)
def test_it_checks_each_redirect_again(site, target):
    url = site.route("/go", status=302, headers={"Location": target})

    assert fetch_error(url) == "blocked_address"
    assert [seen.path for seen in site.requests] == ["/go"]


def test_it_follows_three_redirects_but_not_four(site):
    site.route("/job", body=PAGE)
    for index in range(4):
        target = f"/r{index + 1}" if index < 3 else "/job"
        site.route(f"/r{index}", status=301, headers={"Location": target})

    assert fetch(site.url("/r1")).content == PAGE
    assert fetch_error(site.url("/r0")) == "too_many_redirects"


def test_it_stops_a_redirect_loop(site):
    site.route("/a", status=302, headers={"Location": "/b"})
    site.route("/b", status=307, headers={"Location": "/a"})

    assert fetch_error(site.url("/a")) == "redirect_loop"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/"])
def test_it_refuses_a_redirect_out_of_http(site, target):
    url = site.route("/go", status=302, headers={"Location": target})

    assert fetch_error(url) == "bad_url"


# Limits ----------------------------------------------------------------------------------------


def test_it_stops_a_50_mb_page_early(site, settings):
    sent = []

    def fifty_megabytes():
        for _ in range(50 * 16):
            sent.append(1)
            yield b"x" * 65536

    site.route("/huge", stream=fifty_megabytes)
    started = time.monotonic()

    assert fetch_error(site.url("/huge")) == "too_large"
    assert time.monotonic() - started < 3
    assert len(sent) < 50 * 16


def test_it_refuses_a_page_announced_larger_than_the_limit(site):
    url = site.route("/big", body=b"", headers={"Content-Length": str(50 * 1024 * 1024)})

    assert fetch_error(url) == "too_large"


@pytest.mark.parametrize(
    "encoding,compress",
    [("gzip", gzip.compress), ("deflate", zlib.compress)],
)
def test_it_stops_a_compression_bomb_counting_after_decompression(site, encoding, compress):
    bomb = compress(b"<html>" + b"\0" * (40 * 1024 * 1024))
    url = site.route("/bomb", body=bomb, headers={"Content-Encoding": encoding})

    assert len(bomb) < 2 * 1024 * 1024
    assert fetch_error(url) == "too_large"


def test_it_accepts_a_page_just_under_the_limit(site, settings):
    settings.IMPORTER_MAX_BYTES = 4096
    body = b"a" * 4096
    url = site.route("/fits", body=gzip.compress(body), headers={"Content-Encoding": "gzip"})

    assert fetch(url).content == body


def test_it_refuses_an_encoding_it_did_not_ask_for(site):
    url = site.route("/br", body=b"\x1b\x00", headers={"Content-Encoding": "br"})

    assert fetch_error(url) == "bad_encoding"


def test_it_gives_up_on_a_site_that_answers_too_slowly(site, settings):
    settings.IMPORTER_FETCH_TIMEOUT = 1.0
    url = site.route("/slow", body=PAGE, delay=3)
    started = time.monotonic()

    assert fetch_error(url) == "timeout"
    assert time.monotonic() - started < 2


def test_it_holds_one_deadline_for_a_page_that_trickles_in(site, settings):
    settings.IMPORTER_FETCH_TIMEOUT = 1.0

    def trickle():
        for _ in range(40):
            time.sleep(0.1)
            yield b"<p>x</p>"

    site.route("/trickle", stream=trickle)
    started = time.monotonic()

    assert fetch_error(site.url("/trickle")) == "timeout"
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", "image/png", "image/svg+xml", "text/plain", "application/zip", None],
)
def test_it_reads_only_html_xhtml_and_json(site, content_type):
    url = site.route("/file", body=b"%PDF-1.7 ...", content_type=content_type)

    assert fetch_error(url) == "unsupported_type"


@pytest.mark.parametrize(
    "status,code",
    [(404, "not_found"), (410, "not_found"), (403, "site_refused"), (500, "site_error"),
     (503, "site_error")],
)  # fmt: skip
def test_it_reports_the_sites_error_status(site, status, code):
    url = site.route("/job", status=status, body=b"<h1>error</h1>")

    assert fetch_error(url) == code


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "example.com/job",
        "ftp://example.com/job",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "gopher://example.com/",
        "http://",
        "http://user:secret@example.com/job",
        "http://example.com:0/",
        "http://example.com:99999/",
        "http://exa mple.com/",
        "https://example.com/" + "a" * 3000,
    ],
)
def test_it_refuses_what_is_not_an_http_address(url):
    assert fetch_error(url) == "bad_url"


def test_every_error_code_has_a_message_for_the_user():
    from importer.fetch import MESSAGES

    for code, message in MESSAGES.items():
        assert FetchError(code).message == message
        assert message.endswith(".")


@pytest.mark.parametrize(
    "address,public",
    [("93.184.215.14", True), ("2606:4700:4700::1111", True), ("100.64.0.1", False),
     ("::ffff:8.8.8.8", True), ("64:ff9b::808:808", True), ("64:ff9b::a00:1", False)],
)  # fmt: skip
def test_it_reads_embedded_ipv4_in_ipv6_forms(address, public):
    import ipaddress

    assert is_public(ipaddress.ip_address(address)) is public


# Production refuses the test switch ----------------------------------------------------------


def _settings_in_subprocess(extra_env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.pop("IMPORTER_ALLOW_LOOPBACK", None)
    env |= {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "jobtrax.example",
        "DJANGO_SETTINGS_MODULE": "jobtrax.settings",
        "JOBTRAX_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra_env,
    }
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print('loopback', settings.IMPORTER_ALLOW_LOOPBACK)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_production_settings_refuse_the_loopback_switch(tmp_path):
    result = _settings_in_subprocess({"IMPORTER_ALLOW_LOOPBACK": "true"}, tmp_path)

    assert result.returncode != 0
    assert "IMPORTER_ALLOW_LOOPBACK is for the test suite only" in result.stderr


def test_production_settings_leave_loopback_refused_by_default(tmp_path):
    result = _settings_in_subprocess({}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "loopback False" in result.stdout


def test_the_fetcher_never_touches_the_network_for_a_refused_address(site, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("a refused address was connected to")

    monkeypatch.setattr(socket, "create_connection", no_connection)

    assert fetch_error("http://169.254.169.254/") == "blocked_address"


# Only web ports, and IANA's special-purpose blocks by an explicit table ------------------------


@pytest.mark.parametrize(
    "address",
    ["192.0.0.8", "192.0.0.9", "192.0.0.170", "100.64.0.1", "100.127.255.254", "198.18.0.1",
     "198.19.255.1", "240.0.0.1", "255.255.255.255", "192.88.99.1", "192.31.196.1",
     "192.52.193.1", "192.175.48.1", "0.1.2.3", "3fff::1", "5f00::1", "100::1", "2001:2::1",
     "2001:20::1"],
)  # fmt: skip
def test_it_treats_every_iana_special_purpose_block_as_not_public(address):
    import ipaddress

    assert is_public(ipaddress.ip_address(address)) is False


@pytest.mark.parametrize("port", [22, 25, 3306, 6379, 8080, 8443, 65535])
def test_it_refuses_a_port_other_than_80_and_443_before_resolving_or_connecting(port, settings):
    settings.IMPORTER_ALLOW_LOOPBACK = False
    calls: list = []

    code = fetch_error(
        f"http://jobs.example:{port}/job",
        resolver=resolver_for({"jobs.example": ["8.8.8.8"]}, calls),
    )

    assert code == "blocked_port"
    assert calls == []
    assert "80" in FetchError(code).message and "443" in FetchError(code).message


def test_loopback_test_mode_still_refuses_other_ports_on_a_public_address(site):
    calls: list = []

    code = fetch_error(
        "http://jobs.example:22/job", resolver=resolver_for({"jobs.example": ["8.8.8.8"]}, calls)
    )

    assert code == "blocked_port"


def test_a_redirect_to_another_port_is_refused(site, settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    url = site.route("/hop", status=302, headers={"Location": "http://jobs.example:25/"})

    assert fetch_error(url, resolver=resolver_for({"jobs.example": ["8.8.8.8"]})) == "blocked_port"
