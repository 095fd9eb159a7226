#!/usr/bin/env python3
"""Checks deploy/kubernetes and deploy/docker without a cluster or docker (README there).

usage: check_manifests.py REPO_ROOT      exit 0 when every check holds, 1 with one line per problem.

Parses every manifest with PyYAML (python3-yaml) and checks what a cluster would need from
them for a sharded drover run: the Indexed Job's fields, the shard index wired to --shard, the
results written where the shared ReadWriteMany volume is mounted, the merge reading them, the
kustomization listing every file, and the Dockerfile's stages on Debian 12 with packages
from setup.sh.
"""
import os
import re
import sys

import yaml

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def pod_command(container):
    return " ".join(str(x) for x in (container.get("command") or []) + (container.get("args") or []))


def k8s_expand(text, env):
    """Kubernetes' expansion of command and args: $$ is $, $(NAME) of a defined variable is its
    value, anything else stays as written (so $((...)) and $(cmd) reach the shell)."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        m = re.match(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", text[i:])
        if m and m.group(1) in env:
            out.append(env[m.group(1)])
            i += len(m.group(0))
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def simulate(path, container, env, results_dir, mount, stub_exit):
    """Runs the container's shell command with a stub drover (prints its arguments one per line,
    exits stub_exit) and the shared volume's mount path mapped to results_dir."""
    import subprocess
    import tempfile
    argv = [k8s_expand(str(a), env) for a in (container.get("command") or []) + (container.get("args") or [])]
    if argv[:2] != ["/bin/sh", "-c"] or len(argv) != 3:
        problem(path, "the container command is not /bin/sh -c SCRIPT")
        return None
    script = argv[2].replace(mount, results_dir)
    with tempfile.TemporaryDirectory() as bindir:
        stub = os.path.join(bindir, "drover")
        with open(stub, "w") as f:
            f.write('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\nexit ' + str(stub_exit) + "\n")
        os.chmod(stub, 0o755)
        full_env = dict(os.environ, **env, PATH=bindir + ":/usr/bin:/bin")
        try:
            r = subprocess.run(["/bin/sh", "-c", script], env=full_env, capture_output=True, text=True, timeout=10)
        except subprocess.TimeoutExpired:
            problem(path, "the container command did not finish in 10 s with every input present")
            return None
    return r


