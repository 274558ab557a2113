"""The platform registry: built-ins, aliases, unknown names, and plugins.

Plugins are tested as a third party would ship them: a fake distribution
(``<name>-1.0.dist-info/`` with METADATA and entry_points.txt, plus the plugin
module) written in a temporary folder that is put on ``sys.path``. The fixture puts
``sys.path`` back and reloads the platforms afterwards, so that every other test
sees the eight built-ins.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pytest

import crosspost_adapt
from crosspost_adapt import (
    ENTRY_POINT_GROUP,
    CrosspostError,
    InvalidPostError,
    Mention,
    Platform,
    PlatformRegistrationError,
    Post,
    Registry,
    UnknownPlatformError,
    get_platform,
    measure,
    platforms,
    reload_platforms,
    rules,
)
from crosspost_adapt.adapters import mastodon, x
from crosspost_adapt.adapters.registry import default_registry

BUILTINS = ("x", "facebook", "instagram", "snapchat", "linkedin", "threads", "bluesky", "mastodon")


# ------------------------------------------------------------------------ built-ins


def test_platforms_are_the_eight_builtins_in_order() -> None:
    assert platforms() == BUILTINS
    assert reload_platforms() == BUILTINS
    assert platforms() == BUILTINS


def test_the_package_registers_its_builtins_through_entry_points() -> None:
    eps = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert set(BUILTINS) <= set(eps)
    for name in BUILTINS:
        assert eps[name].load() is get_platform(name)
    assert ENTRY_POINT_GROUP == "crosspost_adapt.platforms"


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_platform_is_named_as_registered(name: str) -> None:
    platform = get_platform(name)
    assert isinstance(platform, Platform)
    assert platform.name == name
    assert platform.rules.name == name
    assert rules(name) is platform.rules
    assert platform.rules.display_name
    assert all(callable(step) for step in platform.steps)


ALIASES = [
    ("x", "x"),
    ("X", "x"),
    ("twitter", "x"),
    ("Twitter", "x"),
    ("TWITTER", "x"),
    (" twitter ", "x"),
    ("Instagram", "instagram"),
    ("MASTODON", "mastodon"),
    ("Bluesky\n", "bluesky"),
]


@pytest.mark.parametrize(("spelling", "name"), ALIASES)
def test_aliases_and_case(spelling: str, name: str) -> None:
    assert get_platform(spelling) is get_platform(name)
    assert rules(spelling) is rules(name)
    assert default_registry().canonical(spelling) == name
    assert spelling in default_registry()
    text = "Our autumn menu 🎃 https://example.com/menu 中文"
    assert measure(text, spelling) == measure(text, name)


def test_twitter_is_the_only_alias_of_the_builtins() -> None:
    aliases = {alias: p.name for p in default_registry() for alias in p.aliases}
    assert aliases == {"twitter": "x"}
    assert "twitter" not in platforms()


UNKNOWN = ["myspace", "", "   ", "tw itter", "xx", "twitter.com", "x.com", "mastodon.social"]


@pytest.mark.parametrize("name", UNKNOWN)
@pytest.mark.parametrize("lookup", [get_platform, rules, lambda n: measure("hi", n)])
def test_unknown_platform(name: str, lookup: Any) -> None:
    with pytest.raises(UnknownPlatformError) as info:
        lookup(name)
    exc = info.value
    assert isinstance(exc, LookupError)
    assert isinstance(exc, CrosspostError)
    assert exc.name == name
    assert exc.known == BUILTINS
    message = str(exc)
    assert message.startswith(f"unknown platform {name!r}")
    assert message.endswith("known platforms: " + ", ".join(BUILTINS))
    assert name not in default_registry()


@pytest.mark.parametrize("name", [None, 5, b"x"])
def test_non_string_platform_names_are_unknown(name: Any) -> None:
    with pytest.raises(UnknownPlatformError, match="known platforms: x, facebook"):
        get_platform(name)
    assert name not in default_registry()


# ------------------------------------------------------------------------ Platform


def _rules(name: str) -> Any:
    return attrs.evolve(mastodon.RULES, name=name, display_name=name.title())


# (kwargs of Platform, a piece of the error)
BAD_PLATFORMS: list[tuple[dict[str, Any], str]] = [
    ({"name": "My Platform", "rules": _rules("My Platform")}, "'My Platform'"),
    ({"name": "Mine", "rules": _rules("Mine")}, "lowercase"),
    ({"name": "", "rules": _rules("")}, "platform name ''"),
    ({"name": "9lives", "rules": _rules("9lives")}, "starting with a letter"),
    ({"name": "a" * 33, "rules": _rules("a" * 33)}, "at most 32"),
    ({"name": 5, "rules": mastodon.RULES}, "platform name 5"),
    ({"name": "mine", "rules": _rules("mine"), "aliases": ("Other",)}, "alias of 'mine'"),
    ({"name": "mine", "rules": _rules("mine"), "aliases": "other"}, "aliases must be a tuple"),
    ({"name": "mine", "rules": _rules("mine"), "aliases": 5}, "aliases must be a tuple"),
    ({"name": "mine", "rules": _rules("mine"), "aliases": ("mine",)}, "given twice"),
    ({"name": "mine", "rules": _rules("mine"), "aliases": ("m", "m")}, "given twice"),
    ({"name": "mine", "rules": mastodon.RULES.text}, "rules must be a PlatformRules"),
    ({"name": "mine", "rules": mastodon.RULES}, "rules are named 'mastodon', not 'mine'"),
    ({"name": "mine", "rules": _rules("mine"), "steps": ("not callable",)}, "not callable"),
    ({"name": "mine", "rules": _rules("mine"), "steps": len}, "steps must be a tuple"),
]


@pytest.mark.parametrize(("kwargs", "piece"), BAD_PLATFORMS)
def test_bad_platform(kwargs: dict[str, Any], piece: str) -> None:
    with pytest.raises(PlatformRegistrationError) as info:
        Platform(**kwargs)
    assert piece in str(info.value)
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, CrosspostError)


def test_platform_converts_aliases_and_steps_to_tuples() -> None:
    p = Platform(name="mine", rules=_rules("mine"), aliases=["m", "my"], steps=[len])
    assert p.aliases == ("m", "my")
    assert p.steps == (len,)


# ------------------------------------------------------------------------ Registry


def _platform(name: str, aliases: tuple[str, ...] = ()) -> Platform:
    return Platform(name=name, rules=_rules(name), aliases=aliases)


def test_registry_by_hand() -> None:
    mine = _platform("mine", ("my",))
    registry = Registry([mastodon.PLATFORM, mine, x.PLATFORM, _platform("aaa")])
    assert registry.names() == ("x", "mastodon", "aaa", "mine")  # built-ins first
    assert [p.name for p in registry] == ["x", "mastodon", "aaa", "mine"]
    assert len(registry) == 4
    assert registry.get("MY") is mine
    assert registry.get("twitter") is x.PLATFORM
    assert registry.canonical("My ") == "mine"
    assert "my" in registry
    assert "instagram" not in registry
    with pytest.raises(UnknownPlatformError) as info:
        registry.get("instagram")
    assert info.value.known == ("x", "mastodon", "aaa", "mine")
    assert Registry().names() == ()


# (what is registered first, then second: the second is refused)
DUPLICATES = [
    (_platform("mine"), _platform("mine"), "'mine'"),
    (_platform("mine", ("my",)), _platform("my"), "'my'"),
    (_platform("mine"), _platform("other", ("mine",)), "'mine'"),
    (_platform("mine", ("my",)), _platform("other", ("o", "my")), "'my'"),
    (x.PLATFORM, _platform("twitter"), "'twitter'"),
    (x.PLATFORM, _platform("tweeter", ("twitter",)), "'twitter'"),
    (x.PLATFORM, x.PLATFORM, "'x'"),
]


@pytest.mark.parametrize(("first", "second", "name"), DUPLICATES)
def test_registry_refuses_a_taken_name(first: Platform, second: Platform, name: str) -> None:
    registry = Registry([first])
    with pytest.raises(PlatformRegistrationError) as info:
        registry.register(second, origin="the second call")
    message = str(info.value)
    assert f"platform name {name}" in message
    assert "already taken" in message
    assert "the second call" in message
    assert "a direct call" in message  # where the first came from
    assert repr(first.name) in message
    # Nothing of the refused platform was registered, not even its free names.
    assert registry.names() == (first.name,)
    assert "o" not in registry
    with pytest.raises(PlatformRegistrationError):
        Registry([first, second])


@pytest.mark.parametrize("thing", ["x", x.RULES, None, object()])
def test_registry_refuses_what_is_not_a_platform(thing: Any) -> None:
    with pytest.raises(PlatformRegistrationError, match="not a crosspost_adapt Platform"):
        Registry().register(thing)


# ------------------------------------------------------------------------ plugins

PLUGIN_TEMPLATE = """
import attrs

