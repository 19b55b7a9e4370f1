#!/bin/bash
# deploy/: the Kubernetes manifests and the monitoring files.
#  - every YAML under deploy/kubernetes parses (safe_load_all) and the
#    DaemonSet has what docs/deployment.md promises: GPU nodes, host
#    network, non-root uid 10001, read-only root, no capabilities, probes on
#    /healthz and /readyz, the token and key files on the Secret's volume
#    under keys the Secret has, the routes file on the ConfigMap's, state on
#    the node (tests/e2e/deploy-check.py);
#  - corral check-config accepts the pod's environment with the files laid
#    out as the pod would see them, and refuses it with the placeholders of
#    secret.example.yaml (tokens, then the master key);
#  - promtool check config accepts deploy/monitoring/prometheus.yml and
#    prometheus-kubernetes.yml (credentials_file pointed at a file that
#    exists; Kubernetes discovery checked by deploy-check.py where
#    Debian's promtool is built without it);
#  - the Grafana dashboard parses, its panels do not overlap, every metric
#    and label its queries use is in docs/metrics.md, and promtool check
#    rules parses every query; the provisioning files point where
#    docker-compose.yml mounts them.
. "$(dirname "$0")/lib.sh"
e2e_setup
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
"$PY" -c 'import yaml' 2>/dev/null ||
    e2e_fail "python3-yaml is missing (scripts/deps.sh test installs it)"
command -v promtool >/dev/null ||
    e2e_fail "promtool is missing (scripts/deps.sh test installs prometheus)"
CHECK="$TOP/tests/e2e/deploy-check.py"
K8S="$TOP/deploy/kubernetes"
MON="$TOP/deploy/monitoring"

# --- Kubernetes ----------------------------------------------------------
key=$("$CORRAL" secrets generate) || e2e_fail "secrets generate"
printf '{"admin-token": "admin-k8s-0123456789abcdef", "readonly-token": "ro-k8s-0123456789abcdef01", "master-key": "%s"}\n' \
    "$key" > "$T/secrets.json"
# podenv ROOT SECRETS: the pod's environment, its files under ROOT
podenv() {
	"$PY" "$CHECK" k8s "$K8S" "$1" "$2" > "$T/pod.env" 2> "$T/check.err" ||
	    e2e_fail "deploy/kubernetes: $(cat "$T/check.err")"
	mapfile -t PODENV < "$T/pod.env"
}
checkconfig() {
	env -i PATH=/usr/bin:/bin "${PODENV[@]}" "$CORRAL" check-config > "$T/cc.out" 2>&1
}
podenv "$T/pod" "$T/secrets.json"
checkconfig || e2e_fail "check-config with the DaemonSet's environment: $(cat "$T/cc.out")"
grep -q '^configuration ok: bind 0.0.0.0:4000' "$T/cc.out" || e2e_fail "check-config: $(cat "$T/cc.out")"
e2e_log "deploy/kubernetes: $(ls "$K8S" | wc -l) files parse; check-config: $(cat "$T/cc.out")"
# the checks must catch a broken DaemonSet: mutant NAME SED WANT
mutant() {
	rm -rf "$T/k8s-$1"
	cp -r "$K8S" "$T/k8s-$1"
	sed -i "$2" "$T/k8s-$1/corral-daemonset.yaml"
	cmp -s "$K8S/corral-daemonset.yaml" "$T/k8s-$1/corral-daemonset.yaml" &&
	    e2e_fail "mutant $1: the edit changed nothing"
	"$PY" "$CHECK" k8s "$T/k8s-$1" "$T/m-$1" "$T/secrets.json" > /dev/null 2> "$T/m.err" &&
	    e2e_fail "deploy-check.py missed: $1"
	grep -q "$3" "$T/m.err" || e2e_fail "mutant $1: $(cat "$T/m.err")"
}
mutant probe 's|path: /readyz|path: /ready|' 'readinessProbe path /ready'
mutant token-path 's|value: /run/secrets/corral/admin.token|value: /run/secrets/admin.token|' \
    'CORRAL_ADMIN_TOKEN_FILE=/run/secrets/admin.token is not on a Secret volume'
