#!/usr/bin/env python3
"""Before/after: two builds of frontmerge on the same corpora, in one run.

    python3 bench/ab.py --old-rev f028a9d [--new-rev HEAD] [--runs 7] [--instructions]
    python3 bench/ab.py --old PATH/git-frontmerge --new PATH/git-frontmerge

Each revision is built in release in its own work tree under target/bench/ab/
(kept, so a second run is quick). The corpora are bench.py's (same generator,
same seed): `check .` over 10,000 clean YAML articles, and batch `resolve
--prefer upstream` over 2,000 articles conflicted by a real `git stash pop`
(with and without marking them resolved). The two builds run alternately,
old then new, `--runs` times each after a warm-up, so a machine that gets
busier or quieter mid-run weighs on both alike; the table gives the medians
and new/old.

`--instructions` also counts the instructions each build executes for each
command under `valgrind --tool=callgrind` (git's own processes not
included), a figure that does not move with the load of the machine, and the
git processes each command starts (strace).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the corpora and the git environment)

AB = bench.WORK / "ab"


def build(rev):
    """The release binary of `rev`, built in its own detached work tree."""
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=bench.ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    tree = AB / f"rev-{sha}"
    if not tree.exists():
        AB.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(tree), sha], cwd=bench.ROOT, check=True)
    print(f"building {rev} ({sha}) ...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "git-frontmerge"], cwd=tree, check=True)
    return sha, tree / "target" / "release" / "git-frontmerge"


def alternate(cases, builds, runs):
    """{(case, build): [seconds]} with the builds taking turns."""
    times = {}
    for name, cmd, cwd, reset in cases:
        for i in range(runs + 1):
            for label, binary in builds:
                if reset:
                    reset()
                start = time.perf_counter()
                p = subprocess.run([str(binary), *cmd], cwd=cwd, env=bench.GIT_ENV,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wall = time.perf_counter() - start
                if p.returncode != 0:
                    raise SystemExit(f"{label} {name}: exit {p.returncode}")
                if i > 0:
                    times.setdefault((name, label), []).append(wall)
        print(f"  {name}: done", file=sys.stderr)
    return times


def instructions(cmd, binary, cwd, reset):
    if reset:
        reset()
    out = AB / "callgrind.out"
    p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", str(binary), *cmd],
                       cwd=cwd, env=bench.GIT_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected : (\d+)", p.stderr)
    out.unlink(missing_ok=True)
    return int(m.group(1)) if m else None


def git_processes(cmd, binary, cwd, reset):
    if reset:
        reset()
    log = AB / "strace.txt"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", str(log), str(binary), *cmd],
                   cwd=cwd, env=bench.GIT_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = log.read_text()
    log.unlink()
    return sum(1 for line in text.splitlines() if '["git"' in line and line.rstrip().endswith("= 0"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old-rev")
    ap.add_argument("--new-rev", default="HEAD")
    ap.add_argument("--old", help="an old binary instead of --old-rev")
    ap.add_argument("--new", help="a new binary instead of --new-rev")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--clean", type=int, default=10_000)
    ap.add_argument("--conflicted", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--instructions", action="store_true")
    args = ap.parse_args()
    if not (args.old or args.old_rev):
        ap.error("give --old-rev REV or --old BINARY")

    bench.WORK.mkdir(parents=True, exist_ok=True)
    (bench.WORK / "home").mkdir(exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "corpus"], cwd=bench.ROOT, check=True)
    old = ("old " + (args.old_rev or "binary"), Path(args.old) if args.old else build(args.old_rev)[1])
    new = ("new " + (args.new_rev if not args.new else "binary"), Path(args.new) if args.new else build(args.new_rev)[1])
    builds = [old, new]

    clean, _ = bench.clean_corpus(args.clean, args.seed)
    pristine, cfiles = bench.conflicted_repo(args.conflicted, args.seed)
    run_dir = AB / "resolve-run"

    def reset():
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.copytree(pristine, run_dir, symlinks=True)

    cases = [
        (f"check . ({args.clean} clean articles)", ["check", "."], clean, None),
        (f"resolve --prefer upstream, marks resolved ({len(cfiles)} files)",
         ["resolve", "--prefer", "upstream"], run_dir, reset),
        (f"resolve --prefer upstream --no-index ({len(cfiles)} files)",
         ["resolve", "--prefer", "upstream", "--no-index", *cfiles], run_dir, reset),
    ]
    reset()
    times = alternate(cases, builds, args.runs)

    print(f"| command | {old[0]} (median) | {new[0]} (median) | new / old |")
    print("| --- | ---: | ---: | ---: |")
    for name, *_ in cases:
        o = statistics.median(times[(name, old[0])])
        n = statistics.median(times[(name, new[0])])
        print(f"| {name} | {o * 1000:.0f} ms | {n * 1000:.0f} ms | {n / o:.2f}x |")
    if args.instructions:
        print()
        print(f"| command | {old[0]} instructions | {new[0]} instructions | new / old | git processes (old, new) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, cmd, cwd, rst in cases:
            counts = [instructions(cmd, b, cwd, rst) for _, b in builds]
            procs = [git_processes(cmd, b, cwd, rst) for _, b in builds]
            ratio = f"{counts[1] / counts[0]:.3f}x" if all(counts) else "?"
            print(f"| {name} | {counts[0]:,} | {counts[1]:,} | {ratio} | {procs[0]}, {procs[1]} |")


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()
