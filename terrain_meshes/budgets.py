"""The level-of-detail ladder's triangle budgets, apart from the code that builds it, so a
viewer can name a ladder (e.g. to find it in a cache) without importing trimesh."""

#: Triangles of each display tier, densest first (as Modular Terrain Planner's six levels).
LADDER: tuple[int, ...] = (40_000, 15_000, 6_000, 2_500, 1_000, 400)
