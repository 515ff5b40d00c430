#!/usr/bin/env python3
"""The engine's properties on merges from real history, in release.

    python3 bench/props_real.py REPO [REPO ...] [--merges 600] [--triples 400] [--jobs 2]

Each REPO is a git repository (bare or not; a snapshot from `fetch` is
`/work/.mirror/OWNER+NAME/repo`). Its newest --merges two-parent merges are
re-merged with `git merge-tree` (nothing is written to the repository but
git's own objects of the re-merge); every Markdown file both parents
changed, with a frontmatter fence on the base's first line, becomes a
triple (base, ours = first parent, theirs = second parent), once per
distinct triple, up to --triples per repository: the files git conflicted
on, and as many that git merged cleanly (P2's ground). Merges with more
than one merge base are skipped (git would merge the bases first).

Then runs the ignored test `engine_props_triples` of tests/it/engine_props.rs
on each repository's triples: real `git merge` (default and diff3 style)
and `git stash pop`, `git frontmerge --leave-conflicts` and `--prefer`, and
the merge driver, checking

  P1  resolve after git and the driver give the same bytes and status
  P2  where git is clean and valid, the driver gives git's bytes
      (where clean but invalid, a conflict)
  P3  (in part) every settled result, `--prefer` included, is a valid
      article; what each side changed needs the generator's models, so
      the "no one-sided change lost" half is bench/props.py's alone
  P4  conflicts no wider than git's

Triples live under target/bench/real-triples/OWNER+NAME/ (a failing one
keeps its `failures.txt` beside it, and `source` names the merge and path).
Exit status: 0 when every triple holds, 1 otherwise.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "real-triples"
MARKDOWN = (".md", ".mdx", ".markdown")
FENCES = (b"---\n", b"---\r\n", b"+++\n", b"+++\r\n", b"{\n", b"{\r\n")
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


def git(repo, *args, ok=(0,)):
    p = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=ENV)
    if p.returncode not in ok:
        return None
    return p.stdout


def blob(repo, rev, path):
    return git(repo, "cat-file", "blob", f"{rev}:{path}")


def triples(repo, merges, limit):
    """(merge, path, base, ours, theirs, git conflicted) of the newest merges."""
    listed = git(repo, "rev-list", "--merges", "--parents", f"--max-count={merges}", "HEAD") or b""
    seen, conflicted, clean = set(), [], []
    for line in listed.decode().splitlines():
        commits = line.split()
        if len(commits) != 3:
            continue
        merge, p1, p2 = commits
        bases = (git(repo, "merge-base", "--all", p1, p2) or b"").split()
        if len(bases) != 1:
            continue
        base = bases[0].decode()
        out = git(repo, "merge-tree", "--write-tree", "--name-only", "--no-messages", p1, p2, ok=(0, 1))
        if out is None:
            continue
        names = out.decode(errors="replace").splitlines()[1:]
        unmerged = {n for n in names if n and not n.startswith('"')}
        ours = set((git(repo, "diff", "--name-only", "--no-renames", base, p1) or b"").decode(errors="replace").split("\n"))
        theirs = set((git(repo, "diff", "--name-only", "--no-renames", base, p2) or b"").decode(errors="replace").split("\n"))
        for path in sorted(ours & theirs):
            if not path.endswith(MARKDOWN) or path.startswith('"'):
                continue
            texts = [blob(repo, rev, path) for rev in (base, p1, p2)]
            if any(t is None for t in texts) or not texts[0].startswith(FENCES):
                continue
            key = hashlib.sha1(b"\0".join(texts)).hexdigest()
            if key in seen or texts[1] == texts[2]:
                continue
            seen.add(key)
            (conflicted if path in unmerged else clean).append((merge, path, *texts, path in unmerged))
        if len(conflicted) >= limit and len(clean) >= limit:
            break
    return conflicted[:limit] + clean[:limit]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument("--merges", type=int, default=600, help="newest merges looked at per repository")
    ap.add_argument("--triples", type=int, default=400, help="conflicted (and clean) triples per repository")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    print("building release ...", file=sys.stderr)
    subprocess.run(["cargo", "test", "--release", "--quiet", "--test", "it", "--no-run"],
                   cwd=ROOT, check=True, env=os.environ)
    rows, failed = [], 0
    for repo in args.repos:
        repo = repo.resolve()
        name = repo.parent.name if repo.name == "repo" else repo.name.removesuffix(".git")
        out = WORK / name
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        start = time.perf_counter()
        found = triples(repo, args.merges, args.triples)
        for i, (merge, path, base, ours, theirs, unmerged) in enumerate(found):
            d = out / f"{i:04d}"
            d.mkdir()
            for file, text in (("base.md", base), ("ours.md", ours), ("theirs.md", theirs)):
                (d / file).write_bytes(text)
            (d / "source").write_text(f"{name} {merge} {path} {'conflicted' if unmerged else 'clean'}\n")
        picked = time.perf_counter() - start
        n_conflicted = sum(1 for t in found if t[5])
        print(f"{name}: {len(found)} triples ({n_conflicted} git conflicted on) in {picked:.0f}s; checking ...",
              file=sys.stderr)
        env = {**os.environ, "ENGINE_PROPS_TRIPLES": str(out), "ENGINE_PROPS_JOBS": str(args.jobs)}
        cmd = ["cargo", "test", "--release", "--quiet", "--test", "it", "engine_props_triples",
               "--", "--ignored", "--nocapture", "--test-threads", "1"]
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        fails, summary = [], None
        for line in p.stdout.splitlines():
            if line.startswith("FAIL "):
                fails.append([line[5:]])
                print(line, file=sys.stderr)
            elif line.startswith("  ") and fails:
                fails[-1].append(line.strip())
                print(line, file=sys.stderr)
            elif line.startswith("SUMMARY "):
                summary = line[len("SUMMARY "):]
        if summary is None:
            raise SystemExit(f"{name}: the check did not finish (exit {p.returncode}):\n{p.stderr[-2000:]}")
        failed += len(fails)
        rows.append((name, len(found), n_conflicted, len(fails), summary, time.perf_counter() - start))

    print("\n| repository | triples | git conflicted | failing | summary | time |")
    print("| --- | ---: | ---: | ---: | --- | ---: |")
    for name, n, c, f, summary, wall in rows:
        print(f"| {name} | {n} | {c} | {f} | {summary} | {wall:.0f}s |")
    if failed:
        print(f"\n{failed} failing triples: `failures.txt` beside each, under {WORK.relative_to(ROOT)}/")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
