#!/usr/bin/env bash
# deploy/deploy.sh — build, push and install otlp-governor on Kubernetes, or check everything offline.
#
#   deploy/deploy.sh --registry registry.example.com/otlp-governor --tag 0.1.0 -f my-values.yaml
#   deploy/deploy.sh --dry-run -f my-values.yaml
#
# Options:
#   --registry REPO     image repository prefix; images are REPO/bridge:TAG and REPO/job:TAG (required unless --dry-run)
#   --tag TAG           image tag (default: the current git commit, short)
#   -n, --namespace NS  Kubernetes namespace (default: otlp-governor)
#   --release NAME      Helm release name (default: otlp-governor)
#   -f, --values FILE   a values file for the chart (repeatable; later files win)
#   --rules DIR         rule files for the job's start-up ConfigMaps (default: governance-rules/rules)
#   --builder CMD       image builder: docker or podman (default: the first one found)
#   --skip-build        do not build or push images (they are in the registry already)
#   --timeout DURATION  how long to wait for helm, the bridge and the job (default: 15m)
#   --dry-run           no cluster, no helm, no image builds: render the chart with the given values and validate every
#                       resource, the FlinkDeployment directory and the Dockerfiles (needs Java 17 and Maven)
#   -h, --help          this text
#
# Without --dry-run: checks the prerequisites (kubectl, helm, a builder, a reachable cluster, the Flink Kubernetes
# Operator's CRD, the CRDs of every custom resource the chart renders, cert-manager for the operator's webhook),
# builds and pushes both images, runs helm upgrade --install --atomic, waits until the bridge Deployment is rolled
# out and the FlinkDeployment reports lifecycle STABLE with its job RUNNING, and rolls the release back if not.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chart="$root/helm/otlp-governor"

registry=""
tag=""
namespace="otlp-governor"
release="otlp-governor"
values=()
rules_dir="$root/governance-rules/rules"
builder=""
skip_build=false
timeout="15m"
dry_run=false

# ---- logging: colored on a terminal, plain otherwise (and with NO_COLOR) ----
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  c_info=$'\033[1;34m' c_ok=$'\033[1;32m' c_warn=$'\033[1;33m' c_err=$'\033[1;31m' c_off=$'\033[0m'
else
  c_info="" c_ok="" c_warn="" c_err="" c_off=""
fi
info() { printf '%s==>%s %s\n' "$c_info" "$c_off" "$*"; }
ok() { printf '%s ok%s %s\n' "$c_ok" "$c_off" "$*"; }
warn() { printf '%swarning:%s %s\n' "$c_warn" "$c_off" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$c_err" "$c_off" "$*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

need_value() {
  [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --registry) need_value "$@"; registry="${2%/}"; shift 2 ;;
    --tag) need_value "$@"; tag="$2"; shift 2 ;;
    -n|--namespace) need_value "$@"; namespace="$2"; shift 2 ;;
    --release) need_value "$@"; release="$2"; shift 2 ;;
    -f|--values) need_value "$@"; [[ -f "$2" ]] || die "values file not found: $2"; values+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
    --rules) need_value "$@"; [[ -d "$2" ]] || die "rules directory not found: $2"; rules_dir="$(cd "$2" && pwd)"; shift 2 ;;
    --builder) need_value "$@"; builder="$2"; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --timeout) need_value "$@"; timeout="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

if [[ -z "$tag" ]]; then
  tag="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo latest)"
fi

# The resource names the chart gives (templates/_helpers.tpl).
if [[ "$release" == *otlp-governor* ]]; then fullname="$release"; else fullname="$release-otlp-governor"; fi
fullname="${fullname:0:63}"
bridge_deployment="${fullname}-bridge"
bridge_deployment="${bridge_deployment:0:63}"
bridge_deployment="${bridge_deployment%-}"
flink_deployment="${fullname}-job"
flink_deployment="${flink_deployment:0:45}"
flink_deployment="${flink_deployment%-}"

# Chart arguments shared by the dry run and the installation: values files, images, start-up rules.
chart_values=()
for file in "${values[@]+"${values[@]}"}"; do chart_values+=(--values "$file"); done
image_sets=()
rule_files=()
if [[ -n "$registry" ]]; then
  image_sets+=(--set "bridge.image.repository=$registry/bridge" --set "bridge.image.tag=$tag"
               --set "job.image.repository=$registry/job" --set "job.image.tag=$tag")
