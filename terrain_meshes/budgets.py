"""The level-of-detail ladder's triangle budgets, apart from the code that builds it, so a
viewer can name a ladder (e.g. to find it in a cache) without importing trimesh."""

#: Triangles of each display tier, densest first (as Modular Terrain Planner's six levels).
LADDER: tuple[int, ...] = (40_000, 15_000, 6_000, 2_500, 1_000, 400)

#: Which rules made a stored ladder: raised when they change, so `terrain-server
#: rebuild-ladders --all` builds every asset's ladder again once (2: tiers keep the shape).
#: Here, not in `tiers`, so the API process can name it without importing the mesh stack.
LADDER_VERSION = 2