def check(root):
    kdir = os.path.join(root, "deploy", "kubernetes")
    kust_path = os.path.join(kdir, "kustomization.yaml")
    kust = load_all(kust_path)
    if len(kust) != 1 or kust[0].get("kind") != "Kustomization":
        problem(kust_path, "not one Kustomization")
        return
    kust = kust[0]
    if not str(kust.get("apiVersion", "")).startswith("kustomize.config.k8s.io/"):
        problem(kust_path, "apiVersion is not kustomize.config.k8s.io/...")
    listed = kust.get("resources") or []
    on_disk = sorted(f for f in os.listdir(kdir) if f.endswith(".yaml") and f != "kustomization.yaml")
    for f in on_disk:
        if f not in listed:
            problem(kust_path, f"{f} is not in resources")
    docs = []
    for f in listed:
        path = os.path.join(kdir, f)
        if not os.path.exists(path):
            problem(kust_path, f"resource {f} does not exist")
            continue
        for d in load_all(path):
            if not isinstance(d, dict) or not d.get("apiVersion") or not d.get("kind"):
                problem(path, "an object without apiVersion or kind")
                continue
            if not (d.get("metadata") or {}).get("name"):
                problem(path, f"{d['kind']} without metadata.name")
            docs.append((path, d))

    by_kind = {}
    for path, d in docs:
        by_kind.setdefault(d["kind"], []).append((path, d))

    expected_api = {"Job": "batch/v1", "PersistentVolumeClaim": "v1", "ConfigMap": "v1", "Namespace": "v1"}
    for path, d in docs:
        want = expected_api.get(d["kind"])
        if want and d["apiVersion"] != want:
            problem(path, f"{d['kind']} apiVersion {d['apiVersion']}, wanted {want}")

    pvcs = {d["metadata"]["name"]: (path, d) for path, d in by_kind.get("PersistentVolumeClaim", [])}
    for name, (path, d) in pvcs.items():
        if "ReadWriteMany" not in ((d.get("spec") or {}).get("accessModes") or []):
            problem(path, f"claim {name} is not ReadWriteMany (shards on several nodes write to it)")

    config = {}
    for path, d in by_kind.get("ConfigMap", []):
        config.update({k: str(v) for k, v in (d.get("data") or {}).items()})

    jobs = by_kind.get("Job", [])
    shard_jobs = [(p, j) for p, j in jobs if (j.get("spec") or {}).get("completionMode") == "Indexed"]
    if len(shard_jobs) != 1:
        problem(kdir, f"{len(shard_jobs)} Jobs with completionMode: Indexed, wanted 1 (the shards)")
    merge_jobs = [(p, j) for p, j in jobs if (p, j) not in shard_jobs and "report merge" in
                  " ".join(pod_command(c) for c in j["spec"]["template"]["spec"].get("containers", []))]
    if len(merge_jobs) != 1:
        problem(kdir, f"{len(merge_jobs)} merge Jobs (running drover report merge), wanted 1")

    def mounted_claim_paths(path, pod, container):
        """mount path -> claim name for the container's volumes backed by a PVC."""
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        out = {}
        for m in container.get("volumeMounts") or []:
            v = volumes.get(m.get("name"))
            if v is None:
                problem(path, f"volumeMount {m.get('name')} has no volume")
                continue
            claim = (v.get("persistentVolumeClaim") or {}).get("claimName")
            if claim:
                if claim not in pvcs:
                    problem(path, f"volume {v['name']} claims {claim}, which no manifest defines")
                out[m["mountPath"].rstrip("/")] = claim
        return out

    shard_out_root = None
    for path, job in shard_jobs:
        spec = job["spec"]
        n = spec.get("completions")
        if not isinstance(n, int) or n < 1:
            problem(path, f"completions {n!r} is not a positive integer")
        if spec.get("parallelism") != n:
            problem(path, f"parallelism {spec.get('parallelism')!r} != completions {n!r} (the shards must run together)")
        if "SHARDS" in config and config["SHARDS"] != str(n):
            problem(path, f"completions {n} != SHARDS {config['SHARDS']} in the ConfigMap")
        pod = spec["template"]["spec"]
        if pod.get("restartPolicy") != "Never":
            problem(path, f"restartPolicy {pod.get('restartPolicy')!r}, wanted Never")
        containers = pod.get("containers") or []
        if len(containers) != 1:
            problem(path, "wanted exactly one container")
            continue
        c = containers[0]
        cmd = pod_command(c)
        if not re.search(r"\bdrover run\b", cmd):
            problem(path, "the container does not run `drover run`")
        m = re.search(r'--shard\s+(?:"([^"]+)"|([^\s;]+))', cmd)
        if not m:
            problem(path, "the container command has no --shard")
        else:
            arg = m.group(1) or m.group(2)
            # --shard counts from 1, JOB_COMPLETION_INDEX from 0.
            if not re.fullmatch(r"\$\(\(\s*JOB_COMPLETION_INDEX\s*\+\s*1\s*\)\)/(\$\{?SHARDS\}?|\d+)", arg):
                problem(path, f"--shard {arg} is not $((JOB_COMPLETION_INDEX + 1))/N")
            elif "SHARDS" not in arg and arg.split("/")[-1] != str(n):
                problem(path, f"--shard {arg}: N differs from completions {n}")
            if "SHARDS" in arg and "SHARDS" not in config and not any(e.get("name") == "SHARDS" for e in c.get("env") or []):
                problem(path, "--shard uses $SHARDS, which neither env nor the ConfigMap sets")
        if c.get("command", [None])[0] not in ("/bin/sh", "sh") and "$((" in cmd:
            problem(path, "$((...)) needs a shell: command must be /bin/sh -c")
        m = re.search(r'--out\s+(?:"([^"]+)"|([^\s;]+))', cmd)
        mounts = mounted_claim_paths(path, pod, c)
        if not m:
            problem(path, "the container command has no --out")
        else:
            out = m.group(1) or m.group(2)
            if "JOB_COMPLETION_INDEX" not in out:
                problem(path, f"--out {out} is the same for every shard")
            root_dir = next((mp for mp in mounts if out.startswith(mp + "/")), None)
            if root_dir is None:
                problem(path, f"--out {out} is not under a mounted PersistentVolumeClaim ({sorted(mounts)})")
            shard_out_root = (root_dir, mounts.get(root_dir), out)
        # Run the pod's command for every index with a stub drover: --shard must go 1/N .. N/N,
        # each shard its own folder; exit 1 (this share's thresholds) must not fail the pod,
        # exit 2 must.
        if isinstance(n, int) and n >= 1 and shard_out_root and shard_out_root[0]:
            import tempfile
            env = dict(config, JOB_COMPLETION_INDEX="0")
            for e in c.get("env") or []:
                if "value" in e:
                    env[e["name"]] = str(e["value"])
            seen_out = set()
            with tempfile.TemporaryDirectory() as results:
                for i in range(n):
                    env["JOB_COMPLETION_INDEX"] = str(i)
                    r = simulate(path, c, env, results, shard_out_root[0], 1)
                    if r is None:
                        break
                    args = r.stdout.splitlines()
                    if r.returncode != 0:
                        problem(path, f"index {i}: drover exiting 1 fails the pod (exit {r.returncode}): {r.stderr.strip()}")
                    if "--shard" not in args or args.index("--shard") + 1 >= len(args):
                        problem(path, f"index {i}: drover got no --shard: {args}")
                        break
                    got = args[args.index("--shard") + 1]
                    if got != f"{i + 1}/{n}":
                        problem(path, f"index {i}: --shard {got}, wanted {i + 1}/{n}")
                    out_arg = args[args.index("--out") + 1] if "--out" in args else ""
                    if not out_arg.startswith(results + "/") or out_arg in seen_out:
                        problem(path, f"index {i}: --out {out_arg} is not a folder of its own on the volume")
                    seen_out.add(out_arg)
                env["JOB_COMPLETION_INDEX"] = "0"
                r = simulate(path, c, env, results, shard_out_root[0], 2)
                if r is not None and r.returncode == 0:
                    problem(path, "drover exiting 2 (usage error) does not fail the pod")

    for path, job in merge_jobs:
        pod = job["spec"]["template"]["spec"]
        if pod.get("restartPolicy") != "Never":
            problem(path, f"restartPolicy {pod.get('restartPolicy')!r}, wanted Never")
        c = pod["containers"][0]
        cmd = pod_command(c)
        mounts = mounted_claim_paths(path, pod, c)
        m = re.search(r"report merge\s+(\S+)", cmd)
        if shard_out_root and m:
            root_dir, claim, out = shard_out_root
            pattern = m.group(1)
            if mounts.get(root_dir) != claim:
                problem(path, f"the merge does not mount claim {claim} at {root_dir} as the shards do")
            # /results/shard-* must match /results/shard-${JOB_COMPLETION_INDEX}
            prefix = out.split("$")[0]
            if not pattern.startswith(prefix) or not pattern.endswith("*"):
                problem(path, f"merge reads {pattern}, shards write {out}")
            # With every shard's summary.json present, the merge runs at once over all of them.
            n = shard_jobs[0][1]["spec"].get("completions") if shard_jobs else None
            if isinstance(n, int) and not problems:  # a wiring already wrong would only wait here
                import tempfile
                with tempfile.TemporaryDirectory() as results:
                    for i in range(n):
                        d = out.replace(root_dir, results).replace("${JOB_COMPLETION_INDEX}", str(i)).replace(
                            "$(JOB_COMPLETION_INDEX)", str(i))
                        os.makedirs(d, exist_ok=True)
                        open(os.path.join(d, "summary.json"), "w").write("{}")
                    r = simulate(path, c, dict(config), results, root_dir, 0)
                    if r is not None:
                        args = r.stdout.splitlines()
                        dirs = [a for a in args if a.startswith(results + "/") and "merged" not in a]
                        if args[:2] != ["report", "merge"] or len(dirs) != n:
                            problem(path, f"with {n} shards done the merge ran {args}, wanted report merge of {n} folders")


