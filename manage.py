#!/usr/bin/env python
"""Django's command-line utility; the same entry point as the `askwell` script."""

from __future__ import annotations

from askwell.__main__ import main

if __name__ == "__main__":
    main()
