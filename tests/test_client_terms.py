"""A plan speaks of the people a programme serves in the programme's own words: a hospital
discharge service told to record "every family's outcomes" reads as advice written for somebody
else (examiners, rounds 21 to 24). Families stay the default, so family programmes read as before."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from replicate import Advisor, load_programme, load_site

ROOT = Path(__file__).resolve().parents[1] / "profiles"
CAFE = ROOT / "programmes" / "cafe-families-of-offenders.json"
RURAL = ROOT / "sites" / "rural-county.json"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _texts(plan: Any) -> list[str]:
    texts = [f.advice for f in plan.findings]
    texts += [f.action.do + " " + (f.action.done_when or "") for f in plan.findings if f.action is not None]
    texts += [a.do + " " + a.done_when for a in plan.actions]
    return texts


@pytest.mark.parametrize(("singular", "plural"), [("older person", "older people"), ("young person", "young people")])
def test_the_programmes_word_for_its_clients_replaces_families_in_advice_and_actions(
    durable_advisor: Advisor, singular: str, plural: str
) -> None:
    data: dict[str, Any] = json.loads(CAFE.read_text(encoding="utf-8"))
    data["clients"] = {"singular": singular, "plural": plural}
    default = durable_advisor.advise(load_programme(CAFE), load_site(RURAL))
    renamed = durable_advisor.advise(load_programme(data), load_site(RURAL))
    before, after = " ".join(_texts(default)), " ".join(_texts(renamed))
    assert re.search(r"\bfamil(y|ies)\b", before), "the rural county's plan should speak of families by default"
    assert plural in after or singular in after
    # What the rules say of families is now said of the programme's clients; only the programme's own
    # words (its name and principles, which mention families) may still say "families".
    # The words the programme and the site wrote themselves are quoted as written.
    own = sorted({s.rstrip(".") for s in [*_strings(data), *_strings(json.loads(RURAL.read_text(encoding="utf-8")))]
                  if " " in s}, key=len, reverse=True)
    for text in _texts(renamed):
        for words in own:
            text = text.replace(words, "")
        assert not re.search(r"\bfamil(y|ies)\b", text), text
    assert [f.rule_id for f in default.findings] == [f.rule_id for f in renamed.findings]
    assert default.decision.verdict == renamed.decision.verdict


def test_a_word_for_clients_that_cannot_sit_mid_sentence_is_refused() -> None:
    from replicate.errors import InputError

    data: dict[str, Any] = json.loads(CAFE.read_text(encoding="utf-8"))
    data["clients"] = {"singular": "Older Person", "plural": "older people"}
    with pytest.raises(InputError, match=r"clients\.singular"):
        load_programme(data)


@pytest.mark.parametrize(("decider", "said"), [("commissioner", "by the commissioner alone"),
                                               ("programme_developer", "by the programme's developer alone"),
                                               ("local_lead", "by the local lead alone")])
def test_who_decided_a_change_reads_as_a_noun_in_the_sentence(durable_advisor: Advisor, decider: str,
                                                              said: str) -> None:
    """'Was decided by commissioner alone' (851, 855)."""
    site: dict[str, Any] = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site["adaptations"] = [{"id": "evening", "touches": "flexible_delivery", "nature": "modify",
                            "description": "Evening sessions only.", "decided_by": decider}]
    plan = durable_advisor.advise(load_programme(CAFE), load_site(site))
    texts = " ".join(f.advice for f in plan.findings if f.subject_id == "evening")
    assert said in texts, texts
