"""Whether search found a close match: does the top answer answer what was asked?

Search always ranks something first. A reader deserves to be told when the
first answer is probably about something else, and offered to ask instead.
This is a logistic model over what the ranking knew about its top answer:

    passage_cosine    meaning of the question vs the answer's passage
    question_cosine   meaning of the question vs the answer's question title
    focus_match       the answer's topic is what the question is about
    type_match        the answer's question type is what is asked

(Two more inputs, whether the answer was the lexical backend's first and
its score's margin over the next question, ranked no better than chance on
either LiveQA file and were left out.)

The coefficients, the threshold and how they were fitted and measured live
in close_match.json beside this module, written by bench/fit_close_match.py
from the LiveQA development questions (each file fitted on the other and
measured on itself first; bench/README.md). Nothing here is a hand-set rule:
refit when the ranking changes.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from askwell.search import ranking

MODEL_PATH = Path(__file__).with_name("close_match.json")

FEATURES = ("passage_cosine", "question_cosine", "focus_match", "type_match")


@dataclass(frozen=True)
class Model:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, values: Sequence[float]) -> float:
        z = self.intercept + sum(
            c * (v - m) / s
            for c, v, m, s in zip(self.coef, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def feature_values(top: ranking.Features) -> list[float]:
    """The model's inputs, read off the top answer's ranking features."""
    return [top.passage_cosine, top.question_cosine, top.focus_match, top.type_match]


@functools.cache
def model() -> Model:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return model_from(data)


def model_from(data: dict[str, Any]) -> Model:
    """A model from close_match.json's fields; refuses one made for other features."""
    if tuple(data["features"]) != FEATURES:
        raise ValueError(
            f"close_match.json was fitted on {data['features']}, not {FEATURES}: refit it"
        )
    return Model(
        mean=tuple(data["mean"]),
        scale=tuple(data["scale"]),
        coef=tuple(data["coef"]),
        intercept=float(data["intercept"]),
        threshold=float(data["threshold"]),
    )


def probability(values: Sequence[float]) -> float:
    return model().probability(values)


def is_close(values: Sequence[float] | None) -> bool:
    """True when the model is at least as sure as its threshold; no answer is
    never a close match."""
    return values is not None and probability(values) >= model().threshold