from crosspost_adapt import Platform, TextRules
from crosspost_adapt.adapters import mastodon

RULES = attrs.evolve(
    mastodon.RULES,
    name={name!r},
    display_name="My Platform",
    text=TextRules(limit=321, unit="graphemes"),
)
PLATFORM = Platform(name={name!r}, rules=RULES, aliases={aliases!r})
"""


class FakeSite:
    """A folder on ``sys.path`` where fake distributions are installed."""

    def __init__(self, root: Path, mp: pytest.MonkeyPatch) -> None:
        self.root = root
        self.modules: list[str] = []
        root.mkdir()
        mp.syspath_prepend(str(root))

    def install(self, dist: str, entries: dict[str, str], modules: dict[str, str]) -> None:
        """Write ``dist``-1.0.dist-info with ``entries`` (name -> "module:attr") and
        the ``modules`` (name -> source)."""
        info = self.root / f"{dist}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
        )
        lines = [f"[{ENTRY_POINT_GROUP}]"] + [f"{k} = {v}" for k, v in entries.items()]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        for module, source in modules.items():
            (self.root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            self.modules.append(module)
        importlib.invalidate_caches()

    def install_platform(
        self, dist: str, name: str, *, module: str | None = None, aliases: tuple[str, ...] = ()
    ) -> None:
        """A distribution whose module ``module`` declares the platform ``name``."""
        module = module or f"{dist}_platforms"
        source = PLUGIN_TEMPLATE.format(name=name, aliases=aliases)
        self.install(dist, {name: f"{module}:PLATFORM"}, {module: source})


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FakeSite]:
    with pytest.MonkeyPatch.context() as mp:
        fake = FakeSite(tmp_path / "site", mp)
        try:
            yield fake
        finally:
            for module in fake.modules:
                sys.modules.pop(module, None)
    # sys.path is back as it was: read the entry points again.
    importlib.invalidate_caches()
    assert reload_platforms() == BUILTINS


def test_plugin_platform_is_registered(site: FakeSite) -> None:
    site.install_platform("fakeplugin", "myplatform", aliases=("myp",))
    assert reload_platforms() == (*BUILTINS, "myplatform")
    assert platforms() == (*BUILTINS, "myplatform")

    plugin = sys.modules["fakeplugin_platforms"]
    assert get_platform("myplatform") is plugin.PLATFORM
    assert get_platform("MyP") is plugin.PLATFORM
    assert rules("myplatform").text.limit == 321
    assert rules("myplatform").display_name == "My Platform"
    assert measure("héllo 👨‍👩‍👧‍👦", "myplatform") == 7  # graphemes
    assert measure("héllo 👨‍👩‍👧‍👦", "myp") == 7

    post = Post(
        text="hi @{bob}",
        variants={"MyP ": "hello @{bob}"},
        mentions={"bob": {"name": "Bob", "handles": {"myp": "@bob"}}},
    )
    assert post.variants == {"myplatform": "hello @{bob}"}
    assert post.mentions["bob"] == Mention("Bob", {"myplatform": "bob"})
    assert Post.from_dict(post.to_dict()) == post

    # A registry built on its own from the entry points sees the same.
    assert Registry.from_entry_points().names() == (*BUILTINS, "myplatform")


def test_plugins_follow_the_builtins_by_name(site: FakeSite) -> None:
    site.install_platform("zetaplugin", "zeta")
    site.install_platform("alphaplugin", "alpha")
    assert reload_platforms() == (*BUILTINS, "alpha", "zeta")


def test_platforms_are_read_again_only_on_reload(site: FakeSite) -> None:
    assert platforms() == BUILTINS
    site.install_platform("fakeplugin", "myplatform")
    assert platforms() == BUILTINS  # loaded once, on first use
    with pytest.raises(InvalidPostError, match="unknown platform 'myplatform'"):
        Post(text="hi", variants={"myplatform": "hi"})
    reload_platforms()
    assert Post(text="hi", variants={"myplatform": "hi"}).variants == {"myplatform": "hi"}


def test_state_is_restored_after_a_plugin(tmp_path: Path) -> None:
    try:
        with pytest.MonkeyPatch.context() as mp:
            FakeSite(tmp_path / "site", mp).install_platform("fakeplugin", "restored")
            assert "restored" in reload_platforms()
    finally:
        sys.modules.pop("fakeplugin_platforms", None)
        importlib.invalidate_caches()
        names = reload_platforms()
    assert names == BUILTINS
    with pytest.raises(UnknownPlatformError):
        rules("restored")
    with pytest.raises(InvalidPostError):
        Post(text="hi", variants={"restored": "hi"})


def test_duplicate_name_from_two_distributions(site: FakeSite) -> None:
    site.install_platform("fakeplugin", "myplatform", module="fake_one")
    site.install_platform("otherplugin", "myplatform", module="other_one")
    for load in (reload_platforms, Registry.from_entry_points):
        with pytest.raises(PlatformRegistrationError) as info:
            load()
        message = str(info.value)
        assert "platform name 'myplatform'" in message
        assert "already taken" in message
        assert "fakeplugin 1.0" in message
        assert "otherplugin 1.0" in message
        assert "fake_one:PLATFORM" in message
        assert "other_one:PLATFORM" in message
    # Never first-one-wins: the registry stays unusable until the conflict is gone.
    with pytest.raises(PlatformRegistrationError):
        platforms()


@pytest.mark.parametrize(
    ("name", "aliases", "taken"),
    [
        ("x", (), "'x'"),  # a built-in's name
        ("twitter", (), "'twitter'"),  # a built-in's alias as a name
        ("tweeter", ("twitter",), "'twitter'"),  # a built-in's alias as an alias
        ("mine", ("mastodon",), "'mastodon'"),  # a built-in's name as an alias
    ],
)
def test_plugin_cannot_take_a_builtin_name(
    site: FakeSite, name: str, aliases: tuple[str, ...], taken: str
) -> None:
    site.install_platform("fakeplugin", name, aliases=aliases)
    with pytest.raises(PlatformRegistrationError) as info:
        reload_platforms()
    message = str(info.value)
    assert f"platform name {taken}" in message
    assert "fakeplugin 1.0" in message
    assert "crosspost-adapt" in message or "crosspost_adapt" in message


# (the plugin module's source, a piece of the error besides the entry point's name)
BAD_PLUGINS = [
    ("PLATFORM = 'myplatform'\n", "is a str, not a crosspost_adapt Platform"),
    ("PLATFORM = None\n", "is a NoneType, not a crosspost_adapt Platform"),
    (
        "from crosspost_adapt.adapters import mastodon\nPLATFORM = mastodon.RULES\n",
        "is a PlatformRules, not a crosspost_adapt Platform",
    ),
    (
        "from crosspost_adapt.adapters import mastodon\nPLATFORM = mastodon.PLATFORM\n",
        "the entry point is named 'myplatform' but the platform is 'mastodon'",
    ),
    (
        PLUGIN_TEMPLATE.format(name="otherplatform", aliases=("myplatform",)),
        "the entry point is named 'myplatform' but the platform is 'otherplatform'",
    ),
    ("OTHER = 1\n", "cannot be loaded: AttributeError"),
    ("raise RuntimeError('broken plugin')\n", "cannot be loaded: RuntimeError: broken plugin"),
    ("import no_such_module_here\n", "cannot be loaded: ModuleNotFoundError"),
    (
        "import attrs\nfrom crosspost_adapt import Platform, rules\n"
        "PLATFORM = Platform(name='myplatform',"
        " rules=attrs.evolve(rules('mastodon'), name='myplatform'))\n",
        "a plugin cannot look platforms up",
    ),
    (
        "from crosspost_adapt import Platform\nfrom crosspost_adapt.adapters import mastodon\n"
        "PLATFORM = Platform(name='myplatform', rules=mastodon.RULES)\n",
        "cannot be loaded: PlatformRegistrationError: myplatform: rules are named 'mastodon'",
    ),
]


@pytest.mark.parametrize(("source", "piece"), BAD_PLUGINS)
def test_bad_plugin_is_reported_with_its_entry_point(
    site: FakeSite, source: str, piece: str
) -> None:
    entries = {"myplatform": "fakeplugin_mod:PLATFORM"}
    site.install("fakeplugin", entries, {"fakeplugin_mod": source})
    for load in (reload_platforms, Registry.from_entry_points):
        with pytest.raises(PlatformRegistrationError) as info:
            load()
        message = str(info.value)
        assert message.startswith(
            "entry point 'myplatform' (fakeplugin_mod:PLATFORM) from fakeplugin 1.0: "
        )
        assert piece in message


def test_entry_point_to_a_missing_module(site: FakeSite) -> None:
    site.install("fakeplugin", {"myplatform": "fakeplugin_absent:PLATFORM"}, {})
    with pytest.raises(PlatformRegistrationError, match=r"'myplatform'.*cannot be loaded"):
        reload_platforms()


def test_a_plugin_in_another_group_is_ignored(site: FakeSite) -> None:
    site.install_platform("fakeplugin", "myplatform")
    assert Registry.from_entry_points("crosspost_adapt.no_such_group").names() == ()
    assert reload_platforms() == (*BUILTINS, "myplatform")


def test_public_api_names() -> None:
    for name in ("platforms", "get_platform", "rules", "measure", "reload_platforms", "Registry"):
        assert name in crosspost_adapt.__all__
    assert set(crosspost_adapt.__all__) <= set(dir(crosspost_adapt))


def test_source_tree_without_metadata_still_has_the_builtins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Running from a source tree (PYTHONPATH=src), no entry points can be read:
    # the built-ins are registered directly, through the same validation.
    from importlib.metadata import PackageNotFoundError

    import crosspost_adapt.adapters.registry as registry_module

    def missing(name: str) -> None:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(registry_module, "entry_points", lambda group: [])
    monkeypatch.setattr(registry_module, "distribution", missing)
    registry = Registry.from_entry_points()
    assert registry.names() == BUILTINS
    assert registry.canonical("twitter") == "x"


def test_installed_package_without_entry_points_has_no_builtins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import crosspost_adapt.adapters.registry as registry_module

    monkeypatch.setattr(registry_module, "entry_points", lambda group: [])
    assert Registry.from_entry_points().names() == ()
