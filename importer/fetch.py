"""Fetching a page a signed-in user asked for, without becoming anyone's proxy.

Every connection goes through `GuardedBackend`, the network layer of our own httpx transport:
it resolves the host name once, refuses every address that is not global, and connects to the
address it checked. The URL is left alone, so the Host header and the TLS server name (SNI and
certificate check) stay the site's own, and a second DNS answer can never change the target.

Redirects are followed by hand (at most IMPORTER_MAX_REDIRECTS, each hop checked the same way),
the body is decompressed here and counted after decompression (a gzip bomb stops at
IMPORTER_MAX_BYTES), the whole fetch has one deadline, and only HTML, XHTML and JSON are read.
Nothing about the user is sent: no cookies, no Referer, no language; a fixed User-Agent.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings
from django.urls import reverse

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

ALLOWED_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "application/json", "application/ld+json"}
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_URL_LENGTH = 2048
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# IANA's special-purpose address registries (IPv4 and IPv6), written out rather than left to
# the `ipaddress` module's flags, which lag behind them (Python 3.11.7 counts 192.0.0.8 as
# global). None of these is a web site's address. IPv6 forms that carry an IPv4 address
# (mapped, 6to4, Teredo, NAT64) are judged by the address they carry.
SPECIAL_PURPOSE = tuple(
    ipaddress.ip_network(block)
    for block in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
        "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "255.255.255.255/32",
        "::/128", "::1/128", "100::/64", "100:0:0:1::/64", "2001::/23", "2001:db8::/32",
        "2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10",
        "ff00::/8",
    )
)  # fmt: skip
WEB_PORTS = (80, 443)

# What a user is told for each way a fetch can fail. Only the code is ever stored or logged.
MESSAGES = {
    "bad_url": "That is not a web address: check it for a typo. A link to a posting starts "
    "with https:// or http://, like https://example.com/jobs/42.",
    "blocked_address": "That address points into a private or local network, so JobTrax will "
    "not fetch it. Paste the page itself instead.",
    "blocked_port": "JobTrax opens web pages only on the web's usual ports (80 and 443). Paste "
    "the page itself instead.",
    "dns_failure": "No site answers at that name. The link may be old or cut short: open it in "
    "your browser, and if the posting shows, paste the page here instead.",
    "connect_failed": "That site could not be reached. Try again later, or paste the page itself.",
    "timeout": "That site did not answer in time. Try again in a minute, or paste the page itself.",
    "redirect_loop": "That link redirects in a loop, so there is no page to read. Open it in "
    "your browser and paste the page instead.",
    "too_many_redirects": "That link redirects too many times. Open it in your browser and "
    "paste the address it ends on.",
    "too_large": "That page is too large to import (over 2 MB). Paste the posting's text instead.",
    "unsupported_type": "That address is not a web page but a file (such as a PDF or an image). "
    "Open it, copy the posting's text and paste it here.",
    "bad_encoding": "That site sent a page JobTrax cannot read. Paste the page itself instead.",
    "not_found": "That site says the page does not exist (404). The posting may have closed.",
    "site_refused": "That site refuses to show its pages to servers like JobTrax's, as many job "
    "boards do. Paste the page, or use the bookmarklet on the posting: both read it in your own "
    "browser.",
    "site_error": "That site had an error (5xx). Try again later, or paste the page itself.",
}


class FetchError(Exception):
    """A fetch that failed in a way the user can be told about; `code` is a key of MESSAGES."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str  # the media type, lower case, without parameters
    charset: str | None  # from the Content-Type header, if it named one


