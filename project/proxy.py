"""The client's address and scheme behind a reverse proxy, trusted only from the proxy.

Behind nginx (docs/nginx.conf) the TCP peer of every request is the proxy, and the
resident's address and the scheme arrive in X-Forwarded-For, X-Real-IP and
X-Forwarded-Proto. Anyone can send those headers, so they count only when the
peer is one of TRUSTED_PROXIES. The ASGI servers are run without their own
proxy-header handling (uvicorn --no-proxy-headers; daphne without
--proxy-headers, which would trust every peer): this is the one place that decides.
"""

import functools
import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES entries (addresses or CIDR ranges) as networks."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse_address(value: str) -> Address | None:
    """An IP address from a header or the peer, or None for anything else."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):  # "[::1]", as some proxies write IPv6
        value = value[1:-1]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address | None, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(peer: str, forwarded_for: str, real_ip: str, networks: tuple[Network, ...]) -> str:
    """The resident's address: the peer, unless the peer is a trusted proxy.

    A trusted proxy's X-Forwarded-For is read from the right (the hop it added
    last) past every trusted proxy; entries left of the first untrusted one were
    written by the client and may be forged. Without X-Forwarded-For, X-Real-IP
    is the proxy's single hop. A value that is not an address ends the walk.
    """
    address = parse_address(peer)
    if not is_trusted(address, networks):
        return str(address) if address is not None else peer
    hops = forwarded_for.split(",") if forwarded_for.strip() else [real_ip] if real_ip.strip() else []
    for hop in reversed(hops):
        forwarded = parse_address(hop)
        if forwarded is None:
            break
        address = forwarded
        if not is_trusted(address, networks):
            break
    return str(address)


class ForwardedHeadersMiddleware:
    """REMOTE_ADDR becomes the client's address; forwarded headers from anyone
    but a trusted proxy are dropped, so that no later code (the access log, the
    rate limits, SECURE_PROXY_SSL_HEADER) can read a forged one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
        peer = str(meta.get("REMOTE_ADDR") or "")
        trusted = is_trusted(parse_address(peer), networks)
        meta["REMOTE_ADDR"] = client_address(
            peer, str(meta.get("HTTP_X_FORWARDED_FOR", "")), str(meta.get("HTTP_X_REAL_IP", "")), networks
        )
        # The address is settled in REMOTE_ADDR; X-Real-IP and X-Forwarded-For
        # are not read again. The scheme stays only when a proxy said it.
        meta.pop("HTTP_X_REAL_IP", None)
        meta.pop("HTTP_X_FORWARDED_FOR", None)
        if not trusted:
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)
