#!/usr/bin/env python3
"""deploy-check.py - checks of deploy/ for t-deploy-files.sh

usage:
  deploy-check.py k8s DIR ROOT SECRETS.json
      Parse every YAML under DIR (safe_load_all), check the objects and the
      DaemonSet's essentials, and lay out under ROOT the files the pod
      would see (its mounts: the Secret's items, with values taken from
      SECRETS.json {"key": "value"} or, when SECRETS.json is "example", from
      secret.example.yaml; the ConfigMap's items; empty directories for the
      rest). Prints the container's environment, mount paths moved under
      ROOT, one VAR=VALUE a line.
  deploy-check.py prom IN OUT CREDFILE [--no-k8s-sd]
      Copy the Prometheus configuration IN to OUT with every
      credentials_file pointing at CREDFILE (promtool wants it to exist),
      after checking the corral job (bearer auth, /metrics, 15 s).
      --no-k8s-sd: for a promtool built without Kubernetes discovery
      (Debian's): check kubernetes_sd_configs here and put static_configs
      in their place.
  deploy-check.py dashboard JSON METRICS_MD RULES_OUT
      Check a Grafana dashboard: it parses, panels have ids, datasources,
      targets and do not overlap; every metric its expressions name is a
      family of docs/metrics.md and every label they use is one of that
      family's. Writes the expressions as recording rules to RULES_OUT
      (Grafana's variables replaced) for `promtool check rules`.
  deploy-check.py grafana PROVISIONING_DIR
      The datasource and dashboard provider files.
  deploy-check.py compose FILE
      docker-compose.yml mounts these files where they say they are.

Exit 0, or 1 with one line per problem.
"""

import json
import os
import re
import sys

import yaml

problems = []


def bad(msg):
    problems.append(msg)


def done():
    for p in problems:
        print("deploy-check: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


# --- Kubernetes -----------------------------------------------------------

NAMESPACED = {"DaemonSet", "Service", "Secret", "ConfigMap", "ServiceAccount"}


def load_dir(d):
    objs = []
    for f in sorted(os.listdir(d)):
        if not f.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(d, f)) as fh:
            try:
                docs = [x for x in yaml.safe_load_all(fh) if x is not None]
            except yaml.YAMLError as e:
                bad("%s: %s" % (f, e))
                continue
        if not docs:
            bad("%s: no object" % f)
        for o in docs:
            if not isinstance(o, dict):
                bad("%s: not a mapping" % f)
                continue
            for k in ("apiVersion", "kind", "metadata"):
                if k not in o:
                    bad("%s: no %s" % (f, k))
            o["_file"] = f
            objs.append(o)
    return objs


def get(o, path, default=None):
    for p in path.split("."):
        if not isinstance(o, dict) or p not in o:
            return default
        o = o[p]
    return o