# Addresses -------------------------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries: mapped, 6to4, Teredo and NAT64 forms."""
    found = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in network for network in _NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def is_loopback(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_public(address: Address) -> bool:
    """True only for a global unicast address, whatever form it is written in."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded:
            return all(is_public(inner) for inner in embedded)
        if address.is_site_local:
            return False
    if any(address in block for block in SPECIAL_PURPOSE if block.version == address.version):
        return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
    )


def _loopback_mode() -> bool:
    # The test suite's fake sites live on loopback; production settings refuse this switch,
    # and with HTTPS on it is ignored here as well.
    return bool(settings.IMPORTER_ALLOW_LOOPBACK and not settings.SECURE_HTTPS)


def address_allowed(address: Address) -> bool:
    if is_public(address):
        return True
    return _loopback_mode() and is_loopback(address)


def port_allowed(port: int | None, addresses: list[Address] | None = None) -> bool:
    """Web ports only: anything else would let JobTrax probe third parties' other services.
    In the test suite's loopback mode, a loopback test server's own port too."""
    if port is None or port in WEB_PORTS:
        return True
    if not _loopback_mode():
        return False
    return addresses is None or all(is_loopback(address) for address in addresses)


_resolver_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="importer-dns")


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise FetchError("timeout")
        return left

    def clamp(self, timeout: float | None) -> float:
        left = self.remaining()
        return left if timeout is None else min(timeout, left)


# The network layer ------------------------------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._deadline.clamp(timeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve once, check every answer, connect to a checked address."""

    def __init__(self, *, deadline: _Deadline, resolver: Resolver) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline
        self._resolver = resolver

    def _resolve(self, host: str, port: int) -> list[Address]:
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            return [literal]
        future = _resolver_pool.submit(self._resolver, host, port)
        try:
            answers = future.result(timeout=self._deadline.remaining())
        except FutureTimeout:
            raise FetchError("timeout") from None
        except (OSError, UnicodeError):
            raise FetchError("dns_failure") from None
        addresses = []
        for answer in answers:
            try:
                addresses.append(ipaddress.ip_address(answer.split("%", 1)[0]))
            except ValueError:
                continue
        if not addresses:
            raise FetchError("dns_failure")
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.NetworkStream:
        if not port_allowed(port):
            raise FetchError("blocked_port")  # before any lookup or connection
        addresses = self._resolve(host, port)
        if not port_allowed(port, addresses):
            raise FetchError("blocked_port")
        # One non-global answer is enough to refuse: a name that can point inside is not
        # fetched at all, rather than fetched from whichever answer looks safe today.
        if not all(address_allowed(address) for address in addresses):
            raise FetchError("blocked_address")
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=self._deadline.clamp(timeout),
                    socket_options=socket_options,
                )
            except httpcore.ConnectTimeout:
                raise FetchError("timeout") from None
            except httpcore.ConnectError:
                continue
            return _DeadlineStream(stream, self._deadline)
        raise FetchError("connect_failed")

    def connect_unix_socket(self, *args, **kwargs) -> httpcore.NetworkStream:
        raise FetchError("bad_url")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self._deadline.remaining()))


class GuardedTransport(httpx.BaseTransport):
    """httpx's transport API over an httpcore pool that can only reach checked addresses."""

    def __init__(
        self,
        *,
        deadline: _Deadline,
        resolver: Resolver,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=2,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(deadline=deadline, resolver=resolver),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            core_response = self._pool.handle_request(core_request)
        except httpcore.TimeoutException:
            raise FetchError("timeout") from None
        except (httpcore.ConnectError, httpcore.NetworkError):
            raise FetchError("connect_failed") from None
        except httpcore.ProtocolError:
            raise FetchError("bad_encoding") from None
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseStream(core_response.stream),
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self):
        try:
            yield from self._stream
        except httpcore.TimeoutException:
            raise FetchError("timeout") from None
        except (httpcore.NetworkError, httpcore.ProtocolError):
            raise FetchError("connect_failed") from None

    def close(self) -> None:
        if hasattr(self._stream, "close"):
            self._stream.close()


# Bodies -------------------------------------------------------------------------------------


