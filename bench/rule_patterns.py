#!/usr/bin/env python3
"""The attacker's rule case: 256 committed wildcard patterns against long keys.

    python3 bench/rule_patterns.py [--runs 3] BIN [BIN...]

A repository whose `.frontmerge.toml` holds 256 patterns like `*aa…a?b*`
(200 to 250 characters, each nearly matching a run of `a`s everywhere) and
a `git merge` conflict on one article whose 400 frontmatter keys are 1,000
characters each. Times `BIN diff` and `BIN resolve --dry-run --prefer
upstream` there, `--runs` times each, and prints medians. Matching took
pattern × key steps before it became linear (92 s for `diff`).
"""
import argparse
import subprocess
import tempfile
import time


def sh(cwd, *args, check=True):
    return subprocess.run(args, cwd=cwd, check=check, capture_output=True, text=True)


def article(value):
    keys = "".join(f"{'a' * 996}{i:04d}: {value}{i}\n" for i in range(400))
    return f"---\ntitle: T\n{keys}---\nbody\n"


def commit(d, text, message):
    with open(f"{d}/post.md", "w") as f:
        f.write(text)
    sh(d, "git", "add", ".")
    sh(d, "git", "commit", "-qm", message)


def repo():
    d = tempfile.mkdtemp(prefix="rule-patterns-")
    sh(d, "git", "init", "-q", "-b", "main")
    sh(d, "git", "config", "user.email", "bench@example.com")
    sh(d, "git", "config", "user.name", "bench")
    rules = "".join(
        f'"*{"a" * (200 + i % 50)}?{chr(98 + i // 50)}*" = "upstream"\n' for i in range(256)
    )
    with open(f"{d}/.frontmerge.toml", "w") as f:
        f.write("[rules]\n" + rules)
    commit(d, article("base"), "base")
    sh(d, "git", "checkout", "-qb", "side")
    commit(d, article("side"), "side")
    sh(d, "git", "checkout", "-q", "main")
    commit(d, article("main"), "main")
    assert sh(d, "git", "merge", "side", check=False).returncode != 0, "expected a conflict"
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("bins", nargs="+")
    args = ap.parse_args()
    d = repo()
    for cmd in (["diff"], ["resolve", "--dry-run", "--prefer", "upstream"]):
        for b in args.bins:
            times = []
            for _ in range(args.runs):
                start = time.monotonic()
                p = subprocess.run([b, *cmd], cwd=d, capture_output=True, timeout=900)
                times.append(time.monotonic() - start)
            times.sort()
            median = times[len(times) // 2]
            print(f"{b} {' '.join(cmd)}: {median:.2f} s median of {args.runs} (exit {p.returncode})")


main()