def k8s(d, root, secrets_arg):
    objs = load_dir(d)
    by_kind = {}
    for o in objs:
        by_kind.setdefault(o.get("kind"), []).append(o)
        name = get(o, "metadata.name")
        if not name:
            bad("%s: %s without metadata.name" % (o["_file"], o.get("kind")))
        if o.get("kind") in NAMESPACED and get(o, "metadata.namespace") != "corral":
            bad("%s: %s %s not in namespace corral" % (o["_file"], o["kind"], name))
    for kind in ("Namespace", "DaemonSet", "Service", "Secret", "ConfigMap"):
        if len(by_kind.get(kind, [])) != 1:
            bad("want one %s, have %d" % (kind, len(by_kind.get(kind, []))))
    if problems:
        done()
    ns, ds, svc = by_kind["Namespace"][0], by_kind["DaemonSet"][0], by_kind["Service"][0]
    secret, cm = by_kind["Secret"][0], by_kind["ConfigMap"][0]
    if get(ns, "metadata.name") != "corral":
        bad("Namespace is %s" % get(ns, "metadata.name"))

    # the DaemonSet
    pod = get(ds, "spec.template.spec", {})
    plabels = get(ds, "spec.template.metadata.labels", {})
    sel = get(ds, "spec.selector.matchLabels", {})
    if not sel or any(plabels.get(k) != v for k, v in sel.items()):
        bad("DaemonSet selector %s does not match the pod labels %s" % (sel, plabels))
    if get(pod, "nodeSelector", {}).get("nvidia.com/gpu.present") != "true":
        bad("nodeSelector nvidia.com/gpu.present is not \"true\"")
    if not any(t.get("key") == "nvidia.com/gpu" for t in pod.get("tolerations", [])):
        bad("no toleration for nvidia.com/gpu")
    if pod.get("hostNetwork") is not True:
        bad("hostNetwork is not true (engines listen on the node's 127.0.0.1)")
    if pod.get("dnsPolicy") != "ClusterFirstWithHostNet":
        bad("dnsPolicy with hostNetwork should be ClusterFirstWithHostNet")
    if pod.get("automountServiceAccountToken") is not False:
        bad("automountServiceAccountToken is not false")
    psc = pod.get("securityContext", {})
    cs = pod.get("containers", [])
    if len(cs) != 1:
        bad("want one container, have %d" % len(cs))
        done()
    c = cs[0]
    csc = c.get("securityContext", {})

    def eff(key):
        return csc.get(key, psc.get(key))
    if eff("runAsNonRoot") is not True:
        bad("runAsNonRoot is not true")
    if eff("runAsUser") != 10001:
        bad("runAsUser is %s, want 10001 (the image's corral user)" % eff("runAsUser"))
    if csc.get("readOnlyRootFilesystem") is not True:
        bad("readOnlyRootFilesystem is not true")
    if csc.get("allowPrivilegeEscalation") is not False:
        bad("allowPrivilegeEscalation is not false")
    if get(csc, "capabilities.drop") != ["ALL"] or get(csc, "capabilities.add"):
        bad("capabilities: want drop [ALL] and no add, have %s" % csc.get("capabilities"))
    if (get(csc, "seccompProfile.type") or get(psc, "seccompProfile.type")) != "RuntimeDefault":
        bad("no RuntimeDefault seccompProfile")
    for ic in pod.get("initContainers", []):
        isc = ic.get("securityContext", {})
        if isc.get("allowPrivilegeEscalation") is not False or \
                get(isc, "capabilities.drop") != ["ALL"] or \
                not set(get(isc, "capabilities.add") or []) <= {"CHOWN"}:
            bad("init container %s: more than CAP_CHOWN" % ic.get("name"))
    if not str(c.get("image", "")).startswith("corral:"):
        bad("image is %s, want corral:..." % c.get("image"))
    grace = pod.get("terminationGracePeriodSeconds")
    if not isinstance(grace, int) or grace < 25:
        bad("terminationGracePeriodSeconds %s: under 2 x shutdown_timeout + 5" % grace)

    env = {}
    for e in c.get("env", []):
        if "value" in e:
            env[e["name"]] = str(e["value"])
        elif "valueFrom" not in e:
            bad("env %s has no value" % e.get("name"))
    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
    bind_port = int(env.get("CORRAL_BIND", "127.0.0.1:4000").rsplit(":", 1)[1])
    if ports.get("http") != bind_port:
        bad("container port http %s is not CORRAL_BIND's %s" % (ports.get("http"), bind_port))
    if not env.get("CORRAL_BIND", "").startswith("0.0.0.0:"):
        bad("CORRAL_BIND %s: probes come from the kubelet on the node's address"
            % env.get("CORRAL_BIND"))
    if env.get("CORRAL_HTTP_AUTH_MODE", "bearer") != "bearer":
        bad("CORRAL_HTTP_AUTH_MODE is not bearer")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"),
                        ("startupProbe", "/healthz")):
        p = c.get(probe)
        if not p:
            bad("no %s" % probe)
            continue
        if get(p, "httpGet.path") != path:
            bad("%s path %s, want %s" % (probe, get(p, "httpGet.path"), path))
        port = get(p, "httpGet.port")
        if port not in ("http", bind_port):
            bad("%s port %s is not corral's" % (probe, port))
    if not get(c, "resources.requests") or not get(c, "resources.limits.memory"):
        bad("resources: want requests and a memory limit")

    # mounts and the files the settings name
    vols = {v.get("name"): v for v in pod.get("volumes", [])}
    mounts = c.get("volumeMounts", [])
    for m in mounts:
        if m.get("name") not in vols:
            bad("volumeMount %s: no such volume" % m.get("name"))

    def mount_of(path):
        best = None
        for m in mounts:
            mp = m["mountPath"].rstrip("/")
            if path == mp or path.startswith(mp + "/"):
                if best is None or len(mp) > len(best["mountPath"]):
                    best = m
        return best

    secret_keys = set((secret.get("stringData") or {}).keys()) | \
        set((secret.get("data") or {}).keys())
    for var in ("CORRAL_ADMIN_TOKEN_FILE", "CORRAL_READONLY_TOKEN_FILE",
                "CORRAL_AUTH_STORE_MASTER_KEY_FILE"):
        path = env.get(var)
        if not path:
            bad("%s is not set" % var)
            continue
        m = mount_of(path)
        v = vols.get(m["name"]) if m else None
        if not v or "secret" not in v:
            bad("%s=%s is not on a Secret volume" % (var, path))
            continue
        if get(v, "secret.secretName") != get(secret, "metadata.name"):
            bad("%s: volume's Secret %s is not %s" % (var, get(v, "secret.secretName"),
                                                       get(secret, "metadata.name")))
        rel = path[len(m["mountPath"].rstrip("/")) + 1:]
        items = {i["path"]: i["key"] for i in get(v, "secret.items", [])}
        key = items.get(rel)
        if key is None:
            bad("%s: no item of the Secret volume has path %s" % (var, rel))
        elif key not in secret_keys:
            bad("%s: the Secret has no key %s" % (var, key))
        if m.get("readOnly") is not True:
            bad("the Secret is not mounted readOnly")
        mode = get(v, "secret.defaultMode")
        if mode is None or mode & 0o007:
            bad("Secret defaultMode %s: readable by others" %
                (oct(mode) if mode is not None else "default 0644"))
    for var in [k for k in env if k.endswith("_FILE") and k != "CORRAL_CONFIG"]:
        if var not in ("CORRAL_ADMIN_TOKEN_FILE", "CORRAL_READONLY_TOKEN_FILE",
                       "CORRAL_AUTH_STORE_MASTER_KEY_FILE", "CORRAL_ROUTES_FILE",
                       "CORRAL_ENGINES_FILE"):
            bad("unexpected %s" % var)
    rf = env.get("CORRAL_ROUTES_FILE")
    if rf:
        m = mount_of(rf)
        v = vols.get(m["name"]) if m else None
        if not v or "configMap" not in v:
            bad("CORRAL_ROUTES_FILE=%s is not on a ConfigMap volume" % rf)
        else:
            rel = rf[len(m["mountPath"].rstrip("/")) + 1:]
            items = {i["path"]: i["key"] for i in get(v, "configMap.items", [])}
            if get(v, "configMap.name") != get(cm, "metadata.name") or \
                    items.get(rel) not in (cm.get("data") or {}):
                bad("CORRAL_ROUTES_FILE: the ConfigMap has no item for %s" % rel)
    state, work = env.get("CORRAL_STATE_ROOT"), env.get("CORRAL_WORKSPACE_ROOT")
    for var, path, kinds in (("CORRAL_STATE_ROOT", state, ("hostPath",)),
                             ("CORRAL_WORKSPACE_ROOT", work, ("emptyDir", "hostPath"))):
        m = mount_of(path or "")
        v = vols.get(m["name"]) if m else None
        if not v or not any(k in v for k in kinds):
            bad("%s=%s is not on a %s volume" % (var, path, " or ".join(kinds)))
        elif m.get("readOnly"):
            bad("%s=%s is on a read-only mount" % (var, path))
    if state and work and (state == work or state.startswith(work + "/") or
                           work.startswith(state + "/")):
        bad("state_root and workspace_root overlap")
    if not mount_of("/tmp"):
        bad("no writable /tmp under readOnlyRootFilesystem")

    # the Service
    if get(svc, "spec.clusterIP") != "None":
        bad("the Service is not headless (clusterIP: None)")
    if get(svc, "spec.publishNotReadyAddresses") is not True:
        bad("the Service hides not-ready pods from Prometheus")
    ssel = get(svc, "spec.selector", {})
    if not ssel or any(plabels.get(k) != v for k, v in ssel.items()):
        bad("the Service's selector %s does not select the pods" % ssel)
    sp = get(svc, "spec.ports", [{}])[0]
    if sp.get("targetPort") not in ("http", bind_port):
        bad("the Service's targetPort %s is not corral's port" % sp.get("targetPort"))
    ann = get(ds, "spec.template.metadata.annotations", {})
    if ann.get("prometheus.io/scrape") != "true" or \
            ann.get("prometheus.io/port") != str(bind_port) or \
            ann.get("prometheus.io/path") != "/metrics":
        bad("prometheus.io annotations: %s" % ann)

    # the pod's files under ROOT, and its environment moved there
    if secrets_arg == "example":
        svals = dict(secret.get("stringData") or {})
    else:
        with open(secrets_arg) as fh:
            svals = json.load(fh)
    for m in mounts:
        v = vols[m["name"]]
        base = root + m["mountPath"]
        os.makedirs(base, exist_ok=True)
        if "secret" in v:
            for i in get(v, "secret.items", []):
                with open(os.path.join(base, i["path"]), "w") as fh:
                    fh.write(svals.get(i["key"], "") + "\n")
                os.chmod(os.path.join(base, i["path"]), 0o600)
        elif "configMap" in v:
            for i in get(v, "configMap.items", []):
                with open(os.path.join(base, i["path"]), "w") as fh:
                    fh.write(cm["data"][i["key"]])
    for k, val in env.items():
        if val.startswith("/") and mount_of(val):
            val = root + val
        print("%s=%s" % (k, val))
    done()


