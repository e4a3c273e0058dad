"""Where the server may send requests of its own (webhooks), and how it sends them.

Every outbound URL is a way into the network the server sits in. The rules:

* only ``http`` and ``https``, no credentials in the URL;
* the host is resolved once and **every** address it resolves to must be public, unless it lies
  in a network the operator allowed explicitly (``jupylabel serve --allow-outbound 127.0.0.1/32``);
  loopback, private, link-local, shared (100.64/10), reserved, multicast and unspecified
  addresses are refused, IPv4-mapped IPv6 included, and so are numeric forms such as
  ``2130706433`` or ``0x7f.1`` (they resolve to 127.0.0.1);
* the request goes to the address that was checked (pinned), never resolved again, so a DNS
  name that flips to 127.0.0.1 between check and use gains nothing; redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import urlsplit


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class OutboundError(ValueError):
    """A URL the server will not call, and why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the request goes to


@dataclass
class OutboundPolicy:
    """``allow``: networks that may be called even though they are not public."""

    allow: list[Network] = field(default_factory=list)

    @classmethod
    def from_strings(cls, networks: Iterable[str]) -> OutboundPolicy:
        parsed = []
        for text in networks:
            try:
                parsed.append(ipaddress.ip_network(text.strip(), strict=False))
            except ValueError:
                raise OutboundError(f"{text!r} is not an IP network (write 127.0.0.1/32 or 10.0.0.0/8)") from None
        return cls(parsed)

    def allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self.allow):
            return True
        return ip.is_global and not (ip.is_multicast or ip.is_unspecified or ip.is_reserved)

    def check(self, url: str) -> Target:
        """Resolve ``url`` and check it; the returned target pins the address to connect to."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise OutboundError(f"not a valid URL: {exc}") from None
        if parts.scheme not in ("http", "https"):
            raise OutboundError(f"only http and https URLs are allowed, not {parts.scheme or 'none'!r}")
        if parts.username or parts.password:
            raise OutboundError("credentials in the URL are not allowed; use headers")
        host = parts.hostname
        if not host:
            raise OutboundError("the URL has no host")
        port = port or (443 if parts.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise OutboundError(f"cannot resolve {host}: {exc}") from None
        addresses = sorted({info[4][0] for info in infos})
        refused = [a for a in addresses if not self.allowed(a)]
        if refused or not addresses:
            raise OutboundError(
                f"{host} resolves to {', '.join(refused or addresses)}, a private, loopback or reserved "
                "address; the server calls such addresses only when started with --allow-outbound "
                "naming that network")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return Target(parts.scheme, host, port, path, addresses[0])


_POOL_KW = {"retries": False, "maxsize": 2, "block": False}


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST ``body`` to the pinned address of ``target``; return the status. No redirects."""
    headers = {**headers, "Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}"}
    import urllib3  # here: most servers never send a webhook

    t = urllib3.Timeout(connect=timeout, read=timeout)
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(target.address, target.port, timeout=t, server_hostname=target.host,
                                           assert_hostname=target.host, **_POOL_KW)
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, timeout=t, **_POOL_KW)
    try:
        response = pool.urlopen("POST", target.path, body=body, headers=headers, redirect=False,
                                preload_content=False)
        response.read(64 * 1024, decode_content=False)  # a receiver's answer is not read beyond this
        response.release_conn()
        return response.status
    finally:
        pool.close()
