"""Shared by the API, batch, portfolio and report tests: a small rule pack whose rules the tests
control (so assertions never depend on the shipped rule base, which evolves), and sites for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
PROGRAMME = PROFILES / "programmes" / "cafe-families-of-offenders.json"

PACK = """\
rules:
  - id: TP-RURAL
    title: The site is rural
    theme: resources
    category: context_mismatch
    severity: high
    when: site.setting == "rural"
    advice: "The site is {site.setting}."
    action: {do: Cost travel for families and staff., done_when: The budget has a travel line.,
             phase: before_launch, owner: programme lead}
    factors: [RS1]
    basis: {kind: guidance}
    source: {theme: resources, quote: "travel costs in rural areas"}
  - id: TP-NO-CHAMPIONS
    title: Nobody champions the programme
    theme: buy_in
    category: missing_buy_in
    severity: medium
    when: site.leadership.champions == 0
    advice: "No champions are named."
    action: {do: Recruit two champions., done_when: Two champions are named in the plan., phase: before_launch,
             owner: strategic sponsor}
    factors: [BI8]
    basis: {kind: guidance}
    source: {theme: buy_in, quote: "champions who drive the programme forward"}
  - id: TP-FEW-CHAMPIONS
    title: Only one champion
    theme: buy_in
    category: missing_buy_in
    severity: low
    when: site.leadership.champions == 1
    advice: "Only one champion."
    factors: [BI8]
    basis: {kind: guidance}
    source: {theme: buy_in, quote: "champions who drive the programme forward"}
  - id: TP-CHAMPIONS
    title: Champions are named
    theme: buy_in
    category: strength
    severity: low
    when: site.leadership.champions > 1
    advice: "Champions named."
    factors: [BI8]
    basis: {kind: guidance}
    source: {theme: buy_in, quote: "champions who drive the programme forward"}
"""

OTHER_PACK = """\
rules:
  - id: OP-URBAN
    title: The site is urban
    theme: flexibility
    category: context_mismatch
    severity: low
    when: site.setting == "urban"
    advice: "Urban site."
    factors: [FL1]
    basis: {kind: guidance}
    source: {theme: flexibility, quote: "adapted to local circumstances"}
"""


def write_pack(folder: Path, text: str = PACK, name: str = "test-pack") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(text, encoding="utf-8")
    (folder / "pack.yaml").write_text(f"name: {name}\nversion: '1.0'\n", encoding="utf-8")
    return folder


def site(site_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": site_id, "name": f"Site {site_id}", **fields}


def sites_with_known_findings() -> list[dict[str, Any]]:
    """Sites whose findings under PACK are known: (high, medium, low) per site id in the comment."""
    return [
        site("rural-none", setting="rural", leadership={"champions": 0}),  # 1 high, 1 medium
        site("urban-one", setting="urban", leadership={"champions": 1}),  # 1 low
        site("urban-many", setting="urban", leadership={"champions": 3}),  # 1 strength
        site("unknown"),  # nothing known, nothing found
    ]


def jsonl(documents: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(d) + "\n" for d in documents)
