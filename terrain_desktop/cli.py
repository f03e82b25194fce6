"""`terrain-desktop`: the desktop app's entry point."""

import sys


def main() -> int:
    """The 3D editor is not built yet; say so plainly rather than fail obscurely."""
    sys.stderr.write(
        "terrain-desktop: the table editor is not available in this build yet.\n"
        "Run the companion server with `terrain-server serve` meanwhile.\n"
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