# --- Prometheus -------------------------------------------------------------

K8S_ROLES = {"node", "service", "pod", "endpoints", "endpointslice", "ingress"}


def k8s_sd(job):
    """check a job's kubernetes_sd_configs, then swap in static_configs"""
    sds = job.pop("kubernetes_sd_configs")
    for sd in sds:
        if sd.get("role") not in K8S_ROLES:
            bad("kubernetes_sd_configs: role %s" % sd.get("role"))
        names = get(sd, "namespaces.names")
        if names is not None and (not isinstance(names, list) or
                                  not all(isinstance(n, str) for n in names)):
            bad("kubernetes_sd_configs: namespaces.names %s" % names)
        for k in sd:
            if k not in ("role", "namespaces", "selectors", "api_server",
                         "kubeconfig_file", "attach_metadata"):
                bad("kubernetes_sd_configs: unknown field %s" % k)
    roles = {sd.get("role") for sd in sds}
    # the __meta_ labels each role gives (endpoints: also its service's
    # and pods')
    prefixes = {"endpoints": ("endpoint", "endpoints", "service", "pod", "namespace"),
                "endpointslice": ("endpointslice", "service", "pod", "namespace"),
                "pod": ("pod", "namespace"), "service": ("service", "namespace"),
                "node": ("node",), "ingress": ("ingress", "namespace")}
    ok = set()
    for r in roles:
        ok.update(prefixes.get(r, ()))
    for rc in job.get("relabel_configs", []):
        for lab in rc.get("source_labels", []):
            m = re.match(r"__meta_kubernetes_([a-z]+)_", lab)
            if lab.startswith("__meta_kubernetes_") and \
                    (not m or m.group(1) not in ok) and lab != "__meta_kubernetes_namespace":
                bad("relabel: %s is not given by role %s" % (lab, ", ".join(sorted(roles))))
    job["static_configs"] = [{"targets": ["gpu-node:4000"]}]


