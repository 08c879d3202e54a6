"""The fetch address policy: address classes, the named source's exception, and names resolving inward."""

from __future__ import annotations

import ipaddress
import socket

import httpx
import pytest

from flows.addresses import AddressPolicy, BlockedAddress, GuardedTransport, address_class, parse_networks


@pytest.mark.parametrize("address, kind", [
    ("93.184.215.14", "public"), ("2606:4700::1111", "public"),
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link_local"), ("fe80::1", "link_local"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"), ("192.168.1.1", "private"),
    ("fd00::1", "private"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("100.100.100.200", "reserved"),  # carrier-grade NAT space (a cloud's metadata service lives here too)
    ("192.0.2.1", "reserved"), ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("::ffff:169.254.169.254", "link_local"), ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
    ("172.32.0.1", "public"),
])
def test_address_classes(address: str, kind: str):
    assert address_class(ipaddress.ip_address(address)) == kind


def test_policy_trusts_the_named_host_once_then_its_class():
    policy = AddressPolicy(trusted_host="feeds.internal")
    loopback, metadata = ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("169.254.169.254")
    assert not policy.allows("other.example", loopback)
    assert policy.allows("feeds.internal", loopback)  # the user named it
    policy.seal()
    assert policy.allows("other.example", ipaddress.ip_address("127.0.0.2"))  # the same class as the source
    assert not policy.allows("other.example", metadata)
    assert not policy.allows("feeds.internal", metadata)  # sealed: the name no longer opens any address


def test_allowed_networks():
    policy = AddressPolicy(parse_networks("10.20.0.0/16, fd00::/8"))
    assert policy.allows("a", ipaddress.ip_address("10.20.3.4"))
    assert policy.allows("a", ipaddress.ip_address("fd00::5"))
    assert not policy.allows("a", ipaddress.ip_address("10.21.0.1"))
    with pytest.raises(ValueError, match="not a network"):
        parse_networks("10.0.0.0/33")


def test_a_name_resolving_to_an_internal_address_is_refused_before_connecting(monkeypatch: pytest.MonkeyPatch):
    """The check is on what the name resolves to at connection time (DNS rebinding gets the same check)."""
    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]

    def connect(*args: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    with httpx.Client(transport=GuardedTransport(AddressPolicy())) as client:
        with pytest.raises(BlockedAddress, match=r"news.example resolves to 169\.254\.169\.254: a link-local address"):
            client.get("http://news.example/latest/")
