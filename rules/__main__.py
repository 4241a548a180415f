"""``python -m rules``: see rules.cli."""

import os
import sys

from .cli import main

try:
    sys.exit(main())
except BrokenPipeError:  # the reader stopped early (``| head``); that is not an error
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)