def prom(src, out, cred, no_k8s_sd=False):
    with open(src) as fh:
        conf = yaml.safe_load(fh)
    jobs = {j.get("job_name"): j for j in conf.get("scrape_configs", [])}
    j = jobs.get("corral")
    if not j:
        bad("%s: no job corral" % src)
        done()
    if j.get("metrics_path", "/metrics") != "/metrics":
        bad("%s: metrics_path %s" % (src, j.get("metrics_path")))
    if get(j, "authorization.type") != "Bearer" or not get(j, "authorization.credentials_file"):
        bad("%s: the corral job has no bearer credentials_file" % src)
    if j.get("scrape_interval", get(conf, "global.scrape_interval")) != "15s":
        bad("%s: scrape_interval is not 15s" % src)
    print(get(j, "authorization.credentials_file"))
    if no_k8s_sd:
        for job in conf.get("scrape_configs", []):
            if "kubernetes_sd_configs" in job:
                k8s_sd(job)

    def walk(o):
        if isinstance(o, dict):
            for k in o:
                if k == "credentials_file":
                    o[k] = cred
                else:
                    walk(o[k])
        elif isinstance(o, list):
            for x in o:
                walk(x)
    walk(conf)
    with open(out, "w") as fh:
        yaml.safe_dump(conf, fh)
    done()


