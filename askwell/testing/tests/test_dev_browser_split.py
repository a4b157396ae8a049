"""`python3 dev.py test` runs the browser tests on one database when both
run: the other run's pytest arguments deselect them, keeping any -m
expression the command line gave."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[3] / "dev.py"


@pytest.fixture(scope="module")
def dev():
    spec = importlib.util.spec_from_file_location("askwell_dev_script", DEV)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["-n", "2"], ["-n", "2", "-m", "not browser"]),
        (["-m", "slow", "-x"], ["-m", "(slow) and not browser", "-x"]),
        (["-m=slow"], ["-m", "(slow) and not browser"]),
        # pytest reads the last -m: that one is the one to narrow
        (["-m", "a", "-m", "b"], ["-m", "a", "-m", "(b) and not browser"]),
    ],
)
def test_the_second_database_deselects_the_browser_tests(dev, given, expected):
    assert dev.without_browser_tests(given) == expected


@pytest.mark.parametrize(
    ("databases", "browsing"),
    [(["sqlite", "postgresql"], "sqlite"), (["postgresql"], "postgresql")],
)
def test_the_browser_tests_run_on_one_database_and_the_summary_says_so(
    dev, capsys, databases, browsing
):
    # when
    suites = [
        dev.Suite(database, args, shared=True)
        for database, args in dev.arguments_by_database(["-x"], databases).items()
    ]

    # then: alone, a database runs them all
    assert [s.database for s in suites if s.browsing] == [browsing]
    assert all("-x" in s.pytest_args for s in suites)

    # when
    dev.print_summary({}, {}, 1.0, browser_only_on="sqlite")

    # then
    assert "browser     tests ran on sqlite only" in capsys.readouterr().out
