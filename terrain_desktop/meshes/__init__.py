"""Importing the user's own models (no Qt): checked and measured by `terrain_meshes`, made
light enough to display, with a thumbnail rendered off-screen."""
