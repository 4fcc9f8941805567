{{/* Chart name, at most 63 characters. */}}
{{- define "oda-api-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: the release name, suffixed with the chart name unless it already contains it. */}}
{{- define "oda-api-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of the Deployment and its container: upstream's deployment.operatorName, else the full name. */}}
{{- define "oda-api-operator.workloadName" -}}
{{- default (include "oda-api-operator.fullname" .) .Values.deployment.operatorName | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "oda-api-operator.serviceAccountName" -}}
{{- default (include "oda-api-operator.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "oda-api-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "oda-api-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "oda-api-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "oda-api-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: oda-canvas
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The driver, checked. */}}
{{- define "oda-api-operator.driver" -}}
{{- $driver := .Values.driver | default "istio" }}
{{- if not (has $driver (list "istio" "simple-ingress" "gateway-api")) }}
{{- fail (printf "driver=%v is not one of: istio, simple-ingress, gateway-api" $driver) }}
{{- end }}
{{- $driver }}
{{- end }}

{{/* Image reference: [global.image.registry]apiopImage(:version[-suffix] | @digest). */}}
{{- define "oda-api-operator.image" -}}
{{- $d := .Values.deployment }}
{{- $registry := "" }}
{{- if and .Values.global .Values.global.image }}{{ $registry = .Values.global.image.registry | default "" }}{{ end }}
{{- if $d.apiopImageDigest }}
{{- printf "%s%s@%s" $registry $d.apiopImage $d.apiopImageDigest }}
{{- else }}
{{- $tag := toString ($d.apiopVersion | default .Chart.AppVersion) }}
{{- if $d.apiopPrereleaseSuffix }}{{ $tag = printf "%s-%s" $tag (toString $d.apiopPrereleaseSuffix) }}{{ end }}
{{- printf "%s%s:%s" $registry $d.apiopImage $tag }}
{{- end }}
{{- end }}

{{/* Pull policy: Always for a prerelease (as upstream), else deployment.imagePullPolicy (umbrella) or apiopImagePullPolicy. */}}
{{- define "oda-api-operator.imagePullPolicy" -}}
{{- $d := .Values.deployment }}
{{- if $d.apiopPrereleaseSuffix }}Always
{{- else }}{{ $d.imagePullPolicy | default $d.apiopImagePullPolicy | default "IfNotPresent" }}
{{- end }}
{{- end }}

{{/* A top-level value (canvas-oda umbrella) when set, else the deployment.* one (api-operator-istio chart). */}}
{{- define "oda-api-operator.topOrDeployment" -}}
{{- $root := index . 0 }}{{ $key := index . 1 }}{{ $default := index . 2 }}
{{- $value := index $root.Values $key }}
{{- if kindIs "invalid" $value }}{{ $value = index $root.Values.deployment $key }}{{ end }}
{{- if kindIs "invalid" $value }}{{ $value = $default }}{{ end }}
{{- toString $value }}
{{- end }}

{{/* Metrics mode: openMetricsImplementation, deployment.openMetricsImplementation, dataDog, else ServiceMonitor. */}}
{{- define "oda-api-operator.openMetrics" -}}
{{- $mode := .Values.openMetricsImplementation | default .Values.deployment.openMetricsImplementation }}
{{- if and (not $mode) .Values.deployment.dataDog .Values.deployment.dataDog.enabled }}{{ $mode = "DataDogAnnotation" }}{{ end }}
{{- $mode = $mode | default "ServiceMonitor" }}
{{- if ne (lower $mode) "servicemonitor" }}
{{- fail (printf "openMetricsImplementation=%s is not supported by oda-api-operator %s, only ServiceMonitor: set openMetricsImplementation (in a Canvas: api-operator-istio.deployment.openMetricsImplementation) to ServiceMonitor, and deployment.dataDog.enabled to false" $mode .Chart.AppVersion) }}
{{- end }}
{{- "ServiceMonitor" }}
{{- end }}

{{/* The Istio Gateway of the VirtualServices. */}}
{{- define "oda-api-operator.componentGateway" -}}
{{- .Values.configmap.componentGateway | default (printf "%s/component-gateway" .Release.Namespace) }}
{{- end }}

{{/*
  The rules of the first Role or ClusterRole in files/rbac/<file> (a link to config/rbac/), as YAML.
  Called with (list $ "<file>").
*/}}
{{- define "oda-api-operator.rbacRules" -}}
{{- $root := index . 0 }}{{ $file := printf "files/rbac/%s" (index . 1) }}
{{- $rules := list }}
{{- range $document := splitList "\n---" ($root.Files.Get $file) }}
{{- $object := fromYaml $document }}
{{- if and (not $rules) (has (get $object "kind") (list "Role" "ClusterRole")) }}{{ $rules = get $object "rules" }}{{ end }}
{{- end }}
{{- if not $rules }}
{{- fail (printf "%s: no Role or ClusterRole with rules (is the files/rbac link to config/rbac intact?)" $file) }}
{{- end }}
{{- toYaml $rules }}
{{- end }}
