import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from byline.core.ip import anonymise_ip, client_ip, ip_fingerprint


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.BYLINE_TRUSTED_PROXIES = []
    assert client_ip(request_from("198.51.100.7", "6.6.6.6")) == "198.51.100.7"


def test_a_trusted_proxy_gives_the_address_it_saw(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request_from("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


def test_an_address_the_client_prepended_is_not_believed(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["127.0.0.1"]
    # The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the address it really saw.
    assert client_ip(request_from("127.0.0.1", "1.1.1.1, 203.0.113.9")) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_right_to_left(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    forwarded = "1.1.1.1, 203.0.113.9, 10.1.2.3, 10.9.9.9"
    assert client_ip(request_from("127.0.0.1", forwarded)) == "203.0.113.9"


def test_a_request_not_from_a_trusted_proxy_cannot_forward_anything(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_garbage_in_the_header_stops_the_walk_at_the_last_real_hop(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(request_from("127.0.0.1", "<script>, 10.0.0.5")) == "10.0.0.5"
    assert client_ip(request_from("127.0.0.1", "")) == "127.0.0.1"


def test_ports_brackets_and_ipv4_mapped_addresses_are_understood(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["::1", "127.0.0.1"]
    assert client_ip(request_from("::1", "[2001:db8::5]:443")) == "2001:db8::5"
    assert client_ip(request_from("127.0.0.1", "203.0.113.9:5123")) == "203.0.113.9"
    assert client_ip(request_from("::ffff:198.51.100.7")) == "198.51.100.7"


def test_the_trusted_proxies_setting_can_come_from_the_environment(settings, monkeypatch):
    del settings.BYLINE_TRUSTED_PROXIES
    monkeypatch.setenv("BYLINE_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert client_ip(request_from("10.2.3.4", "203.0.113.9, 127.0.0.1")) == "203.0.113.9"


def test_a_mistyped_proxy_stops_with_advice(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.local"]
    with pytest.raises(ImproperlyConfigured, match="BYLINE_TRUSTED_PROXIES=127.0.0.1"):
        client_ip(request_from("10.0.0.1", "203.0.113.9"))


def test_a_missing_remote_address_gives_an_empty_string():
    assert client_ip(request_from("")) == ""


def test_ipv4_addresses_lose_their_last_octet():
    assert anonymise_ip("203.0.113.97") == "203.0.113.0"


def test_ipv6_addresses_keep_only_their_48_bit_prefix():
    assert anonymise_ip("2001:db8:abcd:12:34::99") == "2001:db8:abcd::"


def test_anything_that_is_not_an_address_is_never_stored():
    assert anonymise_ip("<img src=x onerror=alert(1)>") == ""
    assert anonymise_ip("") == ""
    assert ip_fingerprint("nonsense") == ""


def test_the_fingerprint_is_stable_within_a_network_and_differs_between_networks():
    assert ip_fingerprint("203.0.113.5") == ip_fingerprint("203.0.113.200")
    assert ip_fingerprint("203.0.113.5") != ip_fingerprint("203.0.114.5")
    assert "203.0.113" not in ip_fingerprint("203.0.113.5")


def test_the_fingerprint_depends_on_the_secret_key(settings):
    before = ip_fingerprint("203.0.113.5")
    settings.SECRET_KEY = "another-secret-for-this-test-only-0123456789"
    assert ip_fingerprint("203.0.113.5") != before
