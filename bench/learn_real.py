#!/usr/bin/env python3
"""Does `learn` help on real history? Learn before a date, replay after it.

    python3 bench/learn_real.py [--repos DIR] [--only OWNER/NAME ...] [--no-build]

For each public docs repository below (or --only), finds a bare clone of it
under --repos (default target/bench/real/), as `OWNER+NAME.git`, or as
`OWNER+NAME/repo` (a snapshot's layout); clones it from GitHub when it is
missing (`git clone --bare`; nothing fetched is ever committed). Then:

  split     the date of the conflicted merge at --share (0.7) of them by
            date, from a replay of the whole history: about the newest 30%
            of the conflicted merges come after it
  learn     `learn --before DATE --config TMP --write` (with its own
            held-back check inside the older part), timed; and `replay
            --before DATE` timed beside it, the peer for learn's speed
  replay    `replay --after DATE` with the defaults, and with the learned
            file (the same numbers when nothing was learned)

and prints one Markdown row per repository: merges and conflicted articles
after the date, parts (frontmatter keys, body, links, one-sided changes
people undid) and whole files settled as people did and differently with
the defaults and with what was learned, the proposals, and the times.
Learned must never be worse than the defaults: fewer parts or files as
people did, or more differently, is reported and the script exits 1.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "git-frontmerge"
# The ones used while developing learn come first; the rest were not looked
# at before this benchmark was written.
REPOS = [
    "linkerd/website",
    "knative/docs",
    "MicrosoftDocs/PowerShell-Docs",
    "gohugoio/hugoDocs",
    "withastro/starlight",
    "open-telemetry/opentelemetry.io",
    "dapr/docs",
    "rust-lang/blog.rust-lang.org",
]


def find(repos: Path, name: str) -> Path:
    flat = name.replace("/", "+")
    for p in (repos / f"{flat}.git", repos / flat / "repo", repos / flat):
        if (p / "objects").is_dir() or (p / ".git").is_dir():
            return p
    target = repos / f"{flat}.git"
    repos.mkdir(parents=True, exist_ok=True)
    print(f"cloning {name} into {target}", file=sys.stderr)
    subprocess.run(["git", "clone", "-q", "--bare", f"https://github.com/{name}", str(target)],
                   check=True)
    return target


def run(repo: Path, cwd: str, args):
    """Runs frontmerge against `repo` from the empty folder `cwd`: no
    .frontmerge.toml of anyone's is found there."""
    env = {**os.environ, "GIT_DIR": str(repo), "NO_COLOR": "1", "GIT_CONFIG_NOSYSTEM": "1"}
    t = time.perf_counter()
    out = subprocess.run([str(BIN), *args], cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} on {repo}: exit {out.returncode}\n{out.stderr}")
    return out, took


def merge_dates(repo: Path):
    out = subprocess.run(["git", "--git-dir", str(repo), "log", "--all", "--merges",
                          "--format=%H %ct"], capture_output=True, text=True, check=True)
    return dict(line.split() for line in out.stdout.splitlines())


def parts(report):
    """(as people did, differently) over every part, and over whole files."""
    counts = list(report["keys"].values()) + [report["body"], report["links"]]
    counts += list(report.get("undone", {}).values())
    right = sum(c["as_human"] for c in counts)
    wrong = sum(c["differently"] for c in counts)
    f = report["files"]
    return (right, wrong), (f["as_human"], f["differently"]), sum(c["conflicts"] for c in counts)


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def bench(name: str, repo: Path, share: float):
    with tempfile.TemporaryDirectory() as cwd:
        whole, _ = run(repo, cwd, ["replay", "--json"])
        dates = merge_dates(repo)
        conflicted = sorted({int(dates[c["merge"]]) for c in json.loads(whole.stdout)["cases"]
                             if c["merge"] in dates})
        if len(conflicted) < 4:
            return dict(name=name, note=f"{len(conflicted)} conflicted merges: too few to split")
        split = iso(conflicted[int(len(conflicted) * share)])
        learned = Path(cwd) / "learned.toml"
        lo, learn_s = run(repo, cwd, ["learn", "--before", split, "--config", str(learned),
                                      "--write", "--json"])
        _, replay_s = run(repo, cwd, ["replay", "--json", "--before", split])
        proposal = json.loads(lo.stdout)
        plain, _ = run(repo, cwd, ["replay", "--json", "--after", split])
        plain = json.loads(plain.stdout)
        if learned.exists():
            withl, _ = run(repo, cwd, ["replay", "--json", "--after", split,
                                       "--config", str(learned)])
            withl = json.loads(withl.stdout)
        else:
            withl = plain
        rules = [f'{r["key"]} = "{r["rule"]}"' + (" (when)" if r.get("condition") else "")
                 for r in proposal["rules"]]
        groups = [f'group {g["name"]} ({", ".join(g["keys"])})' for g in proposal["groups"]]
        check = proposal.get("check") or {}
        (dr, dw), (dfr, dfw), n = parts(plain)
        (lr, lw), (lfr, lfw), _ = parts(withl)
        return dict(
            name=name, split=split, merges=plain["merges"], files=plain["files"]["conflicts"],
            parts=n, default=(dr, dw), learned=(lr, lw), files_default=(dfr, dfw),
            files_learned=(lfr, lfw), proposals=rules + groups,
            not_kept=[k["what"] for k in check.get("not_kept", [])],
            learn_s=learn_s, replay_s=replay_s,
            worse=lr < dr or lw > dw or lfr < dfr or lfw > dfw,
        )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repos", type=Path, default=ROOT / "target" / "bench" / "real")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--share", type=float, default=0.7)
    ap.add_argument("--no-build", action="store_true", help="use the release binary as it is")
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    rows = []
    for name in a.only or REPOS:
        r = bench(name, find(a.repos, name), a.share)
        rows.append(r)
        print(json.dumps(r), file=sys.stderr)
    print("| repository | after | merges | conflicted articles | parts | parts as people did, "
          "defaults → learned | parts differently | files as people did | files differently "
          "| learned (kept) | learn / replay before the date |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    worse = False
    for r in rows:
        if "note" in r:
            print(f"| {r['name']} | | | | | | | | | {r['note']} | |")
            continue
        worse |= r["worse"]
        kept = "; ".join(r["proposals"]) or "nothing"
        if r["not_kept"]:
            kept += f" (not kept: {'; '.join(r['not_kept'])})"
        print(f"| {r['name']} | {r['split'][:10]} | {r['merges']} | {r['files']} | {r['parts']} "
              f"| {r['default'][0]} → {r['learned'][0]} | {r['default'][1]} → {r['learned'][1]} "
              f"| {r['files_default'][0]} → {r['files_learned'][0]} "
              f"| {r['files_default'][1]} → {r['files_learned'][1]} | {kept} "
              f"| {r['learn_s']:.1f} s / {r['replay_s']:.1f} s |")
    if worse:
        print("LEARNED IS WORSE than the defaults on at least one repository", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
