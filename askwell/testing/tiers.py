"""The corpus tier: tests that read the full third-party corpora.

A test marked `@pytest.mark.corpus("medquad.tar.gz", ...)` reads those files
from the shared data folder (askwell/testing/datasets.py: ASKWELL_SHARED_DATA,
by default ../shared/data). Everything else runs on the data the repository
carries, so a fresh clone runs the whole ordinary suite.

When a file a corpus test names is absent, the test is deselected (not
skipped), and the run says so by name and count at its end:

    corpus tier: 2 tests not run: /x/shared/data/medquad.tar.gz absent
    (set ASKWELL_SHARED_DATA to the folder that holds it)

With ASKWELL_CORPUS_REQUIRED=1 (CI sets it) an absent file is an error
instead. With ASKWELL_TIER_REPORT=PATH the count is also written to PATH as
JSON, for dev.py's summary. Under pytest-xdist each worker collects and
deselects; the controller hears the count from them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from askwell.testing.datasets import SHARED_DATA_VARIABLE, shared_data

REQUIRED_VARIABLE = "ASKWELL_CORPUS_REQUIRED"
REPORT_VARIABLE = "ASKWELL_TIER_REPORT"
_KEY = "askwell_corpus_tier"
_tier = pytest.StashKey[dict]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "corpus(*files): reads FILES of the full corpora in ASKWELL_SHARED_DATA "
        "(default ../shared/data); deselected, with a notice, when they are absent",
    )
    config.stash[_tier] = {"ran": 0, "not_run": 0, "missing": []}
    if os.environ.get(REQUIRED_VARIABLE) and not shared_data().is_dir():
        raise pytest.UsageError(
            f"corpus tier required ({REQUIRED_VARIABLE} is set) but {shared_data()} "
            f"is absent. Set {SHARED_DATA_VARIABLE} to the folder of the corpora."
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    """Deselect the corpus tests whose files are absent (after -k and -m)."""
    folder = shared_data()
    kept, dropped, missing, ran = [], [], set(), 0
    for item in items:
        marker = item.get_closest_marker("corpus")
        if marker is None:
            kept.append(item)
            continue
        if not marker.args:
            raise pytest.UsageError(
                f"{item.nodeid}: @pytest.mark.corpus needs the names of the files "
                "it reads"
            )
        absent = [name for name in marker.args if not (folder / name).is_file()]
        if absent:
            dropped.append(item)
            missing.update(absent)
        else:
            kept.append(item)
            ran += 1
    paths = [str(folder / name) for name in sorted(missing)]
    if dropped and os.environ.get(REQUIRED_VARIABLE):
        raise pytest.UsageError(
            f"corpus tier required ({REQUIRED_VARIABLE} is set) but "
            f"{', '.join(paths)} absent: {len(dropped)} test(s) need it. "
            f"Set {SHARED_DATA_VARIABLE} to the folder that holds it."
        )
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    config.stash[_tier] = {"ran": ran, "not_run": len(dropped), "missing": paths}
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker
        config.workeroutput[_KEY] = config.stash[_tier]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """pytest-xdist controller: every worker collects the same tests, so any
    one worker's count is the run's."""
    tier = getattr(node, "workeroutput", {}).get(_KEY)
    if tier:
        node.config.stash[_tier] = tier


def notice(tier: dict) -> str | None:
    """The summary line for the tier, or None when it all ran."""
    if not tier["not_run"]:
        return None
    count = tier["not_run"]
    return (
        f"corpus tier: {count} test{'s' if count != 1 else ''} not run: "
        f"{', '.join(tier['missing'])} absent "
        f"(set {SHARED_DATA_VARIABLE} to the folder that holds it)"
    )


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if hasattr(config, "workeroutput"):
        return
    tier = config.stash.get(_tier, {"ran": 0, "not_run": 0, "missing": []})
    line = notice(tier)
    if line:
        terminalreporter.write_sep("=", "corpus tier", yellow=True)
        terminalreporter.write_line(line, yellow=True, bold=True)
    report = os.environ.get(REPORT_VARIABLE)
    if report:
        Path(report).write_text(json.dumps({"corpus": tier}), encoding="utf-8")
