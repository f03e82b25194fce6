"""Mesh import, analysis and rendering shared by the server and the desktop app.

Pure Python over trimesh (and VTK, off-screen, for thumbnails): no Qt, no web framework, no
database. Both the server's upload pipeline and the desktop's local import call these same
functions, so a model measures and looks the same wherever it was imported.
"""
