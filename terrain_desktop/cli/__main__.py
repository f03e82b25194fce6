"""`python -m terrain_desktop.cli`: the same as `terrain-desktop`."""

import sys

from terrain_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
