"""The 3D scene of a table (pyvista/VTK, no Qt): used by the window and by off-screen renders."""
