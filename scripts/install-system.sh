#!/usr/bin/env bash
# Installs the Debian packages in scripts/system-packages.txt (or the list given) that are missing.
# Needs root (or sudo) only when something is missing; does nothing otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r package; do
  [[ -z "$package" || "$package" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done < "${1:-scripts/system-packages.txt}"

[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "Installing system packages: ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