# --- Grafana ----------------------------------------------------------------

def metrics_doc(md):
    """{family: labels} from docs/metrics.md"""
    with open(md) as fh:
        text = fh.read()
    fams = {}
    dcgm_labels = set()
    in_labels = False
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] \
            if line.startswith("|") else []
        if cells and cells[0] == "label":
            in_labels = True
            continue
        if not cells:
            in_labels = False
            continue
        names = re.findall(r"`([A-Za-z_:][A-Za-z0-9_:]*)`", cells[0])
        if in_labels:
            dcgm_labels.update(names)
            continue
        for n in names:
            if n.startswith("DCGM_FI_"):
                fams[n] = None
            elif n.startswith("corral_"):
                labels = set()
                if len(cells) >= 3:
                    labels = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", cells[2]))
                fams[n] = labels
                if len(cells) >= 2 and cells[1] == "histogram":
                    for sfx in ("_bucket", "_sum", "_count"):
                        fams[n + sfx] = labels | ({"le"} if sfx == "_bucket" else set())
    for n in fams:
        if fams[n] is None:
            fams[n] = set(dcgm_labels)
    return fams


KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "inf", "nan", "le"}


def promql_names(expr):
    """(metric names, label names) an expression uses"""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    labels = set()
    for block in re.findall(r"\{([^}]*)\}", e):
        labels.update(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)", block))
    e = re.sub(r"\{[^}]*\}", " ", e)
    for block in re.findall(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", e):
        labels.update(x.strip() for x in block.split(",") if x.strip())
    e = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\$\w+", " ", e)
    names = set()
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", e):
        w = m.group(0)
        if e[m.end():].lstrip().startswith("("):
            continue
        if w.lower() in KEYWORDS or re.match(r"^\d", w):
            continue
        names.add(w)
    return names, labels


def dashboard(path, md, rules_out):
    try:
        with open(path) as fh:
            d = json.load(fh)
    except ValueError as e:
        bad("%s: %s" % (path, e))
        done()
    fams = metrics_doc(md)
    for k in ("uid", "title", "schemaVersion", "panels"):
        if k not in d:
            bad("dashboard: no %s" % k)
    if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 36:
        bad("dashboard: schemaVersion %s" % d.get("schemaVersion"))
    variables = {v.get("name") for v in get(d, "templating.list", [])}
    panels = []
    for p in d.get("panels", []):
        panels.append(p)
        panels.extend(p.get("panels", []))
    ids = [p.get("id") for p in panels]
    if len(set(ids)) != len(ids) or None in ids:
        bad("dashboard: panel ids missing or repeated")
    cells = {}
    rules, n = [], 0
    used = set()
    for p in panels:
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in "hwxy") or g["x"] + g["w"] > 24:
            bad("panel %s: bad gridPos %s" % (p.get("title"), g))
            continue
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    bad("panel %s overlaps %s" % (p.get("title"), cells[(x, y)]))
                    break
                cells[(x, y)] = p.get("title")
        if p.get("type") == "row":
            continue
        ds = p.get("datasource") or {}
        if ds.get("type") != "prometheus":
            bad("panel %s: datasource %s" % (p.get("title"), ds))
        uid = str(ds.get("uid", ""))
        if uid.startswith("$") and uid.strip("${}") not in variables:
            bad("panel %s: datasource variable %s is not defined" % (p.get("title"), uid))
        if not p.get("targets"):
            bad("panel %s: no targets" % p.get("title"))
        for t in p.get("targets", []):
            expr = t.get("expr", "")
            if not expr:
                bad("panel %s: a target without expr" % p.get("title"))
                continue
            for v in re.findall(r"\$(\w+)", expr):
                if v not in variables and not v.startswith("__"):
                    bad("panel %s: variable $%s is not defined" % (p.get("title"), v))
            names, labels = promql_names(expr)
            if not names:
                bad("panel %s: no metric in %s" % (p.get("title"), expr))
            known = {"instance", "job"}
            for name in names:
                used.add(name)
                if name not in fams:
                    bad("panel %s: %s is not a family of docs/metrics.md" %
                        (p.get("title"), name))
                else:
                    known |= fams[name]
            legend = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", t.get("legendFormat", "")))
            for lab in sorted((labels | legend) - known):
                bad("panel %s: label %s is not one of %s's" %
                    (p.get("title"), lab, ", ".join(sorted(names))))
            n += 1
            e = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m")
            e = re.sub(r"\$\{?instance\}?", ".*", e)
            rules.append({"record": "dashboard:expr_%d" % n, "expr": e})
    with open(rules_out, "w") as fh:
        yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, fh)
    print("%d panels, %d queries, %d metric families" % (len(panels), n, len(used)))
    done()


