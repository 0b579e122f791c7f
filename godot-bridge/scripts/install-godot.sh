#!/bin/sh
# Sets up headless Godot 4 for scenesync's tests and users on a Debian machine that has none:
# a Debian sid root made by debootstrap (Debian ships Godot 4.6 in testing/sid only), with the
# `godot` package installed inside it. The root is cached outside the repository and reused; every
# step that is already done is skipped, so running the script again is cheap.
#
#   sudo godot-bridge/scripts/install-godot.sh          # root in /opt/scenesync-godot/root
#   SCENESYNC_GODOT_CACHE=/var/cache/sg sudo -E ...     # another cache directory
#
# Then run Godot through godot-bridge/scripts/godot (which also prefers a `godot` 4.x on PATH).
# Needs root (debootstrap, chroot) and network access to deb.debian.org; takes about 2 minutes.
set -eu

CACHE="${SCENESYNC_GODOT_CACHE:-/opt/scenesync-godot}"
ROOT="$CACHE/root"
# bookworm's debootstrap has no script for "forky" (the current testing); "sid" uses the same
# package pool and gives Godot 4.6.x.
SUITE="${SCENESYNC_GODOT_SUITE:-sid}"
MIRROR="${SCENESYNC_GODOT_MIRROR:-http://deb.debian.org/debian}"

log() { printf 'install-godot: %s\n' "$*" >&2; }

if [ -x "$ROOT/usr/bin/godot" ] && [ -f "$CACHE/.godot-installed" ]; then
  log "already installed in $ROOT ($(cat "$CACHE/.godot-installed"))"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  log "must run as root (debootstrap and chroot need it): sudo $0"
  exit 1
fi

mkdir -p "$CACHE"

if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
fi

# debootstrap removes $ROOT/debootstrap when it completes; if it is still there a previous run was
# interrupted, so start that step again from an empty directory.
if [ ! -f "$ROOT/etc/debian_version" ] || [ -d "$ROOT/debootstrap" ]; then
  log "debootstrap --variant=minbase $SUITE $ROOT (this takes a minute)"
  rm -rf "$ROOT"
  debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR"
fi

cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

run_in_root() {
  # A private mount namespace: /proc and /dev mounted for apt vanish when the command ends.
  unshare --mount --propagation private -- /bin/sh -c '
    root="$1"; shift
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    exec chroot "$root" "$@"' sh "$ROOT" "$@"
}

if [ ! -x "$ROOT/usr/bin/godot" ]; then
  log "apt-get update inside the root"
  # sid's Release files can be past their Valid-Until on a machine with an old clock or mirror.
  run_in_root env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false update
  log "apt-get install godot inside the root"
  run_in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends godot
  run_in_root apt-get clean
fi

VERSION="$(run_in_root godot --headless --version 2>/dev/null | tail -n 1)"
case "$VERSION" in
  4.*) ;;
  *) log "godot in $ROOT did not report a 4.x version (got '$VERSION')"; exit 1 ;;
esac
printf '%s\n' "$VERSION" > "$CACHE/.godot-installed"
log "ready: Godot $VERSION in $ROOT"