fi
for folder in presets tenants; do
  for file in "$rules_dir/$folder"/*.yaml; do
    [[ -e "$file" ]] || continue
    name="$(basename "$file")"
    rule_files+=(--set-file "rules.$folder.${name//./\\.}=$file")
  done
done

dry_run_checks() {
  info "Checking this script (bash -n, shellcheck)"
  bash -n "$0" || die "bash -n found syntax errors in $0"
  if command -v shellcheck >/dev/null 2>&1; then
    shellcheck "$0" || die "shellcheck found problems in $0"
  else
    warn "shellcheck is not installed: skipped (Debian: apt-get install shellcheck)"
  fi
  ok "script"

  command -v java >/dev/null 2>&1 || die "java (17 or newer) is required for the dry run"
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is required for the dry run"
  local node_dir="$root/deployment-checks/src/test/node"
  if [[ ! -d "$node_dir/node_modules/dockerfilelint" ]]; then
    command -v npm >/dev/null 2>&1 || die "npm is required to install dockerfilelint (npm ci in $node_dir)"
    info "Installing dockerfilelint (npm ci)"
    (cd "$node_dir" && npm ci --no-audit --no-fund --silent)
  fi

  info "Building the job jar and the checks (mvn package, tests skipped)"
  (cd "$root" && mvn -q -B -pl deployment-checks -am package -DskipTests) || die "the build failed"
  ok "build"

  info "Rendering the chart and validating every resource, flink-deployment/ and the Dockerfiles"
  local args=(--rules "$rules_dir" --output "$root/deployment-checks/target/rendered/$release.yaml")
  for file in "${values[@]+"${values[@]}"}"; do args+=(--values "$file"); done
  if [[ -n "$registry" ]]; then
    args+=(--set "bridge.image.repository=$registry/bridge" --set "bridge.image.tag=$tag"
           --set "job.image.repository=$registry/job" --set "job.image.tag=$tag")
  fi
  mkdir -p "$root/deployment-checks/target/home"
  HOME="$root/deployment-checks/target/home" java -Ddeploy.repository.root="$root" \
    -cp "$root/deployment-checks/target/classes:$(cat "$root/deployment-checks/target/classpath.txt")" \
    io.otlpgovernor.deploy.DeploymentCheck "${args[@]}" || die "the deployment checks found problems (above)"
  ok "dry run: nothing was built, pushed or installed"
}

check_prerequisites() {
  info "Checking prerequisites"
  command -v kubectl >/dev/null 2>&1 || die "kubectl is required"
  command -v helm >/dev/null 2>&1 || die "helm (3.x) is required"
  if ! $skip_build; then
    if [[ -z "$builder" ]]; then
      if command -v docker >/dev/null 2>&1; then builder=docker
      elif command -v podman >/dev/null 2>&1; then builder=podman
      else die "docker or podman is required to build the images (or use --skip-build)"; fi
    fi
    command -v "$builder" >/dev/null 2>&1 || die "$builder not found"
    [[ -n "$registry" ]] || die "--registry is required to push the images"
  fi
  kubectl cluster-info --request-timeout=10s >/dev/null 2>&1 || die "the cluster is not reachable (kubectl cluster-info)"
  kubectl get crd flinkdeployments.flink.apache.org >/dev/null 2>&1 \
    || die "the Flink Kubernetes Operator is not installed (no CRD flinkdeployments.flink.apache.org); see docs/operations.md"
  if ! kubectl get crd certificates.cert-manager.io >/dev/null 2>&1; then
    warn "cert-manager is not installed: the Flink operator's webhook needs it (unless the operator runs with webhook.create=false)"
  fi
  # Every custom resource the chart will render needs its CRD.
  local rendered kind
  rendered="$(helm template "$release" "$chart" --namespace "$namespace" "${chart_values[@]+"${chart_values[@]}"}" \
    "${image_sets[@]+"${image_sets[@]}"}" "${rule_files[@]+"${rule_files[@]}"}")" || die "helm template failed"
  for kind in KafkaTopic ServiceMonitor PodMonitor PrometheusRule; do
    if grep -q "^kind: $kind\$" <<<"$rendered"; then
      case "$kind" in
        KafkaTopic) crd=kafkatopics.kafka.strimzi.io ;;
        ServiceMonitor) crd=servicemonitors.monitoring.coreos.com ;;
        PodMonitor) crd=podmonitors.monitoring.coreos.com ;;
        PrometheusRule) crd=prometheusrules.monitoring.coreos.com ;;
      esac
      kubectl get crd "$crd" >/dev/null 2>&1 || die "the values render $kind resources, but the cluster has no CRD $crd"
    fi
  done
  ok "kubectl, helm${builder:+, $builder}, cluster, CRDs"
}

build_and_push() {
  if $skip_build; then
    info "Skipping image builds (--skip-build): using $registry/bridge:$tag and $registry/job:$tag"
    return
  fi
  local image
  for image in bridge job; do
    info "Building $registry/$image:$tag"
    "$builder" build -f "$root/docker/$image.Dockerfile" -t "$registry/$image:$tag" "$root" || die "building the $image image failed"
    info "Pushing $registry/$image:$tag"
    "$builder" push "$registry/$image:$tag" || die "pushing the $image image failed"
  done
  ok "images pushed"
}

previous_revision=""

install() {
  previous_revision="$(helm history "$release" --namespace "$namespace" --max 1 -o json 2>/dev/null \
    | sed -n 's/.*"revision":\([0-9]*\).*/\1/p' || true)"
  info "helm upgrade --install $release (namespace $namespace, timeout $timeout)"
  helm upgrade --install "$release" "$chart" --namespace "$namespace" --create-namespace \
    --atomic --wait --timeout "$timeout" \
    "${chart_values[@]+"${chart_values[@]}"}" "${image_sets[@]+"${image_sets[@]}"}" "${rule_files[@]+"${rule_files[@]}"}" \
    || die "helm upgrade --install failed (helm rolled the release back itself: --atomic)"
  ok "release installed"
}

