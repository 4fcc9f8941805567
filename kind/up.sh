#!/usr/bin/env bash
# Creates (or updates) a kind cluster with everything the end-to-end suite needs, then installs
# the operator from this checkout:
#   1. kind cluster "$ODA_KIND_CLUSTER" (default oda), kubeconfig in .cache/kind-<cluster>.kubeconfig
#   2. cloud-provider-kind, so LoadBalancer Services get addresses
#   3. Istio: base, istiod, an ingress gateway labelled istio=ingressgateway (Helm)
#   4. ingress-nginx, the IngressClass nginx of the simple-ingress driver (Helm)
#   5. the ODA CRDs (config/crd)
#   6. the operator image (scripts/image-build.sh), loaded into kind
#   7. the chart (config/helm/oda-api-operator) in namespace canvas, driver $ODA_DRIVER (istio),
#      which also creates the component-gateway Gateway
# Safe to run again: every step converges; a second run with ODA_DRIVER=simple-ingress switches
# the driver. Versions are pinned in kind/versions.sh. Needs Docker, kind, kubectl, and helm (or Go
# to build it). Afterwards: KUBECONFIG=<printed path> npm run test:e2e
#
# Environment: ODA_DRIVER (istio | simple-ingress), ODA_KIND_CLUSTER, ODA_KIND_KUBECONFIG,
# ODA_HELM_VALUES (an extra values file for the chart), ODA_SKIP_IMAGE_BUILD=1 (reuse ODA_IMAGE).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.sh
source "$ROOT/kind/versions.sh"

CLUSTER="${ODA_KIND_CLUSTER:-oda}"
DRIVER="${ODA_DRIVER:-istio}"
KUBECONFIG_FILE="${ODA_KIND_KUBECONFIG:-$ROOT/.cache/kind-${CLUSTER}.kubeconfig}"
OPERATOR_NAMESPACE=canvas
RELEASE=oda-api-operator
CLOUD_PROVIDER_CONTAINER="${CLUSTER}-cloud-provider-kind"
STEPS=7
STARTED=$SECONDS

step() { printf '\n[kind/up %s/%s] %s\n' "$1" "$STEPS" "$2"; }
info() { printf '  %s\n' "$*"; }
fail() {
  printf '\n[kind/up] error: %s\n' "$*" >&2
  exit 1
}
need() { # COMMAND HOW-TO-GET-IT
  command -v "$1" >/dev/null 2>&1 || fail "'$1' is not on PATH. $2"
}

case "$DRIVER" in
  istio | simple-ingress) ;;
  *) fail "ODA_DRIVER=$DRIVER: use istio or simple-ingress" ;;
esac

# ---- preflight: fail before changing anything ---------------------------------------------------
need docker "Install Docker: https://docs.docker.com/engine/install/"
docker info >/dev/null 2>&1 || fail "the Docker daemon does not answer (is it running? may $(id -un) use it?)"
need kind "Install kind ${KIND_VERSION}: go install sigs.k8s.io/kind@${KIND_VERSION} (or https://kind.sigs.k8s.io/docs/user/quick-start/#installation)"
need kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"
installed_kind="$(kind version | awk '{print $2}')"
[[ "$installed_kind" == "$KIND_VERSION" ]] || info "warning: kind $installed_kind on PATH, the suite is pinned to ${KIND_VERSION} (node image ${KIND_NODE_IMAGE%@*})"
if command -v helm >/dev/null 2>&1; then
  HELM="$(command -v helm)"
else
  info "no helm on PATH: building helm ${ODA_HELM_VERSION} with Go (scripts/helm.sh)"
  HELM="$(ODA_HELM_VERSION="$ODA_HELM_VERSION" bash "$ROOT/scripts/helm.sh" | tail -n 1)" || fail "no helm: install helm 3 (https://helm.sh/docs/intro/install/) or Go >= 1.26"
