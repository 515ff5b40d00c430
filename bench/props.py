#!/usr/bin/env python3
"""The engine's properties (issue 19) on many generated merges, in release.

    python3 bench/props.py [--cases 10000] [--first-seed 0] [--jobs 2] [--leave FLAG]

Runs the ignored test `engine_props_sweep` of tests/it/engine_props.rs (the
same generator and the same four properties as the CI test, which runs a
few hundred cases): each case is one seed, a triple (base, ours, theirs) of
a generated article in YAML, TOML or JSON frontmatter, merged by real
`git merge` (default and diff3 style) and `git stash pop`, then
`git frontmerge --leave-conflicts` and `--prefer`, and by the merge driver:

  P1  resolve after git and the driver give the same bytes and status
  P2  where git is clean and valid, the driver gives git's bytes
      (where clean but invalid, a conflict)
  P3  no one-sided change lost at any depth, with and without --prefer
  P4  conflicts no wider than git's

The sweep does not stop at a failure: it prints the counts, the share of
cases where git conflicted, and every failing seed with its violations.
Each failing case's three versions and its report go to
target/bench/props-failures/seed-N/; the summary to target/bench/props.json.
Replay one seed with `--cases 1 --first-seed N`. `--leave ''` runs plain
`resolve` instead of `--leave-conflicts` (today's binary lacks the option).
Exit status: 0 when every case holds, 1 otherwise.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench"
OUT = WORK / "props-failures"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2, help="cases checked side by side (each runs 3 threads)")
    ap.add_argument("--leave", default=None, help="the resolve option that leaves only open conflicts")
    args = ap.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(OUT, ignore_errors=True)
    env = {
        **os.environ,
        "ENGINE_PROPS_SWEEP": str(args.cases),
        "ENGINE_PROPS_FIRST_SEED": str(args.first_seed),
        "ENGINE_PROPS_JOBS": str(args.jobs),
        "ENGINE_PROPS_OUT": str(OUT),
    }
    if args.leave is not None:
        env["ENGINE_PROPS_LEAVE"] = args.leave
    cmd = ["cargo", "test", "--release", "--quiet", "--test", "it", "engine_props_sweep",
           "--", "--ignored", "--nocapture", "--test-threads", "1"]
    print("building release ...", file=sys.stderr)
    # cargo with the real environment: rustup finds its toolchain through HOME.
    subprocess.run(["cargo", "test", "--release", "--quiet", "--test", "it", "--no-run"],
                   cwd=ROOT, check=True, env=os.environ)
    print(f"{args.cases} cases from seed {args.first_seed}, {args.jobs} at a time ...", file=sys.stderr)
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failures, summary, by_property, current = [], None, {}, None
    for line in p.stdout:
        line = line.rstrip("\n")
        if line.startswith("FAIL seed="):
            current = {"seed": int(line.split("=", 1)[1]), "violations": []}
            failures.append(current)
            print(line, file=sys.stderr)
        elif line.startswith("  ") and current is not None:
            current["violations"].append(line.strip())
            print(line, file=sys.stderr)
        elif line.startswith("SUMMARY "):
            summary = line[len("SUMMARY "):]
            current = None
        elif line.startswith("BY-PROPERTY"):
            by_property = dict(kv.split("=") for kv in line.split()[1:])
            by_property = {k: int(v) for k, v in by_property.items()}
        elif line.startswith("PROGRESS "):
            print(f"  {line.split()[1]} cases, {len(failures)} failed, "
                  f"{time.perf_counter() - start:.0f}s", file=sys.stderr)
    p.wait()
    wall = time.perf_counter() - start
    if summary is None:
        raise SystemExit(f"the sweep did not finish (exit {p.returncode}); run: {' '.join(cmd)}")

    results = {
        "cases": args.cases,
        "first_seed": args.first_seed,
        "summary": summary,
        "failed_cases": len(failures),
        "cases_failing_each_property": by_property,
        "wall_s": round(wall, 1),
        "failures": failures,
    }
    (WORK / "props.json").write_text(json.dumps(results, indent=1))

    print(f"\n## Engine properties: {args.cases} cases (seeds {args.first_seed}..{args.first_seed + args.cases - 1})\n")
    print(summary)
    print(f"\nwall time {wall:.0f}s with {args.jobs} jobs")
    if by_property:
        print("\n| property | failing cases |\n| --- | --- |")
        for prop, n in sorted(by_property.items()):
            print(f"| {prop} | {n} |")
    if failures:
        print(f"\n{len(failures)} failing seeds (versions and reports under {OUT.relative_to(ROOT)}/):")
        for f in failures:
            print(f"- seed {f['seed']}:")
            for v in f["violations"]:
                print(f"    {v}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
