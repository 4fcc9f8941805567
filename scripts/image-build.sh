#!/usr/bin/env bash
# Builds the operator image from the Dockerfile at the repository root.
#
#   scripts/image-build.sh                 official Node 24 bases (needs a registry)
#   scripts/image-build.sh --local-base    bases made by scripts/image-base.sh, build without network
#
# Environment: ODA_IMAGE (tag, default oda-api-operator:<package.json version>), BUILD_BASE and
# RUNTIME_BASE (override the bases), ODA_IMAGE_SOURCE (OCI source label).
# Prints progress and the image size on stderr, the image tag as the last line on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCAL_BASE=false

log() { printf '[image-build] %s\n' "$*" >&2; }
fail() {
  printf '[image-build] error: %s\n' "$*" >&2
  exit 1
}

for arg in "$@"; do
  case "$arg" in
    --local-base) LOCAL_BASE=true ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) fail "unknown argument $arg (see --help)" ;;
  esac
done

command -v docker >/dev/null 2>&1 || fail "no docker CLI on PATH (Debian: apt-get install -y docker.io; elsewhere https://docs.docker.com/engine/install/)"
docker info >/dev/null 2>&1 || fail "the Docker daemon does not answer (is it running? may this user use it?)"

# package.json fields without needing node or jq: the first "version" / "repository" string.
json_field() { # FILE KEY
  sed -n -E "s/^[[:space:]]*\"$2\":[[:space:]]*\"([^\"]*)\".*/\1/p" "$1" | head -n 1
}
VERSION="$(json_field "$ROOT/package.json" version)"
[[ -n "$VERSION" ]] || fail "cannot read the version from package.json"
IMAGE="${ODA_IMAGE:-oda-api-operator:${VERSION}}"
REVISION="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [[ -n "$REVISION" && "$REVISION" != unknown ]] && [[ -n "$(git -C "$ROOT" status --porcelain -- core drivers package.json package-lock.json Dockerfile 2>/dev/null)" ]]; then
  REVISION="${REVISION}-dirty"
fi
SOURCE="${ODA_IMAGE_SOURCE:-$(json_field "$ROOT/package.json" url)}"
[[ -n "$SOURCE" ]] || SOURCE="$(git -C "$ROOT" remote get-url origin 2>/dev/null || true)"
CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

BUILD_ARGS=(--build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION" --build-arg "CREATED=$CREATED" --build-arg "SOURCE=$SOURCE")
NETWORK=()
if [[ "$LOCAL_BASE" == true ]]; then
  BUILD_BASE="${BUILD_BASE:-oda-node24-build:local}"
  RUNTIME_BASE="${RUNTIME_BASE:-oda-node24-base:local}"
  for base in "$BUILD_BASE" "$RUNTIME_BASE"; do
    docker image inspect "$base" >/dev/null 2>&1 || fail "base image $base not found; run scripts/image-base.sh first"
  done
  NETWORK=(--network none) # the local build base carries an offline npm cache: prove nothing is fetched
fi
[[ -n "${BUILD_BASE:-}" ]] && BUILD_ARGS+=(--build-arg "BUILD_BASE=$BUILD_BASE")
[[ -n "${RUNTIME_BASE:-}" ]] && BUILD_ARGS+=(--build-arg "RUNTIME_BASE=$RUNTIME_BASE")

STARTED=$SECONDS
log "building $IMAGE (version $VERSION, revision $REVISION, build base ${BUILD_BASE:-Dockerfile default}, runtime base ${RUNTIME_BASE:-Dockerfile default})"
docker build --force-rm ${NETWORK[@]+"${NETWORK[@]}"} "${BUILD_ARGS[@]}" -t "$IMAGE" -f "$ROOT/Dockerfile" "$ROOT" >&2
size="$(docker image inspect --format '{{.Size}}' "$IMAGE")"
log "built $IMAGE in $((SECONDS - STARTED)) s: $(awk -v s="$size" 'BEGIN {printf "%.1f MB (%d bytes)", s / 1000000, s}')"
echo "$IMAGE"
