"""One spelling per job posting URL, so the same posting saved twice is recognised."""

from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

# Query parameters that say how someone arrived, not which posting it is.
TRACKING_PARAMS = frozenset(
    {
        "gh_src",
        "lever-source",
        "lever-source[]",
        "lever-origin",
        "lever-via",
        "source",
        "src",
        "ref",
        "refid",
        "referrer",
        "trk",
        "trkinfo",
        "trackingid",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "igshid",
        "yclid",
        "wbraid",
        "gbraid",
        "ttclid",
        "twclid",
        "li_fat_id",
        "mkt_tok",
        "_ga",
        "_gl",
        "s_kwcid",
        "ef_id",
        "rdt_cid",
        "sc_cid",
        "ocid",
        "cmpid",
        "campaignid",
    }
)
DEFAULT_PORTS = {"http": "80", "https": "443"}


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMS


def strip_tracking(url: str) -> str:
    """The URL as given, less its tracking parameters (utm_*, gclid, fbclid, trk, refId...):
    what is stored. The other parameters keep their order and spelling."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and not _tracking(unquote_plus(pair.split("=", 1)[0]))
    ]
    return urlunsplit(parts._replace(query="&".join(kept)))


def normalize_url(url: str) -> str:
    """The canonical spelling of an http(s) URL, or "" for anything else.

    Scheme and host are lowercased, a default port, the fragment and tracking parameters
    are dropped, the remaining parameters are sorted, and a trailing slash does not count.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and str(port) != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _tracking(name)
    )
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def url_key(url: str) -> str:
    """A short, indexable key of a URL for duplicate checks ("" when there is no usable URL).

    http and https count as the same posting.
    """
    import hashlib

    normal = normalize_url(url)
    if not normal:
        return ""
    if normal.startswith("http://"):
        normal = "https://" + normal.removeprefix("http://")
    return hashlib.sha256(normal.encode()).hexdigest()
