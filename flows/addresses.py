"""Which addresses a fetch may connect to: no request from a hostile feed reaches the machine's own services.

A feed's author is not trusted. A link to ``http://169.254.169.254/`` (a cloud's metadata service), to a
private network or to loopback (an unauthenticated Prefect API) is refused before any packet is sent. The check
runs where the connection is made, on the address the socket connects to after DNS resolution, for the first
request and for every redirect: a name that resolves (or re-resolves) to an internal address is refused too.

Exceptions: a URL the user names (``--source``, a sources file) may be on any address, and once it is
connected the links found in it may reach addresses of the same class (a feed on loopback may link to
loopback). ``NEWSFLOW_FETCH_ALLOWED_NETWORKS`` lists further networks every fetch may reach.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# RFC 1918 and unique local IPv6: "private" in the narrow sense (Python's is_private is much wider).
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                               "fc00::/7"))


class BlockedAddress(Exception):
    """A connection the address policy refused (nothing was sent)."""

    def __init__(self, host: str, addresses: list[tuple[IPAddress, str]]) -> None:
        kinds = ", ".join(sorted({kind.replace("_", "-") for _, kind in addresses}))
        shown = ", ".join(str(address) for address, _ in addresses)
        where = f"{host} is" if shown == host.strip("[]") else f"{host} resolves to {shown}:"
        super().__init__(f"{where} a {kinds} address, which links may not reach "
                         "(NEWSFLOW_FETCH_ALLOWED_NETWORKS lists networks that may be reached)")
        self.host, self.addresses = host, addresses


def address_class(address: IPAddress) -> str:
    """``public``, or why an address is not: ``loopback``, ``link_local``, ``private``, ``multicast``,
    ``unspecified`` or ``reserved`` (anything else not globally routable: carrier-grade NAT, documentation,
    benchmarking, 240/4, broadcast ...). An IPv4-mapped IPv6 address is classed as its IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link_local"
    if address.is_multicast:
        return "multicast"
    if any(address in network for network in PRIVATE_NETWORKS if network.version == address.version):
        return "private"
    return "public" if address.is_global else "reserved"


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Comma- or space-separated networks in CIDR notation (a bare address is a /32 or /128)."""
    networks = []
    for item in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise ValueError(f"not a network: {item!r} (write e.g. 10.0.0.0/8 or fd00::/8)") from error
    return tuple(networks)


class AddressPolicy:
    """The addresses one source's fetches may connect to: public ones, the extra networks, and those of the
    class the named source itself is on. ``trusted_host`` (the host the user named) may be on any address
    until ``seal`` is called, after its own fetch: from then on its links and theirs are checked by class."""

    def __init__(self, allowed_networks: Iterable[IPNetwork] = (), trusted_host: str | None = None) -> None:
        self.allowed_networks = tuple(allowed_networks)
        self.allowed_classes = {"public"}
        self.trusted_host = trusted_host.lower().strip("[]") if trusted_host else None

    def allows(self, host: str, address: IPAddress) -> bool:
        """Whether a connection to ``address`` (resolved from ``host``) may be made; the trusted host's class
        becomes allowed for the links found in it."""
        kind = address_class(address)
        if self.trusted_host is not None and host.lower().strip("[]") == self.trusted_host:
            self.allowed_classes.add(kind)
            return True
        return kind in self.allowed_classes or any(
            address in network for network in self.allowed_networks if network.version == address.version)

    def seal(self) -> None:
        """The named source has been fetched: its host is no longer trusted whatever it resolves to."""
        self.trusted_host = None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, resolving the host itself and connecting only to allowed addresses, by
    address: what is checked is what the socket connects to (TLS still verifies the host's name)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        allowed = [address for address in addresses if self.policy.allows(host, address)]
        if not allowed:
            raise BlockedAddress(host, [(address, address_class(address)) for address in addresses])
        error: Exception | None = None
        for address in allowed:
            try:
                return super().connect_tcp(str(address), port, timeout=timeout, local_address=local_address,
                                           socket_options=socket_options)
            except httpcore.ConnectError as failure:  # try the next address, like socket.create_connection
                error = failure
        assert error is not None
        raise error


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose connections go through ``GuardedBackend``. Proxies from
    the environment are not used: the policy must see the address each request really goes to."""

    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__()
        # httpx takes no network backend; its transport delegates every request to this pool.
        self._pool.close()
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                             network_backend=GuardedBackend(policy))
