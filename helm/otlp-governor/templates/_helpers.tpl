{{/* Names: <release>-otlp-governor unless the release name already contains the chart name. */}}
{{- define "otlp-governor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "otlp-governor.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "otlp-governor.bridgeName" -}}
{{- printf "%s-bridge" (include "otlp-governor.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "otlp-governor.jobName" -}}
{{- printf "%s-job" (include "otlp-governor.fullname" .) | trunc 45 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every resource. */}}
{{- define "otlp-governor.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "otlp-governor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "otlp-governor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "otlp-governor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "otlp-governor.bridgeSelectorLabels" -}}
{{ include "otlp-governor.selectorLabels" . }}
app.kubernetes.io/component: bridge
{{- end -}}

{{- define "otlp-governor.jobSelectorLabels" -}}
{{ include "otlp-governor.selectorLabels" . }}
app.kubernetes.io/component: job
{{- end -}}

{{- define "otlp-governor.bridgeServiceAccountName" -}}
{{- if .Values.bridge.serviceAccount.create -}}
{{- default (include "otlp-governor.bridgeName" .) .Values.bridge.serviceAccount.name -}}
{{- else -}}
{{- required "bridge.serviceAccount.name is required when bridge.serviceAccount.create is false" .Values.bridge.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "otlp-governor.jobServiceAccountName" -}}
{{- if .Values.job.serviceAccount.create -}}
{{- default (include "otlp-governor.jobName" .) .Values.job.serviceAccount.name -}}
{{- else -}}
{{- required "job.serviceAccount.name is required when job.serviceAccount.create is false" .Values.job.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* image: repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "otlp-governor.image" -}}
{{- printf "%s:%s" .image.repository (default .chart.AppVersion .image.tag) -}}
{{- end -}}

{{- define "otlp-governor.rulesPresetsConfigMap" -}}
{{- default (printf "%s-rules-presets" (include "otlp-governor.fullname" .)) .Values.rules.existingConfigMaps.presets -}}
{{- end -}}

{{- define "otlp-governor.rulesTenantsConfigMap" -}}
{{- default (printf "%s-rules-tenants" (include "otlp-governor.fullname" .)) .Values.rules.existingConfigMaps.tenants -}}
{{- end -}}

{{/* Object storage locations of checkpoints, savepoints and high-availability metadata. */}}
{{- define "otlp-governor.stateUri" -}}
{{- required "objectStorage.uri is required (e.g. s3://bucket/otlp-governor)" .Values.objectStorage.uri | trimSuffix "/" -}}
{{- end -}}

{{/* Kafka client security settings shared by the bridge and the job (files only; never a password). */}}
{{- define "otlp-governor.kafkaProperties" -}}
{{- $k := .Values.kafka -}}
{{- if ne $k.securityProtocol "PLAINTEXT" }}
security.protocol: {{ $k.securityProtocol }}
{{- end }}
{{- if $k.tls.truststore.existingSecret }}
ssl.truststore.type: {{ $k.tls.truststore.type }}
ssl.truststore.location: /etc/otlp-governor/kafka-truststore/{{ $k.tls.truststore.key }}
{{- end }}
{{- if $k.tls.keystore.existingSecret }}
ssl.keystore.type: {{ $k.tls.keystore.type }}
ssl.keystore.location: /etc/otlp-governor/kafka-keystore/{{ $k.tls.keystore.key }}
{{- end }}
{{- if $k.sasl.existingSecret }}
sasl.mechanism: {{ $k.sasl.mechanism }}
{{- end }}
{{- end -}}

{{/* Volumes with the Kafka client's trust store, key store and JAAS file, as far as configured. */}}
{{- define "otlp-governor.kafkaVolumes" -}}
{{- $k := .Values.kafka -}}
{{- if $k.tls.truststore.existingSecret }}
- name: kafka-truststore
  secret:
    secretName: {{ $k.tls.truststore.existingSecret }}
    items:
      - key: {{ $k.tls.truststore.key }}
        path: {{ $k.tls.truststore.key }}
{{- end }}
{{- if $k.tls.keystore.existingSecret }}
- name: kafka-keystore
  secret:
    secretName: {{ $k.tls.keystore.existingSecret }}
    items:
      - key: {{ $k.tls.keystore.key }}
        path: {{ $k.tls.keystore.key }}
{{- end }}
{{- if $k.sasl.existingSecret }}
- name: kafka-sasl
  secret:
    secretName: {{ $k.sasl.existingSecret }}
    items:
      - key: {{ $k.sasl.key }}
        path: jaas.conf
{{- end }}
{{- end -}}

{{- define "otlp-governor.kafkaVolumeMounts" -}}
{{- $k := .Values.kafka -}}
{{- if $k.tls.truststore.existingSecret }}
- name: kafka-truststore
  mountPath: /etc/otlp-governor/kafka-truststore
  readOnly: true
{{- end }}
{{- if $k.tls.keystore.existingSecret }}
- name: kafka-keystore
  mountPath: /etc/otlp-governor/kafka-keystore
  readOnly: true
{{- end }}
{{- if $k.sasl.existingSecret }}
- name: kafka-sasl
  mountPath: /etc/otlp-governor/kafka-sasl
  readOnly: true
{{- end }}
{{- end -}}

{{/* JVM options: the JAAS file when SASL is configured. */}}
{{- define "otlp-governor.kafkaJvmOptions" -}}
{{- if .Values.kafka.sasl.existingSecret -}}
-Djava.security.auth.login.config=/etc/otlp-governor/kafka-sasl/jaas.conf
{{- end -}}
{{- end -}}

{{/* The job's settings file (job/config/job.yaml format; docs/configuration.md). */}}
{{- define "otlp-governor.jobConfig" -}}
{{- $j := .Values.job -}}
job-name: {{ include "otlp-governor.fullname" . }}
parallelism: {{ $j.parallelism }}
max-parallelism: 128
kafka:
  bootstrap-servers: {{ required "kafka.bootstrapServers is required" .Values.kafka.bootstrapServers }}
  consumer-group: {{ $j.kafka.consumerGroup }}
  transactional-id-prefix: {{ $j.kafka.transactionalIdPrefix }}
  transaction-timeout: {{ $j.kafka.transactionTimeout }}
  max-record-bytes: {{ int $j.kafka.maxRecordBytes }}
  {{- $props := include "otlp-governor.kafkaProperties" . | fromYaml }}
  {{- if $props }}
  properties:
    {{- toYaml $props | nindent 4 }}
  {{- end }}
checkpoints:
  interval: {{ $j.checkpoints.interval }}
  timeout: {{ $j.checkpoints.timeout }}
  min-pause: {{ $j.checkpoints.minPause }}
  directory: {{ include "otlp-governor.stateUri" . }}/checkpoints
  incremental: true
restart:
  strategy: {{ $j.restart.strategy }}
  delay: {{ $j.restart.delay }}
  max-delay: {{ $j.restart.maxDelay }}
rules:
  directory: /etc/otlp-governor/rules
  {{- if $j.hmacKeys.existingSecret }}
  hmac-keys: /etc/otlp-governor/hmac-keys/{{ $j.hmacKeys.key }}
  {{- end }}
reports:
  audit-window: {{ $j.reports.auditWindow }}
  grace: {{ $j.reports.grace }}
{{- end -}}
