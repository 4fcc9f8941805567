#!/usr/bin/env bash
# Provides etcd, kube-apiserver and kube-controller-manager for the local control plane.
#
# Order of preference:
#   1. $KUBEBUILDER_ASSETS, when it holds all three binaries (setup-envtest's layout);
#   2. a versioned cache ($ODA_CACHE_DIR, default ~/.cache/oda-api-operator) filled earlier;
#   3. a build with Go from the module proxy into that cache.
# Prints the directory holding the binaries as its last line on stdout; progress goes to stderr.
set -euo pipefail

K8S_VERSION="${ODA_K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ODA_ETCD_VERSION:-3.7.3}"
CACHE_ROOT="${ODA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/oda-api-operator}"
BIN_DIR="$CACHE_ROOT/control-plane/k8s-v${K8S_VERSION}-etcd-v${ETCD_VERSION}"
BINARIES=(etcd kube-apiserver kube-controller-manager)

log() { printf '[control-plane] %s\n' "$*" >&2; }
fail() { printf '[control-plane] error: %s\n' "$*" >&2; exit 1; }

has_all() {
  local dir="$1" b
  for b in "${BINARIES[@]}"; do [[ -x "$dir/$b" ]] || return 1; done
}

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  if has_all "$KUBEBUILDER_ASSETS"; then
    log "using binaries from KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS"
    echo "$KUBEBUILDER_ASSETS"
    exit 0
  fi
  log "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks one of: ${BINARIES[*]}; falling back to the cache"
fi

if has_all "$BIN_DIR"; then
  log "using cached binaries in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null 2>&1 || fail "no Go toolchain on PATH. Install Go >= 1.26 (https://go.dev/doc/install) so the binaries can be built from the Go module proxy, or point KUBEBUILDER_ASSETS at a directory holding ${BINARIES[*]} (e.g. from setup-envtest)."

GO_MINOR="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
[[ "$GO_MINOR" =~ ^[0-9]+$ && "$GO_MINOR" -ge 26 ]] || fail "Go $(go env GOVERSION) is too old to build Kubernetes v${K8S_VERSION}; it needs go1.26 or newer (or set KUBEBUILDER_ASSETS)."

WORK="$(mktemp -d "${TMPDIR:-/tmp}/oda-cp-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BIN_DIR.partial"
STARTED=$SECONDS

# --- Kubernetes: k8s.io/kubernetes pins its staging modules to v0.0.0 with local replaces, which
# only work inside its own tree; a consumer module re-pins each one to the matching v0.x release.
log "resolving k8s.io/kubernetes v${K8S_VERSION} (Go module proxy)"
mkdir -p "$WORK/k8s"
cd "$WORK/k8s"
go mod init oda-control-plane/k8s >/dev/null 2>&1
MODDIR="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$MODDIR" ]] || fail "could not download k8s.io/kubernetes@v${K8S_VERSION} from the Go module proxy ($(go env GOPROXY))"
STAGING_VERSION="v0.${K8S_VERSION#1.}"
{
  echo "module oda-control-plane/k8s"
  echo
  echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$MODDIR/go.mod")"
  echo
  echo "require k8s.io/kubernetes v${K8S_VERSION}"
  echo
  echo "replace ("
  sed -n '/^replace (/,/^)/p' "$MODDIR/go.mod" | awk '/=> \.\/staging/ {print "\t" $1 " => " $1 " '"$STAGING_VERSION"'"}'
  echo ")"
} >go.mod
cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
GO
log "downloading Kubernetes dependencies (staging modules at $STAGING_VERSION)"
GOFLAGS=-mod=mod go mod tidy -e >&2 2>"$WORK/tidy.log" || { cat "$WORK/tidy.log" >&2; fail "go mod tidy failed for k8s.io/kubernetes@v${K8S_VERSION}"; }
# What /version reports (hack/lib/version.sh sets the same variables): major "1", minor "37".
K8S_MAJOR="${K8S_VERSION%%.*}"
K8S_MINOR="$(cut -d. -f2 <<<"$K8S_VERSION")"
VERSION_FLAGS=()
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  VERSION_FLAGS+=(-X "$pkg.gitVersion=v${K8S_VERSION}" -X "$pkg.gitMajor=${K8S_MAJOR}" -X "$pkg.gitMinor=${K8S_MINOR}" -X "$pkg.gitTreeState=clean")
done
for b in kube-apiserver kube-controller-manager; do
  log "building $b v${K8S_VERSION} (several minutes on a small machine)"
  CGO_ENABLED=0 go build -trimpath -tags tools \
    -ldflags "-s -w ${VERSION_FLAGS[*]}" \
    -o "$BIN_DIR.partial/$b" "k8s.io/kubernetes/cmd/$b"
  log "built $b after $((SECONDS - STARTED)) s"
done

# --- etcd: the server module's etcdmain is what the etcd binary runs.
log "building etcd v${ETCD_VERSION}"
mkdir -p "$WORK/etcd"
cd "$WORK/etcd"
cat >go.mod <<GOMOD
module oda-control-plane/etcd

go 1.26

require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}
GOMOD
cat >main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
GOFLAGS=-mod=mod go mod tidy >&2
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$BIN_DIR.partial/etcd" .
log "built etcd after $((SECONDS - STARTED)) s"

rm -rf "$BIN_DIR"
mv "$BIN_DIR.partial" "$BIN_DIR"
log "binaries ready in $BIN_DIR ($((SECONDS - STARTED)) s)"
echo "$BIN_DIR"
