#!/usr/bin/env python3
"""systemd-unit.py - read a systemd unit as systemd would, for t-systemd-unit.sh

usage: systemd-unit.py --root R UNIT [DROPIN...] CMD [ARG]

The unit's files are read in order (the unit, then its drop-ins) and the
[Service] settings are combined as systemd does: a list setting
accumulates and an empty assignment resets it, a plain setting is the
last one given. Paths the unit names on the host under /usr/local,
/var/lib, /etc/corral, /srv and /run are taken under R instead, so a
test can run the daemon "as installed" without touching the host.

Commands:
  get KEY        the last value of [Service] KEY ("Unit.KEY" for [Unit])
  seconds KEY    a time span setting (WatchdogSec=30, 1min 30s) in seconds
  env            the environment the service gets from Environment= and
                 EnvironmentFile= (the files override), specifiers expanded
  creds          LoadCredential=: "ID<TAB>SOURCE" lines
  statedirs      StateDirectory= as absolute paths, one a line
  argv KEY       the first command of ExecStart=/ExecReload=, one word a
                 line, $MAINPID from the environment
  strace DIR     check the traces `strace -ff -y -o DIR/t` wrote against
                 the unit's sandbox; print each violation, exit 1 if any.
                 In the file of the process that ran ExecStart=, what came
                 before its execve is not checked.
"""

import os
import re
import shlex
import subprocess
import sys

MAPPED = ("/usr/local/", "/var/lib/", "/etc/corral", "/srv/", "/run/")
LISTS = {"Environment", "EnvironmentFile", "LoadCredential", "StateDirectory",
         "SystemCallFilter", "RestrictAddressFamilies", "DeviceAllow",
         "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths",
         "ExecStart", "ExecReload", "SupplementaryGroups"}


def die(msg):
    sys.stderr.write("systemd-unit.py: %s\n" % msg)
    sys.exit(2)


def parse(files):
    """{section: {key: value or [values]}} over the unit and drop-ins"""
    conf = {}
    for f in files:
        section = None
        with open(f) as fh:
            text = fh.read().replace("\\\n", " ")
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = conf.setdefault(line[1:-1], {})
                continue
            if section is None or "=" not in line:
                die("%s: cannot parse %r" % (f, raw))
            key, val = (s.strip() for s in line.split("=", 1))
            if key in LISTS:
                cur = section.setdefault(key, [])
                if val == "":
                    cur.clear()
                else:
                    cur.append(val)
            else:
                section[key] = val
    return conf


