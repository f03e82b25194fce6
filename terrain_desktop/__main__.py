"""`python -m terrain_desktop` and the packaged app start here."""

import sys

from terrain_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
