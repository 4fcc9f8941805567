#!/usr/bin/env bash
# Provides the third-party CustomResourceDefinitions the integration tests install next to ours:
#   istio.yaml          Istio (networking, security, telemetry, extensions) from istio.io/istio
#   gateway-api.yaml    Gateway API standard channel from sigs.k8s.io/gateway-api
#   servicemonitor.yaml the Prometheus operator's ServiceMonitor
# The files come from the Go modules themselves (`go mod download`, module proxy and checksum
# database), pinned below, and are cached in a directory named after the pins, reused on later
# runs without Go. Prints that directory as its last line on stdout; progress goes to stderr.
set -euo pipefail

ISTIO_VERSION="${ODA_ISTIO_VERSION:-v0.0.0-20260827124520-eed52ebb66ad}"
GATEWAY_API_VERSION="${ODA_GATEWAY_API_VERSION:-v1.6.3}"
PROMETHEUS_OPERATOR_VERSION="${ODA_PROMETHEUS_OPERATOR_VERSION:-v0.90.1}"

ISTIO_MODULE=istio.io/istio
ISTIO_FILE=manifests/charts/base/files/crd-all.gen.yaml
GATEWAY_API_MODULE=sigs.k8s.io/gateway-api
GATEWAY_API_DIR=config/crd/standard
PROMETHEUS_OPERATOR_MODULE=github.com/prometheus-operator/prometheus-operator
SERVICEMONITOR_FILE=example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml

CACHE_ROOT="${ODA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/oda-api-operator}"
OUT_DIR="$CACHE_ROOT/crds/istio-${ISTIO_VERSION##*-}_gateway-api-${GATEWAY_API_VERSION}_prometheus-operator-${PROMETHEUS_OPERATOR_VERSION}"
OUTPUTS=(istio.yaml gateway-api.yaml servicemonitor.yaml)

log() { printf '[third-party-crds] %s\n' "$*" >&2; }
fail() { printf '[third-party-crds] error: %s\n' "$*" >&2; exit 1; }

has_all() {
  local f
  for f in "${OUTPUTS[@]}"; do [[ -s "$OUT_DIR/$f" ]] || return 1; done
}

if has_all; then
  log "using cached CRDs in $OUT_DIR"
  echo "$OUT_DIR"
  exit 0
fi

command -v go >/dev/null 2>&1 || fail "no Go toolchain on PATH. The third-party CRDs are read from Go modules (${ISTIO_MODULE}, ${GATEWAY_API_MODULE}, ${PROMETHEUS_OPERATOR_MODULE}) through 'go mod download'; install Go (https://go.dev/doc/install) or copy ${OUTPUTS[*]} into $OUT_DIR by hand."

WORK="$(mktemp -d "${TMPDIR:-/tmp}/oda-crds.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" # outside any go.mod, so the download is not tied to some module's requirements

# module_dir MODULE VERSION -> prints the extracted module directory (read-only, in GOMODCACHE)
module_dir() {
  local json dir
  log "downloading $1@$2 (Go module proxy)"
  json="$(go mod download -json "$1@$2" 2>"$WORK/download.err")" || true
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' >&2
    cat "$WORK/download.err" >&2
    fail "could not download $1@$2 through $(go env GOPROXY)"
  fi
  printf '%s\n' "$dir"
}

mkdir -p "$OUT_DIR.partial"

dir="$(module_dir "$ISTIO_MODULE" "$ISTIO_VERSION")"
[[ -f "$dir/$ISTIO_FILE" ]] || fail "$ISTIO_MODULE@$ISTIO_VERSION has no $ISTIO_FILE"
cp "$dir/$ISTIO_FILE" "$OUT_DIR.partial/istio.yaml"

dir="$(module_dir "$GATEWAY_API_MODULE" "$GATEWAY_API_VERSION")"
shopt -s nullglob
files=()
for f in "$dir/$GATEWAY_API_DIR"/*.yaml; do
  # Only the CustomResourceDefinitions: the directory also holds a ValidatingAdmissionPolicy.
  grep -q '^kind: CustomResourceDefinition$' "$f" && files+=("$f")
done
((${#files[@]} > 0)) || fail "$GATEWAY_API_MODULE@$GATEWAY_API_VERSION has no CRDs under $GATEWAY_API_DIR"
for f in "${files[@]}"; do
  printf -- '---\n# %s\n' "${f#"$dir"/}"
  cat "$f"
done >"$OUT_DIR.partial/gateway-api.yaml"

dir="$(module_dir "$PROMETHEUS_OPERATOR_MODULE" "$PROMETHEUS_OPERATOR_VERSION")"
[[ -f "$dir/$SERVICEMONITOR_FILE" ]] || fail "$PROMETHEUS_OPERATOR_MODULE@$PROMETHEUS_OPERATOR_VERSION has no $SERVICEMONITOR_FILE"
cp "$dir/$SERVICEMONITOR_FILE" "$OUT_DIR.partial/servicemonitor.yaml"

chmod 644 "$OUT_DIR.partial"/*.yaml # module cache files are read-only
rm -rf "$OUT_DIR"
mv "$OUT_DIR.partial" "$OUT_DIR"
log "CRDs ready in $OUT_DIR (gateway-api: ${#files[@]} CRDs)"
echo "$OUT_DIR"
