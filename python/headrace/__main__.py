"""python -m headrace: the same as the ``headrace`` command (headrace/cli.py)."""

import sys

from headrace.cli import main

sys.exit(main())
