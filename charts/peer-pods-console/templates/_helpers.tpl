{{/* Names, labels and the few derived values every template shares. */}}

{{- define "ppc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped name prefix; 52 characters leave room for suffixes such as -serving-cert. */}}
{{- define "ppc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ppc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ppc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ppc.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ppc.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: peer-pods-console
{{- end -}}

{{- define "ppc.serviceAccountName" -}}
{{- default (include "ppc.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The Service carries the API/asset port, the health/metrics port and the webhook port. */}}
{{- define "ppc.serviceName" -}}
{{- include "ppc.fullname" . -}}
{{- end -}}

{{- define "ppc.servingCertSecretName" -}}
{{- default (printf "%s-serving-cert" (include "ppc.fullname" .)) .Values.service.servingCertSecretName -}}
{{- end -}}

{{- define "ppc.webhookCertificateName" -}}
{{- printf "%s-webhook" (include "ppc.fullname" .) -}}
{{- end -}}

{{/* Secret holding the webhook's serving certificate, by CA source. */}}
{{- define "ppc.webhookCertSecretName" -}}
{{- if eq .Values.webhook.caSource "cert-manager" -}}
{{- printf "%s-webhook-cert" (include "ppc.fullname" .) -}}
{{- else if eq .Values.webhook.caSource "manual" -}}
{{- .Values.webhook.manual.secretName -}}
{{- else -}}
{{- include "ppc.servingCertSecretName" . -}}
{{- end -}}
{{- end -}}

{{/* service-ca reuses the API port's serving certificate; the other sources mount their own. */}}
{{- define "ppc.webhookHasOwnSecret" -}}
{{- if and .Values.webhook.enabled (ne .Values.webhook.caSource "service-ca") -}}true{{- end -}}
{{- end -}}

{{- define "ppc.webhookConfigurationName" -}}
{{- default (printf "%s-pod-mutator" (include "ppc.fullname" .)) .Values.webhook.configurationName -}}
{{- end -}}

{{- define "ppc.image" -}}
{{- $repository := .Values.image.repository -}}
{{- if not $repository -}}
{{- $repository = printf "image-registry.openshift-image-registry.svc:5000/%s/peer-pods-console" .Release.Namespace -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The restricted-v2 SCC (and Pod Security "restricted") container security context. */}}
{{- define "ppc.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "ppc.podSecurityContext" -}}
runAsNonRoot: true
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Namespaces never sent to the webhook: the values' lists plus the release namespace. */}}
{{- define "ppc.webhookExcludedNamespaces" -}}
{{- $all := concat .Values.webhook.excludedNamespaces .Values.webhook.additionalExcludedNamespaces (list .Release.Namespace) -}}
{{- toJson (uniq $all) -}}
{{- end -}}

{{/* Checks that JSON Schema cannot express; each names the value to change. */}}
{{- define "ppc.validate" -}}
{{- if eq .Values.image.tag "latest" -}}
{{- fail "image.tag: \"latest\" is not allowed (a rollout must be reproducible); set a version tag or image.digest" -}}
{{- end -}}
{{- if and .Values.webhook.enabled (eq (int .Values.webhook.port) (int .Values.backend.port)) -}}
{{- fail (printf "webhook.port and backend.port are both %v; the webhook needs a port of its own" .Values.backend.port) -}}
{{- end -}}
{{- if eq (int .Values.backend.metricsPort) (int .Values.backend.port) -}}
{{- fail (printf "backend.metricsPort and backend.port are both %v; health and metrics need a port the console's proxy does not reach" .Values.backend.port) -}}
{{- end -}}
{{- if and .Values.webhook.enabled (eq (int .Values.webhook.port) (int .Values.backend.metricsPort)) -}}
{{- fail (printf "webhook.port and backend.metricsPort are both %v; the webhook needs a port of its own" .Values.webhook.port) -}}
{{- end -}}
{{- end -}}
