"""The close-match model (search/close_match.py) and the file it ships with."""

from __future__ import annotations

import json

import pytest

from askwell.search import close_match
from askwell.search.close_match import FEATURES, MODEL_PATH, Model, model_from
from askwell.search.ranking import Features


def _model(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "features": list(FEATURES),
        "mean": [0.0] * len(FEATURES),
        "scale": [1.0] * len(FEATURES),
        "coef": [1.0] * len(FEATURES),
        "intercept": 0.0,
        "threshold": 0.5,
    }
    data.update(overrides)
    return data


def test_a_model_fitted_on_other_features_is_refused():
    with pytest.raises(ValueError, match="refit"):
        model_from(_model(features=["passage_cosine"]))


def test_the_probability_grows_with_a_feature_of_positive_weight():
    model = model_from(_model())
    low = model.probability([0.1, 0.2, 0.0, 0.0])
    high = model.probability([0.9, 0.2, 0.0, 0.0])
    assert 0.0 < low < high < 1.0


def test_the_features_are_read_off_the_top_answer():
    top = Features(
        rank_lexical=1,
        passage_cosine=0.7,
        question_cosine=0.8,
        focus_match=1.0,
        type_match=0.5,
    )
    assert close_match.feature_values(top) == [0.7, 0.8, 1.0, 0.5]


def test_no_answer_is_never_a_close_match():
    assert close_match.is_close(None) is False


def test_the_shipped_model_is_fitted_and_says_how():
    # The file bench/fit_close_match.py writes: the features this code reads,
    # real coefficients, a probability threshold, and its cross-fold figures.
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = model_from(data)
    assert isinstance(model, Model)
    assert any(c != 0.0 for c in model.coef)
    assert 0.0 < model.threshold < 1.0
    cross_fold = data["provenance"]["cross_fold"]
    assert set(cross_fold) == {
        "fitted on train1, measured on train2",
        "fitted on train2, measured on train1",
    }