mutant secret-key 's|key: master-key|key: masterkey|' 'the Secret has no key masterkey'
mutant root 's|runAsNonRoot: true|runAsNonRoot: false|' 'runAsNonRoot is not true'
mutant yaml 's|^  template:|  template:\n bad indent: [|' 'corral-daemonset.yaml'
e2e_log "deploy-check.py catches a wrong probe, token path, Secret key, root, bad YAML"
# the example Secret's placeholders must not start a daemon
podenv "$T/pod-example" example
checkconfig && e2e_fail "check-config accepted secret.example.yaml's placeholders"
grep -q "token holds a space" "$T/cc.out" || e2e_fail "placeholder tokens: $(cat "$T/cc.out")"
"$PY" - "$T/secrets.json" "$K8S/secret.example.yaml" > "$T/secrets-key.json" <<'PY'
import json, sys, yaml
s = json.load(open(sys.argv[1]))
s["master-key"] = yaml.safe_load(open(sys.argv[2]))["stringData"]["master-key"]
print(json.dumps(s))
PY
podenv "$T/pod-key" "$T/secrets-key.json"
checkconfig && e2e_fail "check-config accepted the placeholder master key"
e2e_log "placeholders refused: $(head -1 "$T/cc.out")"

# --- Prometheus ----------------------------------------------------------
printf 'token-for-promtool-0123456789\n' > "$T/cred"
"$PY" "$CHECK" prom "$MON/prometheus.yml" "$T/prom.yml" "$T/cred" > "$T/cred.path" ||
    e2e_fail "prometheus.yml"
promtool check config "$T/prom.yml" > "$T/promtool.out" 2>&1 ||
    e2e_fail "promtool check config prometheus.yml: $(cat "$T/promtool.out")"
[ "$(cat "$T/cred.path")" = /run/secrets/admin_token ] ||
    e2e_fail "prometheus.yml reads the token from $(cat "$T/cred.path")"
"$PY" "$CHECK" prom "$MON/prometheus-kubernetes.yml" "$T/promk.yml" "$T/cred" > /dev/null ||
    e2e_fail "prometheus-kubernetes.yml"
if ! promtool check config "$T/promk.yml" > "$T/promtool.out" 2>&1; then
	grep -q "field kubernetes_sd_configs not found" "$T/promtool.out" ||
	    e2e_fail "promtool check config prometheus-kubernetes.yml: $(cat "$T/promtool.out")"
	"$PY" "$CHECK" prom "$MON/prometheus-kubernetes.yml" "$T/promk.yml" "$T/cred" --no-k8s-sd > /dev/null ||
	    e2e_fail "prometheus-kubernetes.yml: kubernetes_sd_configs"
	promtool check config "$T/promk.yml" > "$T/promtool.out" 2>&1 ||
	    e2e_fail "promtool check config prometheus-kubernetes.yml: $(cat "$T/promtool.out")"
	e2e_log "promtool has no Kubernetes discovery: kubernetes_sd_configs checked by deploy-check.py"
fi
e2e_log "promtool check config: prometheus.yml, prometheus-kubernetes.yml ok"

# --- Grafana ---------------------------------------------------------------
"$PY" "$CHECK" dashboard "$MON/grafana/dashboards/corral.json" "$TOP/docs/metrics.md" \
    "$T/rules.yml" > "$T/dash.out" 2>&1 || e2e_fail "dashboard: $(cat "$T/dash.out")"
promtool check rules "$T/rules.yml" > "$T/promtool.out" 2>&1 ||
    e2e_fail "a dashboard query does not parse: $(cat "$T/promtool.out")"
e2e_log "dashboard: $(cat "$T/dash.out"); every query parses"
# the check must catch a renamed metric and a wrong label
sed 's/corral_worker_restarts_total/corral_worker_restart_total/' \
    "$MON/grafana/dashboards/corral.json" > "$T/renamed.json"
"$PY" "$CHECK" dashboard "$T/renamed.json" "$TOP/docs/metrics.md" "$T/r2.yml" > "$T/dash.out" 2>&1 &&
    e2e_fail "a renamed metric went unnoticed"
grep -q "corral_worker_restart_total is not a family" "$T/dash.out" || e2e_fail "renamed: $(cat "$T/dash.out")"
sed 's/by (route, code)/by (path, code)/' "$MON/grafana/dashboards/corral.json" > "$T/label.json"
"$PY" "$CHECK" dashboard "$T/label.json" "$TOP/docs/metrics.md" "$T/r3.yml" > "$T/dash.out" 2>&1 &&
    e2e_fail "a wrong label went unnoticed"
"$PY" "$CHECK" grafana "$MON/grafana/provisioning" > "$T/graf.out" 2>&1 ||
    e2e_fail "grafana provisioning: $(cat "$T/graf.out")"
if [ -f "$TOP/docker-compose.yml" ]; then
	"$PY" "$CHECK" compose "$TOP/docker-compose.yml" > "$T/compose.out" 2>&1 ||
	    e2e_fail "docker-compose.yml and deploy/monitoring disagree: $(cat "$T/compose.out")"
fi
e2e_pass
