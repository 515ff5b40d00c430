#!/usr/bin/env python3
"""The merge driver on a long body, next to `git merge-file` in the same run.

    python3 bench/driver_long_body.py [--runs 5] [--lines 100000]

The case of ../shared/repro/03-driver-deadline.sh: a body of --lines lines
(seeded, deterministic), 2,500 separate one-line edits per side (for 100,000
lines), which git merges cleanly. Each run checks that the driver's result
is byte for byte git's (with and without --prefer), then prints the medians
of --runs runs after a warm-up. Work files live under target/bench/.
"""

import argparse
import filecmp
import os
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "driver-long-body"
BIN = ROOT / "target" / "release" / "git-frontmerge"
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(WORK)}


def generate(lines):
    """base, upstream, stashed: as 03-driver-deadline.sh writes them."""
    random.seed(2)
    base = [random.choice(["", "text", "- item", "---", "more"]) + "\n" for _ in range(lines)]
    up, st = list(base), list(base)
    for i in range(0, lines, 40):
        up[i] = f"UP edit {i}\n"
    for i in range(20, lines, 40):
        st[i] = f"ST edit {i}\n"
    fm = "---\ntitle: A\ndate: 2025-01-01\n---\n"
    for name, body in (("O", base), ("A", up), ("B", st)):
        (WORK / name).write_text(fm + "".join(body))


def run(cmd, out=None):
    """Wall seconds of one run; its exit code must be 0 (a clean merge)."""
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=WORK, env=ENV, stdout=out or subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"{cmd[0]} {cmd[1]} exited {p.returncode}: not a clean merge")
    return wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lines", type=int, default=100_000)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    generate(args.lines)

    def git():
        with open(WORK / "git-result", "wb") as out:
            return run(["git", "merge-file", "-p", "A", "O", "B"], out)

    def driver(prefer):
        shutil.copy(WORK / "A", WORK / "A1")
        extra = ["--prefer", prefer] if prefer else []
        wall = run([str(BIN), "merge-driver", *extra, "O", "A1", "B", "7", "post.md"])
        if not filecmp.cmp(WORK / "A1", WORK / "git-result", shallow=False):
            raise SystemExit(f"driver (--prefer {prefer}) differs from git merge-file")
        return wall

    cases = [
        ("git merge-file -p", git),
        ("git-frontmerge merge-driver", lambda: driver(None)),
        ("git-frontmerge merge-driver --prefer stashed", lambda: driver("stashed")),
    ]
    times = {name: [] for name, _ in cases}
    for i in range(args.runs + 1):
        for name, f in cases:
            wall = f()
            if i > 0:
                times[name].append(wall)
    print(f"{args.lines:,} lines, {len(range(0, args.lines, 40)):,} edits per side, "
          f"medians of {args.runs} runs (results identical to git's):")
    for name, _ in cases:
        print(f"| {name} | {statistics.median(times[name]) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
