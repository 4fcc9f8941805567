#!/usr/bin/env bash
# Removes what kind/up.sh made: the kind cluster, the cloud-provider-kind container and the
# kubeconfig file. Images stay in the local Docker cache. Environment: ODA_KIND_CLUSTER,
# ODA_KIND_KUBECONFIG (as for up.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLUSTER="${ODA_KIND_CLUSTER:-oda}"
KUBECONFIG_FILE="${ODA_KIND_KUBECONFIG:-$ROOT/.cache/kind-${CLUSTER}.kubeconfig}"
CLOUD_PROVIDER_CONTAINER="${CLUSTER}-cloud-provider-kind"

info() { printf '[kind/down] %s\n' "$*"; }
fail() {
  printf '[kind/down] error: %s\n' "$*" >&2
  exit 1
}

command -v docker >/dev/null 2>&1 || fail "'docker' is not on PATH"
docker info >/dev/null 2>&1 || fail "the Docker daemon does not answer"
command -v kind >/dev/null 2>&1 || fail "'kind' is not on PATH (needed to delete cluster $CLUSTER)"

if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  info "deleting kind cluster $CLUSTER"
  kind delete cluster --name "$CLUSTER" --kubeconfig "$KUBECONFIG_FILE"
else
  info "no kind cluster $CLUSTER"
fi
if docker inspect "$CLOUD_PROVIDER_CONTAINER" >/dev/null 2>&1; then
  info "removing container $CLOUD_PROVIDER_CONTAINER"
  docker rm -f "$CLOUD_PROVIDER_CONTAINER" >/dev/null
fi
rm -f "$KUBECONFIG_FILE"
info "done"
