"""The characterisation rules: options, consent, counting and small-cell suppression."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pqrs_core.domain.characterisation import (
    NO_ANSWER,
    QUESTIONS,
    characterise,
    clean_answers,
    suppressed,
    tally,
)
from pqrs_core.domain.errors import ValidationError

AT = datetime(2026, 12, 1, 15, tzinfo=UTC)


def test_every_question_may_be_answered_prefiero_no_responder() -> None:
    assert all(dict(q.options)[NO_ANSWER] == "Prefiero no responder" for q in QUESTIONS)
    assert [code for code, _label in QUESTIONS[-1].options] == ["1", "2", "3", "4", "5", "6", NO_ANSWER]


def test_blank_answers_are_dropped_and_unknown_ones_named() -> None:
    assert clean_answers({"sex": "mujer", "area": " ", "stratum": None}) == {"sex": "mujer"}
    with pytest.raises(ValidationError) as refused:
        clean_answers({"stratum": "7", "shoe_size": "40"})
    assert set(refused.value.errors) == {"stratum", "shoe_size"}


def test_nothing_is_kept_without_consent_or_without_answers() -> None:
    assert characterise({"sex": "mujer"}, consent=False, at=AT, channel="web_form") is None
    assert characterise({}, consent=True, at=AT, channel="web_form") is None
    kept = characterise({"sex": "mujer"}, consent=True, at=AT, channel="web_form")
    assert kept is not None and kept.consented_at == AT and len(kept.purpose_digest) == 64
    with pytest.raises(ValueError):
        characterise({"sex": "mujer"}, consent=True, at=datetime(2026, 12, 1), channel="web_form")


def test_small_cells_are_hidden_and_one_more_when_the_total_would_reveal_it() -> None:
    assert suppressed({"a": 12, "b": 0, "c": 7}) == {"a": 12, "b": 0, "c": 7}
    # «c» alone hidden could be worked out as total - a - d: the smallest other cell is hidden too.
    assert suppressed({"a": 12, "b": 0, "c": 3, "d": 6}) == {"a": 12, "b": 0, "c": None, "d": None}
    assert suppressed({"a": 1, "b": 4, "c": 9}) == {"a": None, "b": None, "c": 9}


def test_tally_counts_blank_questions_as_no_answer() -> None:
    counts = tally([{"sex": "mujer"}, {"sex": "mujer", "stratum": "3"}])
    assert counts["sex"]["mujer"] == 2 and counts["sex"][NO_ANSWER] == 0
    assert counts["stratum"]["3"] == 1 and counts["stratum"][NO_ANSWER] == 1
