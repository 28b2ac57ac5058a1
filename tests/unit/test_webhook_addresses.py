"""Which URLs a webhook may call: public addresses only, unless the allow-list names the host, the
address or its network; the check is made on what the name resolves to, every address of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pqrs_adapters.config import Config, ConfigError
from pqrs_adapters.webhooks.addresses import AllowList, UnsafeUrl, check_url

PUBLIC = "8.8.8.8"


def resolving(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fd00::1", "fe80::1",
                                     "::ffff:127.0.0.1", "192.0.2.10"])
def test_a_name_resolving_to_a_non_public_address_is_refused(address: str) -> None:
    with pytest.raises(UnsafeUrl, match="PQRS_WEBHOOK_ALLOW"):
        check_url("https://hooks.example.co/pqrs", AllowList(), resolving(address))


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with pytest.raises(UnsafeUrl):
        check_url("https://hooks.example.co/", AllowList(), resolving(PUBLIC, "10.0.0.1"))


def test_a_public_address_gives_the_target_to_connect_to() -> None:
    target = check_url("https://Hooks.Example.co:8443/pqrs?x=1", AllowList(),
                       resolving(PUBLIC, "2001:4860::8888"))

    assert (target.scheme, target.host, target.port, target.target) == ("https", "hooks.example.co", 8443,
                                                                        "/pqrs?x=1")
    assert target.addresses == (PUBLIC, "2001:4860::8888")
    assert target.host_header == "hooks.example.co:8443"
    assert check_url(f"http://{PUBLIC}", AllowList()).target == "/"


@pytest.mark.parametrize(("allow", "url", "resolved"), [
    ("127.0.0.1", "http://127.0.0.1:9000/x", ()),
    ("10.0.0.0/8", "http://crm.interno/x", ("10.20.30.40",)),
    ("crm.interno", "http://crm.interno/x", ("192.168.7.7",)),
    ("::1", "http://[::1]:8080/x", ()),
])
def test_the_allow_list_admits_hosts_addresses_and_networks(allow: str, url: str,
                                                            resolved: tuple[str, ...]) -> None:
    target = check_url(url, AllowList.parse(allow), resolving(*resolved))
    assert target.addresses


def test_an_allowed_name_does_not_allow_another_name_on_the_same_address() -> None:
    with pytest.raises(UnsafeUrl):
        check_url("http://otro.interno/x", AllowList.parse("crm.interno"), resolving("192.168.7.7"))


@pytest.mark.parametrize("url", ["ftp://8.8.8.8/x", "file:///etc/passwd", "https://user:pw@8.8.8.8/",
                                 "https:///sin-servidor", "https://8.8.8.8:99999/", "https://8.8.8.8/a b",
                                 "https://8.8.8.8/#frag", "//8.8.8.8/x", "https://" + "a" * 2000 + ".co/"])
def test_malformed_or_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_url(url, AllowList(), resolving(PUBLIC))


def test_a_name_that_does_not_resolve_is_refused() -> None:
    def fails(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(UnsafeUrl, match="No se pudo resolver"):
        check_url("https://no-existe.example.co/", AllowList(), fails)


@pytest.mark.parametrize("text", ["no es host", "10.0.0.0/33", "http://x.co"])
def test_an_allow_list_item_that_is_nothing_known_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="no es un nombre de host"):
        AllowList.parse(text)


def test_the_setting_is_read_once_and_a_wrong_item_is_named(tmp_path: Path) -> None:
    config = Config.from_env({"PQRS_WEBHOOK_ALLOW": "127.0.0.1, crm.interno"}, cwd=tmp_path)
    assert config.webhook_allow.hosts == frozenset({"crm.interno"})
    assert Config.from_env({}, cwd=tmp_path).webhook_allow == AllowList()
    with pytest.raises(ConfigError, match="PQRS_WEBHOOK_ALLOW: «no es host»"):
        Config.from_env({"PQRS_WEBHOOK_ALLOW": "no es host"}, cwd=tmp_path)
