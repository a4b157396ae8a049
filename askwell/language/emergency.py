"""Does a message suggest an emergency? Then pages show what to do now, first.

Deliberately broad: a false alarm costs a reader a glance at a notice; a missed
one can cost far more.
"""

from __future__ import annotations

import re

PATTERNS = [
    r"chest (pain|pressure|tightness).{0,80}(breath|sweat|arm|jaw)|(breath|sweat|arm|jaw).{0,80}chest (pain|pressure|tightness)",
    r"\b(can'?t|cannot|unable to|hard to|trouble) breath(e|ing)\b",
    r"\b(face|mouth|smile) (is )?(droop|drooping|numb)|slurred speech|sudden (weakness|numbness|confusion|severe headache)|signs? of (a )?stroke|having a stroke",
    r"\b(suicid\w*|kill (my|him|her)sel(f|ves)|end (my|his|her) life|want to die|self[- ]harm)\b",
    r"\b(overdos\w*|took too many|swallowed (a )?(bottle|whole|lot of)|poison(ed|ing))\b",
    r"\b(severe|heavy|uncontrolled|won'?t stop) bleeding|bleeding (heavily|a lot|won'?t stop)|coughing up blood|vomiting blood\b",
    r"\b(unconscious|unresponsive|passed out and|not breathing|seizure (won'?t|that won'?t) stop|anaphyla\w*|throat (is )?(closing|swelling))\b",
]
_COMPILED = re.compile(
    "|".join(f"(?:{p})" for p in PATTERNS), re.IGNORECASE | re.DOTALL
)


# What plain-text surfaces (`askwell search`) print first when a message
# suggests an emergency; pages show components/_emergency.html.
NOTICE = (
    "If this is an emergency, get help now: call your local emergency number "
    "(911 in the US and Canada, 112 in Europe, 999 in the UK) or go to the "
    "nearest emergency department. If you are thinking about suicide or "
    "harming yourself, call or text a crisis line now (988 in the US; "
    "116 123 Samaritans in the UK and Ireland)."
)


def suggests_emergency(text: str) -> bool:
    return bool(_COMPILED.search(text or ""))
