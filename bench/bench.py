#!/usr/bin/env python3
"""frontmerge benchmarks: each figure is measured in the same run as its peer.

    python3 bench/bench.py [--runs 5] [--clean 10000] [--conflicted 2000] [--mergiraf]

Builds frontmerge in release, generates the corpus with `examples/corpus.rs`
(deterministic from --seed), and measures:

  check    over N clean articles   vs pre-commit-hooks' check-merge-conflict
                                      (--assume-in-merge) and `git grep`
  resolve  --prefer upstream over M articles conflicted by a real
           `git stash pop`          vs `git checkout --ours` of the same files
                                      (and mergiraf solve on a sample, if installed)
  resolve  of the seed article (single-file latency)
  peak memory (max RSS) of each command

Every command runs --runs times (after one warm-up run); the table shows
medians and the ratio against the peer. Results go to stdout as Markdown and
to target/bench/results.json. Work files live under target/bench/.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench"
BIN = ROOT / "target" / "release" / "git-frontmerge"
CORPUS = ROOT / "target" / "release" / "examples" / "corpus"
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": str(WORK / "home"),
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "NO_COLOR": "1",
}


def sh(cmd, cwd=None, check=True, quiet=True, env=None):
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env or GIT_ENV,
        check=check,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.DEVNULL if quiet else None,
    )


def timed(cmd, cwd=None, stdin=None):
    """Runs cmd under GNU time; returns (wall seconds, max RSS KB, exit code)."""
    out = WORK / "time.txt"
    start = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(out), *cmd],
        cwd=cwd,
        env=GIT_ENV,
        stdin=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    rss = int(out.read_text().strip().splitlines()[-1])
    return wall, rss, p.returncode


def measure(name, cmd, runs, cwd=None, reset=None, ok=(0,)):
    """Median wall time and peak memory over `runs` runs (plus a warm-up)."""
    walls, rsss = [], []
    for i in range(runs + 1):
        if reset:
            reset()
        wall, rss, code = timed(cmd, cwd=cwd)
        if code not in ok:
            raise SystemExit(f"{name}: exit {code} from {' '.join(map(str, cmd[:4]))} ...")
        if i > 0:
            walls.append(wall)
            rsss.append(rss)
    r = {
        "name": name,
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "peak_rss_mb": max(rsss) / 1024,
        "runs": runs,
    }
    print(f"  {name}: median {r['median_s']:.3f}s, peak {r['peak_rss_mb']:.1f} MB", file=sys.stderr)
    return r


def setup_venv():
    venv = WORK / "venv"
    tool = venv / "bin" / "check-merge-conflict"
    if not tool.exists():
        sh([sys.executable, "-m", "venv", str(venv)])
        sh([str(venv / "bin" / "pip"), "install", "-q", "pre-commit-hooks==6.0.0"], quiet=False)
    return tool


def clean_corpus(n, seed):
    d = WORK / f"clean-{n}-{seed}"
    if not (d / ".git").exists():
        shutil.rmtree(d, ignore_errors=True)
        sh([str(CORPUS), "clean", str(n), str(d), str(seed)])
        sh(["git", "init", "-q", "-b", "main"], cwd=d)
        sh(["git", "add", "-A"], cwd=d)
        sh(["git", "commit", "-q", "-m", "corpus"], cwd=d)
    files = sorted(str(p.relative_to(d)) for p in d.rglob("*.md"))
    return d, files


def conflicted_repo(n, seed):
    """A repository left by a real `git stash pop` that conflicted in n files."""
    pristine = WORK / f"conflicted-{n}-{seed}"
    if not (pristine / ".git").exists():
        shutil.rmtree(pristine, ignore_errors=True)
        sides = WORK / f"sides-{n}-{seed}"
        shutil.rmtree(sides, ignore_errors=True)
        sh([str(CORPUS), "sides", str(n), str(sides), str(seed)])
        pristine.mkdir(parents=True)
        sh(["git", "init", "-q", "-b", "main"], cwd=pristine)
        shutil.copytree(sides / "base", pristine, dirs_exist_ok=True)
        sh(["git", "add", "-A"], cwd=pristine)
        sh(["git", "commit", "-q", "-m", "base"], cwd=pristine)
        shutil.copytree(sides / "stashed", pristine, dirs_exist_ok=True)
        sh(["git", "stash", "-q"], cwd=pristine)
        shutil.copytree(sides / "upstream", pristine, dirs_exist_ok=True)
        sh(["git", "commit", "-q", "-am", "upstream"], cwd=pristine)
        sh(["git", "stash", "pop"], cwd=pristine, check=False)
    out = subprocess.run(
        ["git", "diff", "--name-only", "--diff-filter=U", "-z"],
        cwd=pristine, env=GIT_ENV, capture_output=True, check=True,
    ).stdout.decode()
    files = sorted(f for f in out.split("\0") if f)
    return pristine, files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--clean", type=int, default=10_000)
    ap.add_argument("--conflicted", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mergiraf", action="store_true", help="also time mergiraf solve if it is on PATH")
    args = ap.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "home").mkdir(exist_ok=True)
    print("building release ...", file=sys.stderr)
    # cargo with the real environment: rustup finds its toolchain through HOME.
    sh(["cargo", "build", "--release", "--quiet", "--bin", "git-frontmerge", "--example", "corpus"],
       cwd=ROOT, quiet=False, env=os.environ)
    cmc = setup_venv()
    results = {"machine": machine(), "rows": []}
    rows = results["rows"]

    print(f"check over {args.clean} clean articles", file=sys.stderr)
    d, files = clean_corpus(args.clean, args.seed)
    fm = measure("frontmerge check", [str(BIN), "check", "."], args.runs, cwd=d)
    pc = measure("check-merge-conflict --assume-in-merge", [str(cmc), "--assume-in-merge", *files], args.runs, cwd=d)
    gg = measure(
        "git grep markers",
        ["git", "grep", "-q", "-E", "^(<{7}|={7}|>{7})( |$)", "--", "*.md"],
        args.runs, cwd=d, ok=(0, 1),
    )
    rows.append(row(fm, pc, "check vs check-merge-conflict"))
    rows.append(row(fm, gg, "check vs git grep"))

    print(f"resolve over {args.conflicted} conflicted articles", file=sys.stderr)
    pristine, cfiles = conflicted_repo(args.conflicted, args.seed)
    if len(cfiles) < args.conflicted * 0.9:
        raise SystemExit(f"only {len(cfiles)} of {args.conflicted} files conflicted")
    run_dir = WORK / "resolve-run"

    def reset():
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.copytree(pristine, run_dir, symlinks=True)

    fr = measure(
        "frontmerge resolve --prefer upstream --no-index",
        [str(BIN), "resolve", "--prefer", "upstream", "--no-index", *cfiles],
        args.runs, cwd=run_dir, reset=reset,
    )
    fri = measure(
        "frontmerge resolve --prefer upstream (marks resolved)",
        [str(BIN), "resolve", "--prefer", "upstream"],
        args.runs, cwd=run_dir, reset=reset,
    )
    co = measure(
        "git checkout --ours",
        ["git", "checkout", "--ours", "--", *cfiles],
        args.runs, cwd=run_dir, reset=reset,
    )
    rows.append(row(fr, co, "resolve vs git checkout --ours"))
    rows.append(row(fri, co, "resolve + index vs git checkout --ours"))
    if args.mergiraf and shutil.which("mergiraf"):
        sample = cfiles[:100]
        mg = measure("mergiraf solve (100 files, one process each)", ["sh", "-c", 'for f in "$@"; do mergiraf solve "$f" >/dev/null 2>&1; done', "sh", *sample], args.runs, cwd=run_dir, reset=reset, ok=(0, 1))
        fs = measure("frontmerge resolve (same 100 files)", [str(BIN), "resolve", "--prefer", "upstream", "--no-index", *sample], args.runs, cwd=run_dir, reset=reset)
        rows.append(row(fs, mg, "resolve vs mergiraf solve (100 files)"))

    print("single-file resolve latency (seed)", file=sys.stderr)
    seed_dir = WORK / "seed"
    seed_dir.mkdir(exist_ok=True)
    src = ROOT / "fixtures" / "seeds" / "stash-pop-conflict.md"

    def reset_seed():
        shutil.copyfile(src, seed_dir / "a.md")

    one = measure(
        "frontmerge resolve seed",
        [str(BIN), "--prefer", "newest", "--links", "union", "--no-index", "a.md"],
        max(args.runs, 20), cwd=seed_dir, reset=reset_seed,
    )
    rows.append(row(one, None, "single-file resolve"))

    big = WORK / "big"
    big.mkdir(exist_ok=True)
    # A 5 MB body rewritten on both sides: sharing no line (known to differ
    # everywhere at once), and in paragraphs whose blank lines the versions
    # share (the line differ's real worst case).
    for blank_every, what in ((0, ""), (4, ", paragraphs")):
        print(f"worst case: a completely rewritten 5 MB body{what}", file=sys.stderr)
        text = big_conflict(blank_every=blank_every)

        def reset_big(text=text):
            (big / "big.md").write_text(text)

        reset_big()
        bd = measure(f"frontmerge diff (5 MB body rewritten{what})", [str(BIN), "diff", "big.md"], args.runs, cwd=big)
        br = measure(
            f"frontmerge resolve (5 MB body rewritten{what}, three-way)",
            [str(BIN), "--prefer", "upstream", "--stdout", "big.md"],
            args.runs, cwd=big, reset=reset_big,
        )
        rows.append(row(bd, None, f"differ worst case{what}: diff"))
        rows.append(row(br, None, f"differ worst case{what}: three-way resolve"))

    (WORK / "results.json").write_text(json.dumps(results, indent=2))
    print(table(results))


def big_conflict(blank_every=0):
    """A diff3 conflict whose three bodies share no line: ~5 MB each; with
    `blank_every`, a blank line after every that many lines (paragraphs):
    then the sides share lines, and the differ's real worst case runs."""
    import random

    rng = random.Random(1)
    words = ["alpha", "beta", "гамма", "дельта", "эпсилон", "zeta"]

    def body(tag):
        lines, size = [], 0
        while size < 5_000_000:
            line = tag + " " + " ".join(rng.choice(words) for _ in range(12)) + f" {rng.random()}\n"
            lines.append(line)
            size += len(line.encode())
            if blank_every and len(lines) % (blank_every + 1) == blank_every:
                lines.append("\n")
        return "".join(lines)

    base, up, st = body("base"), body("up"), body("st")
    return (
        "---\ntitle: x\n---\n<<<<<<< Updated upstream\n" + up + "||||||| Stash base\n" + base
        + "=======\n" + st + ">>>>>>> Stashed changes\n"
    )


def row(ours, peer, what):
    r = {"what": what, "ours": ours, "peer": peer}
    if peer:
        r["speedup"] = peer["median_s"] / ours["median_s"]
    return r


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version()}


def table(results):
    m = results["machine"]
    out = [f"Machine: {m['cpu']}, {m['cores']} cores, Linux {m['kernel']}", ""]
    out.append("| benchmark | frontmerge (median) | peak MB | peer | peer (median) | peer peak MB | peer time / ours |")
    out.append("| --- | ---: | ---: | --- | ---: | ---: | ---: |")
    for r in results["rows"]:
        o, p = r["ours"], r["peer"]
        if p:
            out.append(
                f"| {r['what']} | {o['median_s']*1000:.0f} ms | {o['peak_rss_mb']:.1f} | {p['name']} | "
                f"{p['median_s']*1000:.0f} ms | {p['peak_rss_mb']:.1f} | {r['speedup']:.2f}× |"
            )
        else:
            out.append(f"| {r['what']} | {o['median_s']*1000:.1f} ms | {o['peak_rss_mb']:.1f} | | | | |")
    return "\n".join(out)


if __name__ == "__main__":
    main()
