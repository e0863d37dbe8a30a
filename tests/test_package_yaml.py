"""The shipped YAML files (parameters, facts.yaml, the arrangement catalogue) read by libyaml's parser give
exactly what PyYAML's own parser gives: the same values, of the same types."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safeguard import package_yaml
from safeguard.arrangements.load import _Loader as CatalogueLoader

PACKAGE = Path(__file__).parent.parent / "src" / "safeguard"
SHIPPED = sorted(PACKAGE.glob("params/*.yaml")) + [PACKAGE / "facts" / "facts.yaml"]
CATALOGUE = sorted(PACKAGE.glob("arrangements/catalogue/*.yaml"))


def _typed(value):
    """The value with every type spelt out (1 and True, '1' and 1 are not the same here)."""
    if isinstance(value, dict):
        return {(_typed(k)): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _pure(loader: type) -> type:
    """The same loader on PyYAML's pure-Python parser."""
    return type("Pure" + loader.__name__, (yaml.SafeLoader,), {"yaml_implicit_resolvers": loader.yaml_implicit_resolvers})


def test_libyaml_is_used_when_pyyaml_has_it():
    assert package_yaml.safe_loader() is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


@pytest.mark.parametrize("path", SHIPPED + CATALOGUE, ids=lambda p: p.name)
def test_shipped_file_reads_the_same_with_either_parser(path):
    text = path.read_text(encoding="utf-8")
    loader = CatalogueLoader if path in CATALOGUE else package_yaml.safe_loader()
    fast = package_yaml.load(text, loader)
    assert fast, f"{path} read as empty"
    assert _typed(fast) == _typed(yaml.load(text, Loader=_pure(loader)))  # noqa: S506 - a safe loader


def test_the_catalogue_loader_keeps_its_own_rules():
    """No implicit dates, YAML 1.2 booleans: 'yes' stays text, a date stays text for the model to read."""
    data = package_yaml.load("a: yes\nb: 2025-03-15\nc: true\n", CatalogueLoader)
    assert data == {"a": "yes", "b": "2025-03-15", "c": True}


def test_what_is_kept_reads_back_as_parsed(tmp_path, monkeypatch):
    """The parameters and facts.yaml kept as JSON (package_yaml.load_kept) read back with the same values of
    the same types (dates stay dates), from the file kept as from the parse."""
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", str(tmp_path))
    texts = [p.read_text(encoding="utf-8") for p in SHIPPED]
    parsed = [package_yaml.load(t) for t in texts]
    made = package_yaml.load_kept("test", texts)
    assert len(list(tmp_path.glob("test-*.json"))) == 1
    again = package_yaml.load_kept("test", texts)
    assert _typed(made) == _typed(again) == _typed(parsed)
