"""The demo's content in a live server, for the browser tests of this folder."""

from __future__ import annotations

import pytest

from askwell.demo.loader import load_demo_content


@pytest.fixture
def demo(live_server):
    """The demo's topics, questions, answers, books and videos, served live:
    its address."""
    load_demo_content()
    return live_server.url
