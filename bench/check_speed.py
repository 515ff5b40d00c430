#!/usr/bin/env python3
"""`check` over clean articles against `git grep` for the markers, measured
in the same run: the goal is a ratio of at most 2.

    python3 bench/check_speed.py [--files 5000] [--runs 11] [--seed 7] [--old BIN]

The corpus is bench.py's (examples/corpus.rs, deterministic from --seed),
committed in a repository under target/bench/. Timed in interleaved rounds
(one warm-up round, then --runs), medians of wall time and of CPU time
(user + system, which the load of a shared machine disturbs less):

  check .     `git frontmerge check .`   the folder walk
  check       `git frontmerge check`     no paths: every tracked Markdown file
  git grep    `git grep -q -E '^(<{7}|={7}|>{7})( |$)' -- '*.md'`

Results go to stdout as Markdown and to target/bench/check_speed.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench import BIN, GIT_ENV, ROOT, WORK, clean_corpus, machine, sh  # noqa: E402


def timed(cmd, cwd):
    """(wall s, CPU s user+system, max RSS KB) of one run under GNU time."""
    out = WORK / "time.txt"
    start = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %M", "-o", str(out), *cmd],
        cwd=cwd,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    if p.returncode not in (0, 1):
        raise SystemExit(f"exit {p.returncode} from {' '.join(cmd)}")
    user, system, rss = out.read_text().split()[-3:]
    return wall, float(user) + float(system), int(rss)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--files", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--old", help="another git-frontmerge binary, timed alike (before/after)")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "home").mkdir(exist_ok=True)
    sh(
        ["cargo", "build", "--release", "--quiet", "--bin", "git-frontmerge", "--example", "corpus"],
        cwd=ROOT,
        quiet=False,
        env=os.environ,
    )
    d, _ = clean_corpus(args.files, args.seed)
    commands = {
        "git grep markers": ["git", "grep", "-q", "-E", "^(<{7}|={7}|>{7})( |$)", "--", "*.md"],
        "frontmerge check .": [str(BIN), "check", "."],
        "frontmerge check": [str(BIN), "check"],
    }
    if args.old:
        commands["old check ."] = [args.old, "check", "."]
        commands["old check"] = [args.old, "check"]
    # Interleaved, round after round (after one warm-up round), so that the
    # load of a shared machine falls on every command alike.
    samples = {name: [] for name in commands}
    for i in range(args.runs + 1):
        for name, cmd in commands.items():
            t = timed(cmd, d)
            if i > 0:
                samples[name].append(t)
    rows = []
    for name, runs in samples.items():
        rows.append(
            {
                "name": name,
                "median_s": statistics.median(r[0] for r in runs),
                "median_cpu_s": statistics.median(r[1] for r in runs),
                "peak_rss_mb": max(r[2] for r in runs) / 1024,
            }
        )
    peer = rows[0]
    print(f"check over {args.files} clean articles, {args.runs} runs ({machine()})\n")
    print("| command | median wall | ratio to git grep | median CPU | ratio | peak RSS |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        r["ratio"] = r["median_s"] / peer["median_s"]
        r["cpu_ratio"] = r["median_cpu_s"] / peer["median_cpu_s"]
        print(
            f"| {r['name']} | {r['median_s'] * 1000:.0f} ms | {r['ratio']:.2f}x | "
            f"{r['median_cpu_s'] * 1000:.0f} ms | {r['cpu_ratio']:.2f}x | {r['peak_rss_mb']:.1f} MB |"
        )
    (WORK / "check_speed.json").write_text(
        json.dumps({"files": args.files, "runs": args.runs, "rows": rows}, indent=2)
    )


if __name__ == "__main__":
    main()