seconds_of() {
  local value="$1"
  case "$value" in
    *h) echo $(( ${value%h} * 3600 )) ;;
    *m) echo $(( ${value%m} * 60 )) ;;
    *s) echo "${value%s}" ;;
    *) echo "$value" ;;
  esac
}

wait_until_running() {
  info "Waiting for the bridge Deployment $bridge_deployment"
  kubectl rollout status "deployment/$bridge_deployment" --namespace "$namespace" --timeout "$timeout" || return 1
  ok "bridge ready"

  info "Waiting for FlinkDeployment $flink_deployment: lifecycle STABLE, job RUNNING"
  local deadline=$(( $(date +%s) + $(seconds_of "$timeout") )) lifecycle job error
  while (( $(date +%s) < deadline )); do
    lifecycle="$(kubectl get flinkdeployment "$flink_deployment" --namespace "$namespace" -o jsonpath='{.status.lifecycleState}' 2>/dev/null || true)"
    job="$(kubectl get flinkdeployment "$flink_deployment" --namespace "$namespace" -o jsonpath='{.status.jobStatus.state}' 2>/dev/null || true)"
    if [[ "$lifecycle" == STABLE && "$job" == RUNNING ]]; then
      ok "job running (lifecycle $lifecycle, job $job)"
      return 0
    fi
    if [[ "$lifecycle" == FAILED ]]; then
      error="$(kubectl get flinkdeployment "$flink_deployment" --namespace "$namespace" -o jsonpath='{.status.error}' 2>/dev/null || true)"
      warn "the FlinkDeployment failed: ${error:-no error reported}"
      return 1
    fi
    printf '    lifecycle %s, job %s\n' "${lifecycle:-?}" "${job:-?}"
    sleep 10
  done
  warn "the job did not reach STABLE/RUNNING within $timeout"
  return 1
}

roll_back() {
  if [[ -n "$previous_revision" ]]; then
    warn "rolling $release back to revision $previous_revision"
    helm rollback "$release" "$previous_revision" --namespace "$namespace" --wait --timeout "$timeout" \
      || die "helm rollback failed: check the release by hand (helm history $release -n $namespace)"
    die "the deployment did not become healthy and was rolled back to revision $previous_revision"
  fi
  die "the first installation did not become healthy; inspect it (kubectl -n $namespace get pods,flinkdeployment) or remove it (helm uninstall $release -n $namespace)"
}

if $dry_run; then
  dry_run_checks
  exit 0
fi

check_prerequisites
build_and_push
install
wait_until_running || roll_back
ok "otlp-governor $tag is running in namespace $namespace"
