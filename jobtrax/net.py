"""Client addresses: read once, and truncated wherever the full address is not needed."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def parse_ip(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address, with IPv4-mapped IPv6 (how dual-stack sockets report IPv4) read as IPv4."""
    try:
        address = ipaddress.ip_address(value or "")
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip_candidate(request: HttpRequest) -> str:
    """The client's address as sent, unparsed. Behind a trusted proxy, the last hop it appended."""
    candidate = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidate = forwarded.split(",")[-1].strip()
    return candidate


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a trusted proxy, the last hop it appended."""
    address = parse_ip(client_ip_candidate(request))
    return str(address) if address is not None else None


def truncate_ip(ip: str | None) -> str | None:
    """IPv4 to its /24, IPv6 to its /48: enough for abuse patterns, not enough to single out."""
    address = parse_ip(ip)
    if address is None:
        return None
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