def grafana(prov):
    with open(os.path.join(prov, "datasources", "prometheus.yml")) as fh:
        ds = yaml.safe_load(fh)
    dss = ds.get("datasources", [])
    if len(dss) != 1 or dss[0].get("type") != "prometheus" or \
            dss[0].get("url") != "http://prometheus:9090" or dss[0].get("uid") != "prometheus":
        bad("datasource: want one prometheus at http://prometheus:9090 with uid prometheus")
    with open(os.path.join(prov, "dashboards", "corral.yml")) as fh:
        dp = yaml.safe_load(fh)
    ps = dp.get("providers", [])
    if len(ps) != 1 or ps[0].get("type") != "file" or \
            get(ps[0], "options.path") != "/var/lib/grafana/dashboards":
        bad("dashboard provider: want one file provider at /var/lib/grafana/dashboards")
    done()


def compose(path):
    with open(path) as fh:
        c = yaml.safe_load(fh)
    svcs = c.get("services", {})

    def mounts(s):
        out = {}
        for v in svcs.get(s, {}).get("volumes", []):
            if isinstance(v, str) and v.startswith("./"):
                parts = v.split(":")
                out[parts[0]] = parts[1]
            elif isinstance(v, dict) and str(v.get("source", "")).startswith("./"):
                out[v["source"].rstrip("/")] = v.get("target")
        return out
    p = mounts("prometheus")
    if p.get("./deploy/monitoring/prometheus.yml") != "/etc/prometheus/prometheus.yml":
        bad("compose: prometheus does not mount deploy/monitoring/prometheus.yml")
    sec = svcs.get("prometheus", {}).get("secrets", [])
    if "admin_token" not in [s if isinstance(s, str) else s.get("source") for s in sec]:
        bad("compose: prometheus does not get the admin_token secret "
            "(/run/secrets/admin_token)")
    g = mounts("grafana")
    if g.get("./deploy/monitoring/grafana/provisioning") != "/etc/grafana/provisioning" or \
            g.get("./deploy/monitoring/grafana/dashboards") != "/var/lib/grafana/dashboards":
        bad("compose: grafana does not mount provisioning/ and dashboards/ where "
            "the provider looks")
    done()


def main(a):
    if len(a) >= 4 and a[0] == "k8s":
        k8s(a[1], a[2], a[3])
    elif len(a) in (4, 5) and a[0] == "prom":
        prom(a[1], a[2], a[3], a[4:] == ["--no-k8s-sd"])
    elif len(a) == 4 and a[0] == "dashboard":
        dashboard(a[1], a[2], a[3])
    elif len(a) == 2 and a[0] == "grafana":
        grafana(a[1])
    elif len(a) == 2 and a[0] == "compose":
        compose(a[1])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
