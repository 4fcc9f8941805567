#!/usr/bin/env bash
# Makes the two local base images the Dockerfile can be built from where no registry is reachable:
#
#   oda-node24-base:local   runtime base, FROM scratch: the Node.js 24 binary, the shared libraries
#                           `ldd` lists for it, /etc/passwd and /etc/group (root, nonroot 65532),
#                           nsswitch.conf, CA certificates, /tmp. No shell, no package manager.
#   oda-node24-build:local  build base: the same plus npm (pinned, from the npm registry) and an
#                           npm cache holding every package of package-lock.json, with npm set to
#                           offline, so `npm ci` in the Dockerfile runs without any network.
#
# Node is laid out as in the official images (/usr/local/bin/node,
# /usr/local/lib/node_modules/npm), so the same Dockerfile builds from either; only the
# BUILD_BASE / RUNTIME_BASE build arguments differ (scripts/image-build.sh --local-base).
#
# Environment: NODE_BIN (default: the `node` on PATH, must be v24), ODA_NPM_VERSION,
# ODA_BASE_IMAGE / ODA_BUILD_BASE_IMAGE (tags), ODA_CACHE_DIR (npm tarball and cache).
set -euo pipefail

NPM_VERSION="${ODA_NPM_VERSION:-11.19.1}"
RUNTIME_TAG="${ODA_BASE_IMAGE:-oda-node24-base:local}"
BUILD_TAG="${ODA_BUILD_BASE_IMAGE:-oda-node24-build:local}"
NONROOT_UID=65532
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE_ROOT="${ODA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/oda-api-operator}"

log() { printf '[image-base] %s\n' "$*" >&2; }
fail() {
  printf '[image-base] error: %s\n' "$*" >&2
  exit 1
}

command -v docker >/dev/null 2>&1 || fail "no docker CLI on PATH (Debian: apt-get install -y docker.io)"
docker info >/dev/null 2>&1 || fail "the Docker daemon does not answer (start it, e.g. 'dockerd --storage-driver=vfs &' as root)"
command -v ldd >/dev/null 2>&1 || fail "ldd is needed to find the libraries of the node binary"
command -v npm >/dev/null 2>&1 || fail "npm is needed on the host to fetch npm ${NPM_VERSION} and fill the package cache"

NODE_BIN="${NODE_BIN:-$(command -v node || true)}"
[[ -n "$NODE_BIN" ]] || fail "no node on PATH; set NODE_BIN to a Node.js 24 binary"
NODE_BIN="$(readlink -f "$NODE_BIN")"
NODE_VERSION="$("$NODE_BIN" --version)"
[[ "$NODE_VERSION" == v24.* ]] || fail "$NODE_BIN is Node.js $NODE_VERSION; Node.js 24 is required (set NODE_BIN)"
file_type="$(head -c 4 "$NODE_BIN" | od -An -c | tr -d ' ')"
[[ "$file_type" == '177ELF' ]] || fail "$NODE_BIN is not an ELF binary (a wrapper script?); set NODE_BIN to the real binary"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/oda-image-base.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"
STARTED=$SECONDS

# --- runtime root filesystem -------------------------------------------------------------------
log "node $NODE_VERSION from $NODE_BIN"
mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/etc/ssl/certs" "$ROOTFS/tmp" "$ROOTFS/root" "$ROOTFS/home/nonroot"
cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
if command -v strip >/dev/null 2>&1; then
  strip "$ROOTFS/usr/local/bin/node" # as distribution packages do: no debug info, no symbol table
  log "stripped: node is now $(du -m "$ROOTFS/usr/local/bin/node" | cut -f1) MB"
fi

