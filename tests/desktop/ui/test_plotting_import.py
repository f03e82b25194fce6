"""pyvista imported without matplotlib keeps every colour-map feature (ui/plotting_import.py).

Run in a fresh process each: whether matplotlib is imported is a property of the process.
"""

import json
import os
import subprocess
import sys

CHILD = """
import json, sys
import numpy as np
from terrain_desktop.ui.plotting_import import import_plotting

import_plotting()
seen = {"after_import": "matplotlib" in sys.modules}
import pyvista as pv

plotter = pv.Plotter(off_screen=True, window_size=(200, 150))
sphere = pv.Sphere()
sphere["height"] = sphere.points[:, 2]
plotter.add_mesh(sphere, scalars="height")  # pyvista's default colour map: viridis
lut = pv.LookupTable()
lut.apply_cmap("viridis", 256)
ours = lut.values.copy()
seen["after_default_map"] = "matplotlib" in sys.modules

plotter.add_mesh(pv.Cube(center=(2, 0, 0)), scalars=np.arange(6.0), cmap=["red", "blue"])
named = pv.LookupTable(cmap="plasma")
seen["after_other_maps"] = "matplotlib" in sys.modules

import matplotlib

real = matplotlib.colormaps["viridis"]
seen["same_viridis"] = bool(np.array_equal(ours, pv.LookupTable(cmap=real).values))
seen["same_plasma"] = bool(
    np.array_equal(named.values, pv.LookupTable(cmap=matplotlib.colormaps["plasma"]).values)
)
from pyvista.plotting import colors

seen["real_names"] = colors.ListedColormap is matplotlib.colors.ListedColormap
seen["is_colormap"] = isinstance(colors.get_cmap_safe("jet"), matplotlib.colors.Colormap)
image = plotter.screenshot()
seen["pixels"] = int(np.unique(image.reshape(-1, 3), axis=0).shape[0])
print(json.dumps(seen))
"""


def test_colour_maps_work_and_import_matplotlib_only_when_needed() -> None:
    env = {**os.environ, "VTK_DEFAULT_OPENGL_WINDOW": "vtkEGLRenderWindow"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # Importing pyvista, and drawing with its default colour map, does not import matplotlib...
    assert seen["after_import"] is False
    assert seen["after_default_map"] is False
    # ...a list of colours or another named map does, and then everything is matplotlib's own.
    assert seen["after_other_maps"] is True
    assert seen["same_viridis"] and seen["same_plasma"]
    assert seen["real_names"] and seen["is_colormap"]
    assert seen["pixels"] > 10  # the scalars were drawn in colour
