"""What a question screen shows for a fact: its question in the reader's language, the labels of its
choices, and why we ask (the rules that read the fact, with their citations)."""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from safeguard.engine.rules import REGISTRY
from safeguard.facts.schema import fact_specs


@lru_cache(maxsize=1)
def _spanish() -> dict[str, Any]:
    return yaml.safe_load((resources.files("safeguard.web") / "questions_es.yaml").read_text("utf-8"))


def question_text(fact: str, lang: str) -> str:
    spec = fact_specs()[fact]
    if lang.startswith("es"):
        es = _spanish()
        for prefix, words in es["parents"].items():
            if fact.startswith(prefix + "_") and spec.group == "parent":
                template = es["questions"].get("P_" + fact[len(prefix) + 1:])
                if template:
                    return template.format(the_parent=words)
        if fact in es["questions"]:
            return es["questions"][fact]
    return spec.question


def value_label(value: str, lang: str) -> str:
    if lang.startswith("es"):
        return _spanish()["values"].get(value, value.replace("_", " "))
    return value.replace("_", " ")


@cache
def why_we_ask(fact: str) -> list[dict[str, str]]:
    """The one or two most direct rules reading this fact (fewest other facts first): meaning and citation."""
    rules = [r for r in REGISTRY.values() if fact in r.facts]
    rules.sort(key=lambda r: (len(r.facts), r.id))
    out = []
    for r in rules[:2]:
        out.append({"rule": r.id, "doc": r.doc, "citation": str(r.citation), "url": r.citation.url})
    return out


FOLLOW_UP_TYPES = ("date", "enum", "bool")


@cache
def follow_ups(fact: str, answer: bool = True) -> tuple[str, ...]:
    """The follow-up questions a "yes" (or, with answer=False, a "no") to this yes/no question calls for
    (facts.yaml `asked_after` with this question as their only gate), shown on the same screen as optional
    fields: a naturalization's date beside "did the mother naturalize?", "was she a U.S. national?" beside
    "was the mother a U.S. citizen?"."""
    specs = fact_specs()
    if specs[fact].type != "bool":
        return ()
    return tuple(n for n, s in specs.items()
                 if len(s.asked_after) == 1 and s.asked_after[0][0] == fact and answer in s.asked_after[0][1]
                 and s.type in FOLLOW_UP_TYPES)
