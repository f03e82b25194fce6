#!/usr/bin/env bash
# Makes `localhost/debian:bookworm-minbase`, the base image of the local build, from Debian's
# packages (debootstrap from the mirror apt already uses): for machines that reach Debian's
# mirror and PyPI but no container registry. Needs root, debootstrap and podman.
# Usage: deploy/local/make-base-image.sh [image-name]      (does nothing if it already exists)
set -euo pipefail
image=${1:-localhost/debian:bookworm-minbase}
if podman image exists "$image"; then
    echo "base image $image: present"
    exit 0
fi
mirror=${DEBIAN_MIRROR:-$(apt-cache policy | awk '$3 ~ /^bookworm\/main$/ && $4 == "amd64" {print $2; exit}')}
mirror=${mirror:-http://deb.debian.org/debian}
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
# The mirror apt uses here, so that builds from this image install from it too; no package
# files or lists left behind (each build runs apt-get update itself): ~80 MB less per image.
echo "deb $mirror bookworm main" > "$rootfs/etc/apt/sources.list"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
tar -C "$rootfs" -c . | podman import - "$image" >/dev/null 2>&1
echo "base image $image: made from $mirror"
