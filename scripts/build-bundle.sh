#!/usr/bin/env bash
# Builds the desktop bundle (dist/terrain-desktop/ and a .tar.gz beside it) in a clean virtual
# environment, prints its size and largest parts, then starts it under Xvfb beside the app from
# .venv and checks the window, `tables` and `render` (scripts/check_bundle.py).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system.sh
bash scripts/install-system.sh scripts/bundle-packages.txt
bash scripts/setup-venv.sh desktop,dev   # the non-bundled app to compare with, and the checker

version="$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
venv=build/bundle-venv
echo "== clean environment ($venv)"
rm -rf "$venv" build/pyinstaller dist/terrain-desktop
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check ".[package]"

echo "== pyinstaller"
start=$SECONDS
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build.spec
echo "built in $((SECONDS - start)) s"

archive="dist/terrain-desktop-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" terrain-desktop
echo "== size"
echo "bundle:  $(du -sm dist/terrain-desktop | cut -f1) MiB in $(find dist/terrain-desktop -type f | wc -l) files"
echo "archive: $(du -m "$archive" | cut -f1) MB  ($archive)"
echo "largest parts (MiB):"
(cd dist/terrain-desktop/_internal && du -sm -- * | sort -rn | sed -n 1,12p)

echo "== smoke test and first-window time under Xvfb"
xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/check_bundle.py dist/terrain-desktop "$@"
