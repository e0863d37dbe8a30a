"""The compiled rules kept on disk (engine/rule_cache.py): found again by the digest of the rules and
parameters, never when either changed; a damaged or unwritable cache is no error, only a fresh compile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from safeguard.engine import expr as X
from safeguard.engine import rule_cache
from safeguard.engine.compiled import compile_source, load_rules, rules_source
from safeguard.engine.rules import Citation, Rule
from safeguard.version import law_digest

CITE = Citation("test", "rule cache", "https://example.org/rule-cache-test")
CASE = Path(__file__).parent.parent / "src" / "safeguard" / "examples" / "guam-1960.json"


def _code():
    r = Rule("cached_rule", "test rule", CITE, X.Fact("a") & X.Fact("b"))
    return compile_source(rules_source([r], lambda e: [{}]))


def _cached_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.marshal"))


def test_a_cached_module_is_found_again_by_its_digest(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", str(tmp_path))
    compiled = []

    def fresh():
        compiled.append(1)
        return _code()

    first = rule_cache.cached_code("digest-one", fresh)
    again = rule_cache.cached_code("digest-one", fresh)
    assert len(compiled) == 1 and len(_cached_files(tmp_path)) == 1
    assert load_rules(again)["cached_rule"]({"a": True, "b": None}, {}, {}, None, []) is None
    assert load_rules(first)["cached_rule"]({"a": True, "b": True}, {}, {}, None, []) is True
    rule_cache.cached_code("digest-two", fresh)  # other rules or parameters: compiled afresh
    assert len(compiled) == 2 and len(_cached_files(tmp_path)) == 2


def test_a_damaged_file_is_compiled_afresh_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", str(tmp_path))
    rule_cache.cached_code("digest", _code)
    (path,) = _cached_files(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    compiled = []
    code = rule_cache.cached_code("digest", lambda: compiled.append(1) or _code())
    assert compiled == [1]
    assert load_rules(code)["cached_rule"]({"a": False}, {}, {}, None, []) is False
    assert rule_cache._read(path) is not None  # written again
    path.write_bytes(b"short")
    assert rule_cache._read(path) is None


def test_no_folder_or_an_unwritable_one_only_compiles(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", "")
    assert rule_cache.cache_dir() is None
    assert load_rules(rule_cache.cached_code("digest", _code))["cached_rule"]({}, {}, {}, None, []) is None
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", str(blocked / "cache"))
    assert load_rules(rule_cache.cached_code("digest", _code))["cached_rule"]({}, {}, {}, None, []) is None


def test_old_modules_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", str(tmp_path))
    for i in range(rule_cache.KEEP + 3):
        rule_cache.cached_code(f"digest-{i}", _code)
    assert len(_cached_files(tmp_path)) == rule_cache.KEEP
    newest = tmp_path / f"rules-{rule_cache.cache_key(f'digest-{rule_cache.KEEP + 2}')}.marshal"
    assert newest in _cached_files(tmp_path)


def test_the_digest_changes_with_any_rule_expression():
    a = Rule("digest_rule", "test rule", CITE, X.Fact("a") < X.day("2001-01-01"))
    b = Rule("digest_rule", "test rule", CITE, X.Fact("a") < X.day("2001-01-02"))
    assert law_digest([a]) != law_digest([b])
    assert law_digest([a]) == law_digest([a]) and law_digest() != law_digest([a])
    assert rule_cache.cache_key(law_digest([a])) != rule_cache.cache_key(law_digest([b]))


def test_a_screen_from_the_cache_is_the_screen_compiled_afresh(tmp_path):
    """Whole processes: no cache, then a cache written, then read back; the same result document each time."""
    def run(cache: str) -> dict:
        env = {**os.environ, "SAFEGUARD_CACHE_DIR": cache}
        r = subprocess.run([sys.executable, "-m", "safeguard", "screen", str(CASE), "--explain", "--as-of", "2026-11-23"],
                           capture_output=True, text=True, env=env, check=True)
        return json.loads(r.stdout)

    fresh = run("")
    written = run(str(tmp_path))
    assert len(_cached_files(tmp_path)) == 1
    read = run(str(tmp_path))
    assert fresh == written == read
