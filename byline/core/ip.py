"""Who is asking: the client's address behind trusted proxies, and how to keep it without keeping a person.

`client_ip(request)` believes `X-Forwarded-For` only as far as it was written by proxies the
operator listed in BYLINE_TRUSTED_PROXIES. The header is read right to left: each hop was appended by
the machine in front of it, so the first address that is *not* one of our proxies is the client.
Anything left of it was written by the client and may be invented. With no trusted proxies configured,
the header is ignored and REMOTE_ADDR is the client (a direct connection cannot lie about its address).

`anonymise_ip(ip)` cuts an address to its network (IPv4 /24, IPv6 /48) before anything is stored;
`ip_fingerprint(ip)` adds a keyed hash of that network, a stable id that counts bursts from one network
without being reversible to it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from byline.core.conf import byline_setting, register

register(
    "BYLINE_TRUSTED_PROXIES",
    [],
    "Addresses or networks (CIDR) of the reverse proxies in front of Byline, comma-separated; only these may "
    "tell us the client's address in X-Forwarded-For.",
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(value: str | None) -> IPAddress | None:
    """An address from a header or REMOTE_ADDR, or None.

    Accepts `1.2.3.4:80`, `[::1]:80` and `::ffff:1.2.3.4` (which becomes 1.2.3.4)."""
    text = (value or "").strip().strip('"')
    if not text or len(text) > 64:
        return None
    if text.startswith("["):  # [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]  # zone index (fe80::1%eth0)
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"BYLINE_TRUSTED_PROXIES contains {entry!r}, which is not an IP address or network. "
                "List proxies as addresses or CIDR networks, e.g. BYLINE_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8"
            ) from None
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    """The configured proxies, parsed (read at call time; a bad entry stops with advice)."""
    value = byline_setting("BYLINE_TRUSTED_PROXIES") or []
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    return _networks(tuple(str(item) for item in value))


def _is_trusted(ip: IPAddress, networks: tuple[Network, ...]) -> bool:
    return any(ip.version == net.version and ip in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the reader making `request` (a string), or "" when nothing usable is known."""
    remote = parse_ip(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return ""
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops[-32:]):
        ip = parse_ip(hop)
        if ip is None:
            # Garbage can only have been written by the client: the last good hop is as far as we can see.
            break
        client = ip
        if not _is_trusted(ip, networks):
            break
    return str(client)


def anonymise_ip(ip: str) -> str:
    """The network an address belongs to, as a string: IPv4 keeps 3 octets (x.y.z.0), IPv6 keeps /48.

    Returns "" for anything that is not an address, so a forged header can never end up stored verbatim.
    """
    parsed = parse_ip(ip)
    if parsed is None:
        return ""
    prefix = 24 if parsed.version == 4 else 48
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False).network_address)


def ip_fingerprint(ip: str) -> str:
    """A stable, keyed (SECRET_KEY) hash of the anonymised network: equal for one /24 or /48, else ""."""
    network = anonymise_ip(ip)
    if not network:
        return ""
    key = hashlib.sha256(f"byline.core.ip:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, network.encode(), hashlib.sha256).hexdigest()
