"""The data the tests read: small samples carried in askwell/testing/data/,
and the full third-party corpora, found through one setting.

- `naughty_strings()`: the Big List of Naughty Strings (MIT), carried whole;
- `MEDQUAD_SAMPLE`: a folder of MedQuAD files (CC BY 4.0) that covers every
  source and every XML shape the reader handles, cut from the archive by
  `python -m askwell.testing.medquad_sample`;
- `shared_data()`: the folder of the full corpora (MedQuAD, LiveQA, MQP),
  from ASKWELL_SHARED_DATA, by default ../shared/data beside the checkout.
  Tests that need it are marked `corpus` (askwell/testing/tiers.py); the
  benchmarks read it too (bench/common.py).

Standard library only: dev.py imports it before any virtualenv exists.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
BLNS = DATA / "blns.json"
MEDQUAD_SAMPLE = DATA / "medquad"

SHARED_DATA_VARIABLE = "ASKWELL_SHARED_DATA"
DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def shared_data() -> Path:
    """The folder holding the full corpora: $ASKWELL_SHARED_DATA, or
    ../shared/data next to the checkout. It may not exist."""
    return Path(os.environ.get(SHARED_DATA_VARIABLE) or DEFAULT_SHARED_DATA)


def naughty_strings() -> list[str]:
    """The 515 strings of the Big List of Naughty Strings, in file order."""
    return json.loads(BLNS.read_text(encoding="utf-8"))