fi
"$HELM" version --short 2>/dev/null | grep -q '^v3\.' || fail "$HELM is not helm 3 ($("$HELM" version --short 2>/dev/null || echo unknown))"
mkdir -p "$(dirname "$KUBECONFIG_FILE")"
export KUBECONFIG="$KUBECONFIG_FILE"

# ---- 1. cluster ---------------------------------------------------------------------------------
step 1 "kind cluster $CLUSTER (${KIND_NODE_IMAGE%@*})"
if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  info "exists; refreshing its kubeconfig"
  kind export kubeconfig --name "$CLUSTER" --kubeconfig "$KUBECONFIG_FILE" >/dev/null
else
  kind create cluster --name "$CLUSTER" --image "$KIND_NODE_IMAGE" --config "$ROOT/kind/cluster.yaml" \
    --kubeconfig "$KUBECONFIG_FILE" --wait 120s
fi
kubectl get nodes -o wide
# cloud-provider-kind leaves out nodes with this label; kind puts it on control-plane nodes, and
# here the control plane is the only node.
kubectl label nodes --all node.kubernetes.io/exclude-from-external-load-balancers- >/dev/null 2>&1 || true

# ---- 2. load balancer addresses -----------------------------------------------------------------
step 2 "cloud-provider-kind (${CLOUD_PROVIDER_KIND_IMAGE})"
if [[ "$(docker inspect -f '{{.State.Running}}' "$CLOUD_PROVIDER_CONTAINER" 2>/dev/null || true)" == true ]]; then
  info "already running as container $CLOUD_PROVIDER_CONTAINER"
else
  docker rm -f "$CLOUD_PROVIDER_CONTAINER" >/dev/null 2>&1 || true
  docker run -d --name "$CLOUD_PROVIDER_CONTAINER" --restart unless-stopped --network kind \
    -v /var/run/docker.sock:/var/run/docker.sock "$CLOUD_PROVIDER_KIND_IMAGE" >/dev/null ||
    fail "cannot start $CLOUD_PROVIDER_KIND_IMAGE (can Docker pull from registry.k8s.io?)"
  info "started container $CLOUD_PROVIDER_CONTAINER"
fi

# load_balancer_address NAMESPACE SERVICE -> prints the address once cloud-provider-kind gave one
load_balancer_address() {
  local address="" i
  for ((i = 0; i < 90; i++)); do
    address="$(kubectl -n "$1" get service "$2" -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}' 2>/dev/null || true)"
    [[ -n "$address" ]] && break
    sleep 2
  done
  [[ -n "$address" ]] || fail "Service $1/$2 got no load-balancer address in 180 s (is container $CLOUD_PROVIDER_CONTAINER running? docker logs $CLOUD_PROVIDER_CONTAINER)"
  printf '%s\n' "$address"
}

# ---- 3. Istio -----------------------------------------------------------------------------------
step 3 "Istio ${ODA_ISTIO_VERSION}: base, istiod, ingress gateway (istio=ingressgateway)"
"$HELM" upgrade --install istio-base base --repo "$ISTIO_CHART_REPO" --version "$ODA_ISTIO_VERSION" \
  --namespace istio-system --create-namespace --set defaultRevision=default --wait
"$HELM" upgrade --install istiod istiod --repo "$ISTIO_CHART_REPO" --version "$ODA_ISTIO_VERSION" \
  --namespace istio-system --wait --timeout 5m
"$HELM" upgrade --install istio-ingressgateway gateway --repo "$ISTIO_CHART_REPO" --version "$ODA_ISTIO_VERSION" \
  --namespace istio-system --set labels.istio=ingressgateway --set service.type=LoadBalancer --wait --timeout 5m
ISTIO_ADDRESS="$(load_balancer_address istio-system istio-ingressgateway)"
info "Istio ingress gateway address: $ISTIO_ADDRESS"

