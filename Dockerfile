# The companion server's two images, one Dockerfile (see compose.yaml and docs/DEPLOY.md):
#   api     terrain-server serve / migrate: FastAPI without the mesh stack (no trimesh, numpy,
#           VTK or Mesa), so every API process stays small.
#   worker  terrain-server worker / seed / import-legacy: the mesh pipeline, its sandboxed child
#           and off-screen thumbnails (VTK over EGL with Mesa's software renderer).
#
#   docker build --target api    -t terrain-api .
#   docker build --target worker -t terrain-worker .
#
# BASE_IMAGE is any Debian bookworm image: the registry's Python image by default, or a plain
# Debian image made from Debian's packages where no registry can be reached
# (deploy/local/make-base-image.sh; compose.local.yaml passes it). Builds that start from plain
# Debian install python3 from Debian's packages; either way the server lives in /opt/venv.
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    TERRAIN_STORAGE_DIR=/var/lib/terrain/storage \
    TERRAIN_STORAGE_CACHE_DIR=/var/lib/terrain/cache
RUN if ! python3 -c "import ensurepip, venv" 2>/dev/null; then \
      apt-get update \
      && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && python3 -m venv /opt/venv \
 && useradd --system --create-home --home-dir /home/terrain terrain \
 && mkdir -p /var/lib/terrain/storage /var/lib/terrain/cache \
 && chown -R terrain /var/lib/terrain
WORKDIR /app
# Dependencies first, so a code change does not reinstall them: install the project's
# dependencies from pyproject.toml alone (empty packages stand in for the code), then drop it.
COPY pyproject.toml README.md ./
RUN mkdir -p server terrain_protocol terrain_meshes migrations \
 && touch server/__init__.py terrain_protocol/__init__.py terrain_meshes/__init__.py \
          migrations/__init__.py

FROM base AS api-deps
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export PIP_CERT=/run/secrets/ca-bundle; fi \
 && pip install ".[api]" && pip uninstall -y terrain-builder

# The worker adds the mesh stack on top of the API's dependencies (shared layers).
FROM api-deps AS worker-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libgl1 libegl1 libgl1-mesa-dri libegl-mesa0 libglx-mesa0 libxrender1 \
 && rm -rf /var/lib/apt/lists/*
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export PIP_CERT=/run/secrets/ca-bundle; fi \
 && pip install ".[server]" && pip uninstall -y terrain-builder

FROM api-deps AS api
# The code (the seed reads resources/ beside server/, so it stays in /app, installed editable).
COPY terrain_protocol terrain_protocol
COPY terrain_meshes terrain_meshes
COPY server server
COPY migrations migrations
COPY resources resources
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export PIP_CERT=/run/secrets/ca-bundle; fi \
 && pip install --no-deps -e .
USER terrain
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=2)"
# One process: more need TERRAIN_RATE_LIMIT_STORAGE (Redis) to share rate limits; scale by
# containers (compose.yaml: API_PROCESSES).
CMD ["terrain-server", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "1", "--no-job-worker"]

FROM worker-deps AS worker
# Thumbnails are rendered off-screen by VTK over EGL (no X server in the container).
ENV VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow
COPY terrain_protocol terrain_protocol
COPY terrain_meshes terrain_meshes
COPY server server
COPY migrations migrations
COPY resources resources
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export PIP_CERT=/run/secrets/ca-bundle; fi \
 && pip install --no-deps -e .
USER terrain
CMD ["terrain-server", "worker"]