class _Inflater:
    """Decompress one Content-Encoding, never producing more than asked for."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._first = True
        if encoding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._obj = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise FetchError("bad_encoding")

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._obj.decompress(data, limit)
        except zlib.error:
            if not (self._first and self._encoding == "deflate"):
                raise FetchError("bad_encoding") from None
            # Some servers send raw deflate without the zlib header.
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            self._first = False
            return self.feed(data, limit)
        self._first = False
        # At most `limit` bytes come out; the caller stops once the body passes its cap.
        return out

    def flush(self) -> bytes:
        try:
            return self._obj.flush()
        except zlib.error:
            raise FetchError("bad_encoding") from None


def _read_body(response: httpx.Response, *, max_bytes: int, deadline: _Deadline) -> bytes:
    length = response.headers.get("content-length", "")
    encodings = [
        value.strip().lower()
        for value in response.headers.get("content-encoding", "").split(",")
        if value.strip() and value.strip().lower() != "identity"
    ]
    if not encodings and length.isdigit() and int(length) > max_bytes:
        raise FetchError("too_large")
    if len(encodings) > 1:
        raise FetchError("bad_encoding")
    inflater = _Inflater(encodings[0]) if encodings else None
    body = bytearray()
    for chunk in response.iter_raw(64 * 1024):
        deadline.remaining()
        if inflater is not None:
            chunk = inflater.feed(chunk, max_bytes - len(body) + 1)
        body += chunk
        if len(body) > max_bytes:
            raise FetchError("too_large")
    if inflater is not None:
        body += inflater.flush()
        if len(body) > max_bytes:
            raise FetchError("too_large")
    return bytes(body)


def _media_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, param_value = param.partition("=")
        if name.strip().lower() == "charset" and param_value.strip():
            charset = param_value.strip().strip("\"'")[:40]
    return media.strip().lower(), charset


# The fetch ----------------------------------------------------------------------------------


def user_agent() -> str:
    return f"JobTraxImporter/1.0 (+{settings.SITE_URL}{reverse('importer:fetcher')})"


def check_url(url: str) -> str:
    """The URL if it is an http(s) address JobTrax may try; FetchError("bad_url") if not."""
    if not isinstance(url, str):
        raise FetchError("bad_url")
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH or any(ord(ch) < 33 for ch in url):
        raise FetchError("bad_url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("bad_url") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_url")
    if parts.username is not None or parts.password is not None:
        raise FetchError("bad_url")
    if port == 0:
        raise FetchError("bad_url")
    if not port_allowed(port):
        raise FetchError("blocked_port")
    return url


def fetch(
    url: str,
    *,
    resolver: Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> Fetched:
    """GET a page for the importer, or raise FetchError with a code the user can be told."""
    current = check_url(url)
    deadline = _Deadline(settings.IMPORTER_FETCH_TIMEOUT)
    max_bytes = settings.IMPORTER_MAX_BYTES
    transport = GuardedTransport(
        deadline=deadline, resolver=resolver or system_resolve, ssl_context=ssl_context
    )
    headers = {
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml,application/json;q=0.9",
        "Accept-Encoding": "gzip, deflate",
    }
    seen = {current}
    with httpx.Client(
        transport=transport, headers=headers, follow_redirects=False, trust_env=False
    ) as client:
        for _hop in range(settings.IMPORTER_MAX_REDIRECTS + 1):
            client.cookies.clear()  # a site's cookies are never sent back, not even to itself
            try:
                request = client.build_request("GET", current, timeout=deadline.remaining())
            except (httpx.InvalidURL, UnicodeError, ValueError):
                raise FetchError("bad_url") from None
            response = client.send(request, stream=True)
            try:
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    location = response.headers.get("location", "")
                    if not location:
                        raise FetchError("site_error")
                    target = check_url(urljoin(current, location))
                    if target in seen:
                        raise FetchError("redirect_loop")
                    seen.add(target)
                    current = target
                    continue
                if status in (404, 410):
                    raise FetchError("not_found")
                if status == 999:  # what LinkedIn answers a server it will not serve
                    raise FetchError("site_refused")
                if status >= 500:
                    raise FetchError("site_error")
                if status >= 300 or status < 200:
                    raise FetchError("site_refused")
                media, charset = _media_type(response.headers.get("content-type", ""))
                if media not in ALLOWED_TYPES:
                    raise FetchError("unsupported_type")
                content = _read_body(response, max_bytes=max_bytes, deadline=deadline)
                return Fetched(url=current, content=content, content_type=media, charset=charset)
            finally:
                response.close()
    raise FetchError("too_many_redirects")