class Unit:
    def __init__(self, root, files):
        self.root = root.rstrip("/")
        self.name = os.path.basename(files[0])
        self.conf = parse(files)
        self.svc = self.conf.get("Service", {})

    def host(self, path):
        """where a host path the unit names is, under the test's root"""
        if path.startswith(MAPPED):
            return self.root + path
        return path

    def real(self, path):
        """the host path a path under the test's root stands for"""
        if path == self.root or path.startswith(self.root + "/"):
            return path[len(self.root):] or "/"
        return path

    def get(self, key):
        sec = self.svc
        if "." in key:
            s, key = key.split(".", 1)
            sec = self.conf.get(s, {})
        return sec.get(key, "")

    def spec(self, s):
        """expand the specifiers systemd would in s"""
        def one(m):
            c = m.group(1)
            table = {"%": "%", "n": self.name, "N": self.name.rsplit(".", 1)[0],
                     "d": "/run/credentials/" + self.name,
                     "S": "/var/lib", "t": "/run", "T": "/tmp"}
            if c not in table:
                die("specifier %%%s is not handled here" % c)
            return table[c]
        return re.sub(r"%(.)", one, s)

    def env(self):
        out = {}
        for line in self.svc.get("Environment", []):
            for word in shlex.split(line):
                if "=" not in word:
                    die("Environment=%s: no '='" % line)
                k, v = word.split("=", 1)
                v = self.spec(v)
                out[k] = self.host(v) if v.startswith("/") else v
        for ef in self.svc.get("EnvironmentFile", []):
            optional = ef.startswith("-")
            path = self.host(self.spec(ef.lstrip("-")))
            if not os.path.exists(path):
                if optional:
                    continue
                die("EnvironmentFile %s does not exist" % path)
            with open(path) as fh:
                for raw in fh:
                    line = raw.strip()
                    if not line or line[0] in "#;" or "=" not in line:
                        continue
                    k, v = line.split("=", 1)
                    v = v.strip()
                    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                        v = v[1:-1]
                    out[k.strip()] = v
        return out

    def creds(self):
        out = []
        for line in self.svc.get("LoadCredential", []):
            ident, _, src = line.partition(":")
            out.append((ident, self.host(self.spec(src)) if src else ""))
        return out

    def statedirs(self):
        out = []
        for line in self.svc.get("StateDirectory", []):
            for d in line.split():
                d = d.split(":", 1)[0]
                out.append(self.host("/var/lib/" + self.spec(d)))
        return out

    def argv(self, key):
        cmds = self.svc.get(key, [])
        if not cmds:
            die("no %s=" % key)
        words = shlex.split(cmds[0])
        words[0] = words[0].lstrip("-@:+!")
        pid = os.environ.get("MAINPID", "")
        words = [w.replace("${MAINPID}", pid).replace("$MAINPID", pid)
                 for w in words]
        words[0] = self.host(words[0])
        return words

    def seconds(self, key):
        val = self.get(key)
        if not val:
            return ""
        units = {"us": 1e-6, "usec": 1e-6, "ms": 1e-3, "msec": 1e-3,
                 "": 1, "s": 1, "sec": 1, "second": 1, "seconds": 1,
                 "m": 60, "min": 60, "minute": 60, "minutes": 60,
                 "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600}
        total = 0.0
        for num, unit in re.findall(r"([0-9.]+)\s*([a-z]*)", val):
            if unit not in units:
                die("%s=%s: unit %r" % (key, val, unit))
            total += float(num) * units[unit]
        return ("%g" % total)


# --- the sandbox, checked against what the daemon did (strace) ----------------

def syscall_groups():
    """{"@group": [entries]} from systemd-analyze syscall-filter"""
    out = subprocess.run(["systemd-analyze", "syscall-filter"],
                         capture_output=True, text=True, check=True).stdout
    groups, cur = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            cur = groups.setdefault(line.strip(), [])
        elif line.startswith("    ") and cur is not None:
            w = line.strip()
            if w and not w.startswith("#"):
                cur.append(w)
    return groups


def expand(name, groups, seen=None):
    seen = set() if seen is None else seen
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    if name not in groups:
        die("unknown syscall group %s" % name)
    out = set()
    for e in groups[name]:
        out |= expand(e, groups, seen)
    return out


def syscall_policy(unit):
    """(allowed set or None, denied set) from SystemCallFilter="""
    groups = syscall_groups()
    allow, deny, mode = set(), set(), None
    for line in unit.svc.get("SystemCallFilter", []):
        neg = line.startswith("~")
        names = line.lstrip("~").split()
        if mode is None:
            mode = "deny" if neg else "allow"
        s = set()
        for n in names:
            s |= expand(n.split(":")[0], groups)
        if neg:
            deny |= s
            allow -= s
        else:
            allow |= s
            deny -= s
    if mode is None:
        return None, set()
    if mode == "allow":
        return allow, set()
    return None, deny


LINE = re.compile(r"^(\w+)\((.*)\)\s+=\s+(-?\d+|\?|0x[0-9a-f]+)(.*)$")
CALL = re.compile(r"^(\w+)\(")
PATHARG = re.compile(r'(AT_FDCWD|\d+)(?:<([^>]*)>)?, "((?:[^"\\]|\\.)*)"')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
# system calls whose first arguments are (dirfd, "path") or ("path")
PATH_AT = {"openat", "openat2", "mkdirat", "newfstatat", "fstatat64",
           "faccessat", "faccessat2", "unlinkat", "renameat", "renameat2",
           "linkat", "fchmodat", "fchmodat2", "fchownat", "utimensat",
           "mknodat", "readlinkat", "statx", "execveat", "futimesat",
           "name_to_handle_at"}
PATH_PLAIN = {"open", "creat", "stat", "lstat", "stat64", "lstat64", "access",
              "mkdir", "rmdir", "unlink", "rename", "link", "chmod", "chown",
              "lchown", "truncate", "readlink", "execve", "statfs", "chdir",
              "mknod", "utimes", "utime", "symlink", "getxattr", "lgetxattr",
              "setxattr", "lsetxattr", "listxattr", "llistxattr"}
WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")
DEV_ALWAYS = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random",
              "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/pts/")


