"""Terrain Builder's desktop app: design a game table in 3D from an asset drawer.

`domain`, `store`, `meshes` and `sync` hold no Qt; only `ui` does.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    #: The installed distribution's version (pyproject.toml), also inside the bundle.
    __version__ = version("terrain-builder")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
