"""The `askwell` command: a thin front over Django's management commands.

`askwell demo`, `python -m askwell demo` and `manage.py demo` all run through
`main()`, so they behave the same, and all read the local site's `.env`
(askwell/localenv.py).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "askwell.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from askwell import localenv

    try:
        if len(argv) > 1 and argv[1] == "demo":
            # The demo runs with DEBUG off, which needs a secret key and
            # allowed hosts before settings load: it writes them to the data
            # directory's .env; see prepare_demo_environment().
            from askwell.demo.environment import prepare_demo_environment

            prepare_demo_environment(argv[2:])
        # Every command reads the demo's .env, if there is one (localenv).
        localenv.load()
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        # A missing or wrong setting (SECRET_KEY, ALLOWED_HOSTS…): the message
        # says which; a traceback would only hide it.
        sys.exit(f"askwell: configuration error: {error}")


if __name__ == "__main__":
    main()
