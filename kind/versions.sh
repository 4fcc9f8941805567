# shellcheck shell=bash
# Every version kind/up.sh installs, pinned in one place. Each can be overridden from the
# environment (same name), e.g. ODA_ISTIO_VERSION=1.30.4 kind/up.sh.

# kind CLI expected on PATH, and the node image made for that release (from kind's own defaults).
KIND_VERSION="${KIND_VERSION:-v0.32.0}"
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5}"

# LoadBalancer addresses for kind: sigs.k8s.io/cloud-provider-kind, run as a container.
CLOUD_PROVIDER_KIND_IMAGE="${CLOUD_PROVIDER_KIND_IMAGE:-registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.12.0}"

# Istio (Helm charts base, istiod, gateway); 1.30 supports Kubernetes 1.32 to 1.36.
ODA_ISTIO_VERSION="${ODA_ISTIO_VERSION:-1.30.5}"
ISTIO_CHART_REPO="${ISTIO_CHART_REPO:-https://istio-release.storage.googleapis.com/charts}"

# Ingress controller of the simple-ingress driver (IngressClass nginx, the upstream default).
ODA_INGRESS_NGINX_CHART_VERSION="${ODA_INGRESS_NGINX_CHART_VERSION:-4.15.1}"
INGRESS_NGINX_CHART_REPO="${INGRESS_NGINX_CHART_REPO:-https://kubernetes.github.io/ingress-nginx}"

# helm CLI (when none is on PATH, scripts/helm.sh builds this version with Go).
ODA_HELM_VERSION="${ODA_HELM_VERSION:-v3.22.0}"

# The echo backend image of the end-to-end test (test/e2e), preloaded into the cluster by up.sh.
ODA_E2E_ECHO_IMAGE="${ODA_E2E_ECHO_IMAGE:-hashicorp/http-echo:1.0.0}"

export KIND_VERSION KIND_NODE_IMAGE CLOUD_PROVIDER_KIND_IMAGE ODA_ISTIO_VERSION ISTIO_CHART_REPO \
  ODA_INGRESS_NGINX_CHART_VERSION INGRESS_NGINX_CHART_REPO ODA_HELM_VERSION ODA_E2E_ECHO_IMAGE
