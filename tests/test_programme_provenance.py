"""Programme facts carry their provenance, and the shipped programmes say which facts are illustrative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replicate.errors import InputError
from replicate.loading import load_programme

ROOT = Path(__file__).resolve().parent.parent
PROGRAMMES = sorted((ROOT / "profiles" / "programmes").glob("*.json"))


def test_a_provenance_entry_must_name_a_real_programme_field() -> None:
    data = json.loads(PROGRAMMES[0].read_text(encoding="utf-8"))
    data["provenance"] = {"proven_context.settting": {"kind": "illustrative"}}
    with pytest.raises(InputError, match=r"no programme field 'proven_context\.settting'"):
        load_programme(data)


@pytest.mark.parametrize("path", PROGRAMMES, ids=lambda p: p.stem)
def test_every_shipped_programme_states_where_its_facts_come_from(path: Path) -> None:
    programme = load_programme(path)
    kinds = {entry.kind for entry in programme.provenance.values()}
    assert programme.provenance, "a shipped programme must say which of its facts are illustrative"
    assert "illustrative" in kinds  # every costs block is an estimate: the guidance gives no costs
    assert programme.provenance.get("costs") is not None and programme.provenance["costs"].kind == "illustrative"
    for entry in programme.provenance.values():
        assert entry.note.strip(), "say which passage, document or reason"
