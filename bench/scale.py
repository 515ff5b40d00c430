#!/usr/bin/env python3
"""How frontmerge's time grows with one article's size: linear, not quadratic.

    python3 bench/scale.py [--runs 3] [--sizes 5000,10000,20000,40000] [--fail-above 3.0] [--bin PATH]

One article, one big part per shape (each side adds N tags, N related links,
N JSON/YAML/TOML keys, N list items that are mappings; both sides rewrite
every item of an ordered list of N, three ways with the base in diff3
markers; `check` of a clean article with N keys and N mirrored values). Each shape runs at every size,
`--runs` times after a warm-up, and is timed against a peer in the same run:
`git merge-file` of the same two sides (with an empty base, or the base),
which is linear in the lines. The table shows medians, the ratio to the peer, and the growth
from one size to the next (2.0 for linear when sizes double; 4.0 quadratic).
`--fail-above G` exits 1 when a shape's last growth is above G (an attacker
once made 20,000 tags take 16 s and 200,000 run for more than 12 minutes).

Builds frontmerge in release first (`--bin PATH` measures another build
instead, an older one say). Work files live under target/scale/.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "scale"
BIN = ROOT / "target" / "release" / "git-frontmerge"
ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": str(WORK / "home"),
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "NO_COLOR": "1",
}


def conflicted(open_, close, head, ours, theirs, tail):
    """A file whose `head` is followed by a conflict of `ours` and `theirs`."""
    return f"{open_}{head}<<<<<<< HEAD\n{ours}=======\n{theirs}>>>>>>> topic\n{close}{tail}"


def conflicted3(head, ours, base, theirs, tail):
    """A YAML article whose `head` is followed by a diff3 conflict."""
    return f"---\n{head}<<<<<<< HEAD\n{ours}||||||| base\n{base}=======\n{theirs}>>>>>>> topic\n---\n{tail}"


def shapes(n):
    """(name, sides as (ours, theirs) lines, file text, the base's lines or
    None) for size n."""
    r = range(n)
    tags = ("".join(f"- o{i}\n" for i in r), "".join(f"- t{i}\n" for i in r))
    links = (
        "".join(f"- [o{i}](/o{i}/)\n" for i in r),
        "".join(f"- [t{i}](/t{i}/)\n" for i in r),
    )
    json = (
        ",\n".join(f'"k{i}": "o{i}"' for i in r) + "\n",
        ",\n".join(f'"k{i}": "t{i}"' for i in r) + "\n",
    )
    yaml = ("".join(f"k{i}: o{i}\n" for i in r), "".join(f"k{i}: t{i}\n" for i in r))
    toml = ("".join(f'k{i} = "o{i}"\n' for i in r), "".join(f'k{i} = "t{i}"\n' for i in r))
    maps = (
        "".join(f"  - name: o{i}\n    url: /o{i}\n" for i in r),
        "".join(f"  - name: t{i}\n    url: /t{i}\n" for i in r),
    )
    steps = ("".join(f"- o{i}\n" for i in r), "".join(f"- t{i}\n" for i in r))
    steps_base = "".join(f"- b{i}\n" for i in r)
    rewritten = (
        "".join(f"  - name: n{i}\n    url: /o{i}\n" for i in r),
        "".join(f"  - name: n{i}\n    url: /t{i}\n" for i in r),
    )
    rewritten_base = "".join(f"  - name: n{i}\n    url: /b{i}\n" for i in r)
    return [
        (
            "ordered list, both rewrote",
            steps,
            conflicted3("title: x\nsteps:\n", steps[0], steps_base, steps[1], "body\n"),
            steps_base,
        ),
        (
            "list of maps, both rewrote",
            rewritten,
            conflicted3("authors:\n", rewritten[0], rewritten_base, rewritten[1], "body\n"),
            rewritten_base,
        ),
        ("tags", tags, conflicted("---\n", "---\n", "title: x\ntags:\n", *tags, "body\n")),
        (
            "related links",
            links,
            "---\na: 1\n---\nbody\n\n## Related\n\n" + conflicted("", "", "", *links, ""),
        ),
        ("JSON keys", json, conflicted("{\n", "}\n", "", *json, "body\n")),
        ("YAML keys", yaml, conflicted("---\n", "---\n", "title: x\n", *yaml, "body\n")),
        ("TOML keys", toml, conflicted("+++\n", "+++\n", 'title = "x"\n', *toml, "body\n")),
        ("list of maps", maps, conflicted("---\n", "---\n", "authors:\n", *maps, "body\n")),
    ]


def timed(cmd, cwd):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, p.returncode


def median(cmd, cwd, runs, ok=(0, 1)):
    walls = []
    for i in range(runs + 1):
        wall, code = timed(cmd, cwd)
        if code not in ok:
            raise SystemExit(f"exit {code} from {' '.join(map(str, cmd))} in {cwd}")
        if i:
            walls.append(wall)
    return statistics.median(walls)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="5000,10000,20000,40000")
    ap.add_argument("--fail-above", type=float, default=None)
    ap.add_argument("--bin", default=None, help="the binary to measure (default: this tree's release build)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    global BIN
    if args.bin:
        BIN = Path(args.bin).resolve()
    else:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "home").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(WORK)], env=ENV, check=True)

    rows = {}
    for n in sizes:
        for name, (ours, theirs), text, *base in shapes(n):
            d = WORK / f"{name.replace(' ', '-')}-{n}"
            d.mkdir()
            (d / "a.md").write_text(text)
            (d / "ours").write_text(ours)
            (d / "theirs").write_text(theirs)
            (d / "empty").write_text(base[0] if base else "")
            ours_t = median([str(BIN), "--prefer", "ours", "--links", "union", "--stdout", "a.md"], d, args.runs)
            peer = median(["git", "merge-file", "-p", "ours", "empty", "theirs"], d, args.runs, ok=range(0, 128))
            rows.setdefault(name, []).append((n, ours_t, peer))
            print(f"  {name} {n}: {ours_t:.3f}s (git merge-file {peer:.3f}s)", file=sys.stderr)
        # check of a clean article with n keys and n values mirroring them,
        # one mirror broken: against git's own `git diff --check`.
        d = WORK / f"check-{n}"
        d.mkdir()
        keys = "".join(f"k{i}: v{i}\n" for i in range(n))
        mirrored = "schema:\n" + "".join(f"  s{i}: v{i}\n" for i in range(n))
        (d / "a.md").write_text(f"---\n{keys}{mirrored}---\nbody\n")
        for c in (["init", "-q"], ["add", "a.md"], ["commit", "-qm", "a"]):
            subprocess.run(["git", *c], cwd=d, env=ENV, check=True)
        text = (d / "a.md").read_text().replace("  s1: v1\n", "  s1: changed\n")
        (d / "a.md").write_text(text)
        ours_t = median([str(BIN), "check", "a.md"], d, args.runs)
        peer = median(["git", "diff", "--check"], d, args.runs)
        rows.setdefault("check, mirrors", []).append((n, ours_t, peer))
        print(f"  check {n}: {ours_t:.3f}s (git diff --check {peer:.3f}s)", file=sys.stderr)

    print(f"| shape | {' | '.join(f'N={n}' for n in sizes)} | growth per doubling |")
    print(f"|---|{'---|' * len(sizes)}---|")
    worst = []
    for name, got in rows.items():
        cells = [f"{t:.3f}s ({t / p:.1f}× peer)" if p > 0 else f"{t:.3f}s" for _, t, p in got]
        growth = [b[1] / a[1] for a, b in zip(got, got[1:]) if a[1] > 0]
        print(f"| {name} | {' | '.join(cells)} | {', '.join(f'{g:.1f}' for g in growth)} |")
        if growth:
            worst.append((growth[-1], name))
    print("\nMedians of", args.runs, "runs; peer: `git merge-file` of the same sides (check: `git diff --check`).")
    if args.fail_above is not None:
        bad = [(g, n) for g, n in worst if g > args.fail_above]
        if bad:
            print(f"growth above {args.fail_above}: {bad}", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