def check_docker(root):
    path = os.path.join(root, "deploy", "docker", "Dockerfile")
    with open(path) as f:
        text = f.read()
    froms = re.findall(r"^FROM\s+(\S+)", text, flags=re.M)
    if not froms:
        problem(path, "no FROM")
    for image in froms:
        if not re.fullmatch(r"debian:12(-slim)?", image):
            problem(path, f"FROM {image} is not debian:12")
    if froms and froms[0] != "debian:12":
        problem(path, f"the build stage is FROM {froms[0]}, wanted debian:12")
    if not re.search(r'^ENTRYPOINT \["drover"\]', text, flags=re.M):
        problem(path, 'ENTRYPOINT is not ["drover"]')
    with open(os.path.join(root, "setup.sh")) as f:
        setup = f.read()
    m = re.search(r"packages=\((.*?)\)", setup, flags=re.S)
    setup_pkgs = set(m.group(1).split()) if m else set()
    stages = re.split(r"^FROM\s", text, flags=re.M)
    build_stage = stages[1] if len(stages) > 1 else ""
    joined = build_stage.replace("\\\n", " ")
    installs = re.findall(r"apt-get install ([^&\n]*)", joined)
    if not installs:
        problem(path, "the build stage installs no packages")
    for install in installs:
        for pkg in install.split():
            if pkg.startswith("-"):
                continue
            if pkg not in setup_pkgs:
                problem(path, f"build stage installs {pkg}, which setup.sh does not list")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = sys.argv[1]
    try:
        check(root)
        check_docker(root)
    except (OSError, yaml.YAMLError, KeyError, TypeError, IndexError) as e:
        problem(root, f"{type(e).__name__}: {e}")
    for p in problems:
        print(p)
    if not problems:
        print("deploy manifests: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
