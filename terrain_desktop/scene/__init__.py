"""The 3D scene of a table (pyvista/VTK, no Qt): used by the window and by off-screen renders.

Multisampling is off for every plotter made after this import: on a software renderer it
costs 4-5x a frame (measured in benchmarks/RESULTS.md). A quality setting can turn it back on.
"""

import pyvista as pv

pv.global_theme.multi_samples = 0