# Every library the dynamic linker loads, at the path ldd names (symlinks resolved).
mapfile -t LIBS < <(ldd "$NODE_BIN" | sed -n -E 's/^[[:space:]]*([^[:space:]]+ => )?(\/[^[:space:]]+) \(0x[0-9a-f]+\)$/\2/p')
((${#LIBS[@]} > 0)) || fail "ldd found no libraries for $NODE_BIN (a static binary? then drop this step)"
for lib in "${LIBS[@]}"; do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
done
log "libraries: ${LIBS[*]}"

cat >"$ROOTFS/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:${NONROOT_UID}:${NONROOT_UID}:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$ROOTFS/etc/group" <<EOF
root:x:0:
nonroot:x:${NONROOT_UID}:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$ROOTFS/etc/nsswitch.conf"
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
if [[ -s "$CA_BUNDLE" ]]; then
  cp "$CA_BUNDLE" "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
else
  log "warning: no $CA_BUNDLE on this host (Debian: apt-get install -y ca-certificates); node still has its own CA store"
fi
chmod 1777 "$ROOTFS/tmp"
chmod 0700 "$ROOTFS/root"

import_rootfs() { # DIR TAG CHANGES...
  local dir="$1" tag="$2"
  shift 2
  local changes=() c
  for c in "$@"; do changes+=(--change "$c"); done
  tar -C "$dir" --numeric-owner --owner=0 --group=0 -cf - . |
    docker import "${changes[@]}" - "$tag" >/dev/null
}

ENV_PATH='ENV PATH=/usr/local/bin:/usr/bin:/bin'
log "importing $RUNTIME_TAG"
import_rootfs "$ROOTFS" "$RUNTIME_TAG" "$ENV_PATH" 'ENV HOME=/home/nonroot' \
  "LABEL org.opencontainers.image.description=\"local Node.js ${NODE_VERSION} runtime base (no shell)\""

# --- build root filesystem: + npm and an offline npm cache of the lockfile's packages ------------
NPM_TARBALL="$CACHE_ROOT/image-base/npm-${NPM_VERSION}.tgz"
if [[ ! -s "$NPM_TARBALL" ]]; then
  log "fetching npm ${NPM_VERSION} (npm registry)"
  mkdir -p "$WORK/pack" "$(dirname "$NPM_TARBALL")"
  (cd "$WORK/pack" && npm pack --silent "npm@${NPM_VERSION}" >/dev/null)
  mv "$WORK/pack/npm-${NPM_VERSION}.tgz" "$NPM_TARBALL"
fi
mkdir -p "$ROOTFS/usr/local/lib/node_modules/npm"
tar -xzf "$NPM_TARBALL" -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"

# The cache is filled by a real `npm ci` of the lockfile from the registry, once per lockfile; the
# image build's offline `npm ci` fails with ENOTCACHED if a package were missing.
LOCK_HASH="$(sha256sum "$ROOT/package-lock.json" | cut -c1-16)"
NPM_CACHE="$CACHE_ROOT/image-base/npm-cache-${LOCK_HASH}"
if [[ ! -d "$NPM_CACHE" ]]; then
  log "filling the npm cache for package-lock.json ${LOCK_HASH}"
  mkdir -p "$WORK/warm"
  cp "$ROOT/package.json" "$ROOT/package-lock.json" "$WORK/warm/"
  (cd "$WORK/warm" && npm ci --cache "$NPM_CACHE.partial" --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  rm -rf "$NPM_CACHE"
  mv "$NPM_CACHE.partial" "$NPM_CACHE"
  rm -rf "$WORK/warm"
  # caches of earlier lockfiles are of no further use
  find "$CACHE_ROOT/image-base" -maxdepth 1 -name 'npm-cache-*' ! -name "npm-cache-${LOCK_HASH}" -exec rm -rf {} +
fi
cp -r "$NPM_CACHE" "$ROOTFS/npm-cache"
rm -rf "$ROOTFS/npm-cache/_logs" # npm's own logs are not wanted in the image

log "importing $BUILD_TAG"
import_rootfs "$ROOTFS" "$BUILD_TAG" "$ENV_PATH" 'ENV HOME=/root' \
  'ENV npm_config_cache=/npm-cache' 'ENV npm_config_offline=true' \
  'ENV npm_config_update_notifier=false' 'ENV npm_config_fund=false' 'ENV npm_config_audit=false' \
  "LABEL org.opencontainers.image.description=\"local Node.js ${NODE_VERSION} build base with npm ${NPM_VERSION} and an offline package cache\""

runtime_mb="$(docker image inspect --format '{{.Size}}' "$RUNTIME_TAG" | awk '{printf "%.1f", $1 / 1000000}')"
build_mb="$(docker image inspect --format '{{.Size}}' "$BUILD_TAG" | awk '{printf "%.1f", $1 / 1000000}')"
log "done in $((SECONDS - STARTED)) s: $RUNTIME_TAG (${runtime_mb} MB), $BUILD_TAG (${build_mb} MB)"
printf '%s\n%s\n' "$RUNTIME_TAG" "$BUILD_TAG"
