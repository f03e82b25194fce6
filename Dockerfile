# The companion server's image: `terrain-server` (API, worker, migrate, import-legacy).
# Build: docker build -t terrain-server .      Run: see compose.yaml and docs/DEPLOY.md.
# (Written and checked by reading: no Docker engine was available where it was written.)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # Thumbnails are rendered off-screen by VTK over EGL with Mesa's software renderer.
    VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow \
    TERRAIN_STORAGE_DIR=/var/lib/terrain/storage \
    TERRAIN_STORAGE_CACHE_DIR=/var/lib/terrain/cache

# Mesa for off-screen rendering; the PostgreSQL client for backups (scripts/backup-db.sh).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libgl1 libegl1 libgl1-mesa-dri libegl-mesa0 libglx-mesa0 postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/terrain terrain \
 && mkdir -p /var/lib/terrain/storage /var/lib/terrain/cache \
 && chown -R terrain /var/lib/terrain

WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p server terrain_protocol terrain_meshes migrations \
 && touch server/__init__.py terrain_protocol/__init__.py terrain_meshes/__init__.py \
          migrations/__init__.py \
 && pip install ".[server]" \
 && pip uninstall -y terrain-builder \
 && rm -rf server terrain_protocol terrain_meshes migrations
# The code (the seed reads resources/ beside server/, so it stays in /app, installed editable).
COPY terrain_protocol terrain_protocol
COPY terrain_meshes terrain_meshes
COPY server server
COPY migrations migrations
COPY resources resources
COPY scripts/backup-db.sh scripts/restore-db.sh scripts/
RUN pip install --no-deps -e .

USER terrain
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"
# One container, everything: the API and a job worker beside it. compose.yaml runs them apart.
CMD ["terrain-server", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
