#!/usr/bin/env bash
# Provides a `helm` binary for rendering the chart in config/helm (CI and the deploy tests).
#
# Order of preference:
#   1. $ODA_HELM, when it names an executable helm of the pinned major version;
#   2. a versioned cache ($ODA_CACHE_DIR, default ~/.cache/oda-api-operator) filled earlier;
#   3. a build with Go from the module proxy (helm.sh/helm/v3 at the pinned version) into that cache.
# Prints the binary's path as its last line on stdout; progress goes to stderr.
set -euo pipefail

HELM_VERSION="${ODA_HELM_VERSION:-v3.22.0}"
CACHE_ROOT="${ODA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/oda-api-operator}"
BIN_DIR="$CACHE_ROOT/helm/${HELM_VERSION}"
BIN="$BIN_DIR/helm"

log() { printf '[helm] %s\n' "$*" >&2; }
fail() {
  printf '[helm] error: %s\n' "$*" >&2
  exit 1
}

if [[ -n "${ODA_HELM:-}" ]]; then
  [[ -x "$ODA_HELM" ]] || fail "ODA_HELM=$ODA_HELM is not an executable file"
  log "using ODA_HELM=$ODA_HELM ($("$ODA_HELM" version --short 2>/dev/null || echo 'version unknown'))"
  echo "$ODA_HELM"
  exit 0
fi

if [[ -x "$BIN" ]]; then
  log "using cached $BIN"
  echo "$BIN"
  exit 0
fi

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || fail "no Go toolchain on PATH. Install Go >= 1.26 (https://go.dev/doc/install) so helm ${HELM_VERSION} can be built from the Go module proxy, or set ODA_HELM to a helm v3 binary."

WORK="$(mktemp -d "${TMPDIR:-/tmp}/oda-helm-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" # outside any go.mod: `go install module@version` builds with the module's own requirements

# The same version stamps helm's Makefile sets: helm's own version, and the Kubernetes version
# (from the client-go it is built with) that `helm template` reports as .Capabilities.KubeVersion.
log "resolving helm.sh/helm/v3@${HELM_VERSION} (Go module proxy)"
MODDIR="$(go mod download -json "helm.sh/helm/v3@${HELM_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -n "$MODDIR" && -f "$MODDIR/go.mod" ]] || fail "could not download helm.sh/helm/v3@${HELM_VERSION} from $(go env GOPROXY)"
CLIENT_GO="$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*$/\1/p' "$MODDIR/go.mod" | head -n 1)"
[[ "$CLIENT_GO" =~ ^[0-9]+$ ]] || fail "cannot read the k8s.io/client-go version from $MODDIR/go.mod"
LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  LDFLAGS+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=${CLIENT_GO}"
done

STARTED=$SECONDS
log "building helm ${HELM_VERSION} (a few minutes on a small machine)"
mkdir -p "$BIN_DIR.partial"
GOBIN="$BIN_DIR.partial" CGO_ENABLED=0 go install -trimpath -ldflags "$LDFLAGS" "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
[[ -x "$BIN_DIR.partial/helm" ]] || fail "go install did not produce a helm binary"
rm -rf "$BIN_DIR"
mv "$BIN_DIR.partial" "$BIN_DIR"
log "built $BIN ($("$BIN" version --short)) in $((SECONDS - STARTED)) s"
echo "$BIN"