# ---- 4. ingress-nginx ---------------------------------------------------------------------------
step 4 "ingress-nginx chart ${ODA_INGRESS_NGINX_CHART_VERSION} (IngressClass nginx)"
"$HELM" upgrade --install ingress-nginx ingress-nginx --repo "$INGRESS_NGINX_CHART_REPO" \
  --version "$ODA_INGRESS_NGINX_CHART_VERSION" --namespace ingress-nginx --create-namespace \
  --set controller.ingressClassResource.name=nginx --set controller.ingressClass=nginx \
  --set controller.service.type=LoadBalancer --set controller.publishService.enabled=true \
  --set controller.admissionWebhooks.enabled=false --wait --timeout 5m
NGINX_ADDRESS="$(load_balancer_address ingress-nginx ingress-nginx-controller)"
info "ingress-nginx address: $NGINX_ADDRESS"

# ---- 5. ODA CRDs --------------------------------------------------------------------------------
step 5 "ODA CRDs (config/crd)"
kubectl apply --server-side --force-conflicts -f "$ROOT/config/crd"
kubectl wait --for condition=Established --timeout 60s -f "$ROOT/config/crd" >/dev/null

# ---- 6. operator image --------------------------------------------------------------------------
step 6 "operator image, loaded into kind"
VERSION="$(sed -n -E 's/^[[:space:]]*"version":[[:space:]]*"([^"]*)".*/\1/p' "$ROOT/package.json" | head -n 1)"
if [[ "${ODA_SKIP_IMAGE_BUILD:-}" == 1 ]]; then
  IMAGE="${ODA_IMAGE:?ODA_SKIP_IMAGE_BUILD=1 needs ODA_IMAGE}"
  info "reusing $IMAGE"
else
  # A tag per build, so a rebuilt image always rolls the Deployment.
  IMAGE="oda-api-operator:${VERSION}-kind.$(date -u +%Y%m%d%H%M%S)"
  ODA_IMAGE="$IMAGE" bash "$ROOT/scripts/image-build.sh" >/dev/null
fi
kind load docker-image "$IMAGE" --name "$CLUSTER"
docker pull --quiet "$ODA_E2E_ECHO_IMAGE" >/dev/null || fail "cannot pull the echo backend image $ODA_E2E_ECHO_IMAGE"
kind load docker-image "$ODA_E2E_ECHO_IMAGE" --name "$CLUSTER"

# ---- 7. the chart -------------------------------------------------------------------------------
step 7 "chart config/helm/oda-api-operator, driver $DRIVER, namespace $OPERATOR_NAMESPACE"
VALUES=()
[[ -n "${ODA_HELM_VALUES:-}" ]] && VALUES=(-f "$ODA_HELM_VALUES")
# Plain HTTP on the gateway (no certificate in kind): no HTTPS server, no redirect, http:// URLs.
"$HELM" upgrade --install "$RELEASE" "$ROOT/config/helm/oda-api-operator" \
  --namespace "$OPERATOR_NAMESPACE" --create-namespace \
  --set driver="$DRIVER" \
  --set deployment.apiopImage="${IMAGE%:*}" --set deployment.apiopVersion="${IMAGE##*:}" \
  --set deployment.apiopImagePullPolicy=IfNotPresent \
  --set configmap.componentGateway="$OPERATOR_NAMESPACE/component-gateway" \
  --set httpsRedirect=false --set credentialName= --set settings.urlScheme=http \
  ${VALUES[@]+"${VALUES[@]}"} --wait --timeout 5m
kubectl -n "$OPERATOR_NAMESPACE" rollout status deployment/"$RELEASE" --timeout 120s

printf '\n[kind/up] ready in %s s: driver %s; gateway address %s (istio) / %s (ingress-nginx)\n' \
  "$((SECONDS - STARTED))" "$DRIVER" "$ISTIO_ADDRESS" "$NGINX_ADDRESS"
printf '  export KUBECONFIG=%s\n  npm run test:e2e\n' "$KUBECONFIG_FILE"