def strace_check(unit, tdir):
    allow, deny = syscall_policy(unit)
    fams = " ".join(unit.svc.get("RestrictAddressFamilies", [])).split()
    fam_deny = bool(fams) and fams[0].startswith("~")
    fams = {f.lstrip("~") for f in fams}
    mdwe = unit.get("MemoryDenyWriteExecute") in ("yes", "true", "1", "on")
    strict = unit.get("ProtectSystem") == "strict"
    home = unit.get("ProtectHome") in ("yes", "true", "1", "on",
                                       "read-only", "tmpfs")
    devclosed = unit.get("DevicePolicy") in ("closed", "strict")
    writable = [unit.real(d) + "/" for d in unit.statedirs()]
    for line in unit.svc.get("ReadWritePaths", []):
        writable += [p.lstrip("-+") + "/" for p in line.split()]
    if unit.get("PrivateTmp") in ("yes", "true", "1", "on"):
        writable += ["/tmp/", "/var/tmp/"]
    writable += ["/dev/", "/proc/"]
    devs = list(DEV_ALWAYS)
    for line in unit.svc.get("DeviceAllow", []):
        d = line.split()[0]
        if d.startswith("/dev/"):
            devs.append(d)
        elif d.startswith("char-"):
            devs.append("/dev/" + d[5:].rstrip("*"))

    problems, seen = [], set()
    names = set()
    files = sorted(os.listdir(tdir))
    if not files:
        die("no traces in %s" % tdir)

    def bad(what):
        if what not in seen:
            seen.add(what)
            problems.append(what)

    # the process that became ExecStart= did other things before its exec
    # (setpriv, env: what systemd itself does before the sandbox applies)
    start = 'execve("%s",' % unit.argv("ExecStart")[0]
    for f in files:
        with open(os.path.join(tdir, f), errors="replace") as fh:
            lines = fh.readlines()
        k = next((i for i, ln in enumerate(lines) if ln.startswith(start)),
                 None)
        if k is not None:
            lines = lines[k:]
        for line in lines:
            c = CALL.match(line)
            if c:
                names.add(c.group(1))
                if allow is not None and c.group(1) not in allow:
                    bad("SystemCallFilter: %s is not allowed (%s)" %
                        (c.group(1), line.strip()[:160]))
                if c.group(1) in deny:
                    bad("SystemCallFilter: %s is denied (%s)" %
                        (c.group(1), line.strip()[:160]))
            m = LINE.match(line)
            if not m:
                continue
            name, args, ret = m.group(1), m.group(2), m.group(3)
            ok = not ret.startswith("-")
            if name == "socket" and fams:
                fam = args.split(",")[0].strip()
                if (fam in fams) == fam_deny:
                    bad("RestrictAddressFamilies: socket(%s)" % fam)
            if mdwe:
                if name in ("mmap", "mmap2") and "PROT_WRITE" in args \
                        and "PROT_EXEC" in args:
                    bad("MemoryDenyWriteExecute: %s" % line.strip()[:160])
                if name in ("mprotect", "pkey_mprotect") and \
                        "PROT_EXEC" in args:
                    bad("MemoryDenyWriteExecute: %s" % line.strip()[:160])
                if name == "shmat" and "SHM_EXEC" in args:
                    bad("MemoryDenyWriteExecute: %s" % line.strip()[:160])
            path = None
            if name in PATH_AT:
                pm = PATHARG.match(args)
                if pm:
                    rel = pm.group(3)
                    path = rel if rel.startswith("/") else \
                        os.path.join(pm.group(2) or "/", rel)
            elif name in PATH_PLAIN:
                pq = QUOTED.match(args)
                path = pq.group(1) if pq else None
            if path is None:
                if name in PATH_AT | PATH_PLAIN and \
                        re.search(r"^(AT_FDCWD|\d+)?[^,]*,? ?0x", args):
                    bad("strace could not read the path of a %s call: "
                        "trace as root to check it" % name)
                continue
            path = unit.real(os.path.normpath(path))
            if home and re.match(r"^/(home|root|run/user)(/|$)", path):
                bad("ProtectHome: %s %s" % (name, path))
            if devclosed and ok and path.startswith("/dev/") and \
                    name in ("open", "openat", "openat2") and \
                    not path.startswith(tuple(devs)) and \
                    path != "/dev/shm" and not path.startswith("/dev/shm/"):
                bad("DevicePolicy: %s %s" % (name, path))
            wr = False
            if name in ("open", "openat", "openat2", "creat"):
                wr = name == "creat" or any(x in args for x in WRITE_FLAGS)
            elif name in ("mkdir", "mkdirat", "unlink", "unlinkat",
                          "rmdir", "rename", "renameat", "renameat2",
                          "link", "linkat", "symlink", "symlinkat",
                          "chmod", "fchmodat", "chown", "fchownat",
                          "truncate", "mknod", "mknodat", "utimensat"):
                wr = True
            if strict and wr and ok and \
                    not (path + "/").startswith(tuple(writable)):
                bad("ProtectSystem=strict: %s %s" % (name, path))
            if wr and ok and path.startswith(("/proc/sys/", "/sys/")):
                bad("ProtectKernelTunables: %s %s" % (name, path))
    for p in problems:
        print(p)
    sys.stderr.write("strace: %d trace files, %d distinct system calls, "
                     "%d problems\n" % (len(files), len(names), len(problems)))
    return 1 if problems else 0


def main(argv):
    if len(argv) < 4 or argv[0] != "--root":
        die("usage: systemd-unit.py --root R UNIT [DROPIN...] CMD [ARG]")
    root = argv[1]
    rest = argv[2:]
    cmds = ("get", "seconds", "env", "creds", "statedirs", "argv", "strace")
    i = next((k for k, w in enumerate(rest) if w in cmds), None)
    if i is None or i == 0:
        die("no unit or no command")
    unit = Unit(root, rest[:i])
    cmd, args = rest[i], rest[i + 1:]
    if cmd == "get":
        print(unit.get(args[0]))
    elif cmd == "seconds":
        print(unit.seconds(args[0]))
    elif cmd == "env":
        for k, v in unit.env().items():
            print("%s=%s" % (k, v))
    elif cmd == "creds":
        for ident, src in unit.creds():
            print("%s\t%s" % (ident, src))
    elif cmd == "statedirs":
        print("\n".join(unit.statedirs()))
    elif cmd == "argv":
        print("\n".join(unit.argv(args[0])))
    elif cmd == "strace":
        return strace_check(unit, args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
