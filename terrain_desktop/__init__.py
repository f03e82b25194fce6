"""Terrain Builder's desktop app: design a game table in 3D from an asset drawer.

`domain`, `store`, `meshes` and `sync` hold no Qt; only `ui` does.
"""
