#!/usr/bin/env python3
"""Benchmark of `replay` and `learn` on a generated docs repository.

    python3 bench/replay.py [--articles 10000] [--merges 2000] [--runs 3] [--learn] [--no-build]

Generates (deterministic from --seed, with `git fast-import`, in seconds) a
repository of --articles Markdown articles with YAML frontmatter and a
history of --merges merge commits: each merges a topic branch that edited a
few articles while main edited some of the same ones, so about a third of
the merges conflict in frontmatter (lastmod, a translation's source commit
and drifted flag, tags) or the body; the committed resolutions follow a
convention (the older lastmod; the re-synced translation whole, its source
commit and flag changed in one commit; tags as a set; one side's body).
Then measures, medians of --runs after a warm-up:

  replay                    frontmerge re-merging and judging every merge
  peer: git merge-tree      the same re-merges with git alone (a shell loop
                            of `git merge-tree --write-tree` over the merges),
                            the floor any replay pays
  learn (with --learn)      proposing rules from the same history, its runs
                            interleaved with runs of replay (the peer: learn
                            replays the same merges, then learns, holding back
                            and checking); the goal is within 2x of replay

Work files live under target/bench/replay/.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "replay"
BIN = ROOT / "target" / "release" / "git-frontmerge"
ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": str(WORK / "home"),
    "NO_COLOR": "1",
}
WORDS = "docs guide install setup config cluster proxy mesh route policy metric trace".split()


def article(i, lastmod, source, drifted, tags, body_rev):
    tag_lines = "".join(f"  - {t}\n" for t in tags)
    body = "\n\n".join(
        f"## Section {s}\n\n" + " ".join(WORDS[(i + s + w) % len(WORDS)] for w in range(40))
        for s in range(6)
    )
    return (
        f"---\ntitle: Article {i}\ndescription: About {WORDS[i % len(WORDS)]} {i}\n"
        f"lastmod: {lastmod}\nsource_commit: {source}\ndrifted: {str(drifted).lower()}\n"
        f"tags:\n{tag_lines}---\n\n# Article {i}\n\n{body}\n\nRevision {body_rev}.\n"
    )


class Stream:
    """A git fast-import stream: blobs inline, commits with dates."""

    def __init__(self, out):
        self.out = out
        self.mark = 0
        self.time = 1_700_000_000

    def commit(self, ref, files, parents=(), msg="edit"):
        self.mark += 1
        self.time += 60
        w = self.out.write
        w(f"commit {ref}\nmark :{self.mark}\n")
        w(f"committer bench <bench@example.invalid> {self.time} +0000\n")
        data = msg.encode()
        w(f"data {len(data)}\n{msg}\n")
        for i, p in enumerate(parents):
            w(("from" if i == 0 else "merge") + f" {p}\n")
        for path, text in files.items():
            b = text.encode()
            w(f"M 100644 inline {path}\ndata {len(b)}\n")
            self.out.write(text)
            w("\n")
        w("\n")
        return f":{self.mark}"


def generate(repo, n_articles, n_merges, seed):
    rng = random.Random(seed)
    if repo.exists():
        subprocess.run(["rm", "-rf", str(repo)], check=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=ENV)
    state = {
        i: dict(lastmod=f"2024-01-{1 + i % 28:02d}", source=f"s{i}", drifted=False,
                tags=["docs"], body_rev=0)
        for i in range(n_articles)
    }
    path = lambda i: f"content/docs/{i // 500:02d}/article-{i}.md"
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE,
                          env=ENV, text=True)
    s = Stream(fi.stdin)
    main = s.commit("refs/heads/main", {path(i): article(i, **state[i]) for i in state},
                    msg="import")
    day = 0
    for m in range(n_merges):
        day += 1
        date = lambda k: f"2025-{1 + (day // 28 + k) % 12:02d}-{1 + (day + k) % 28:02d}"
        conflict = rng.random() < 0.35
        picked = rng.sample(range(n_articles), 3)
        topic, ours, marked = {}, {}, {}
        human = {}
        for j, i in enumerate(picked):
            st = state[i]
            if conflict and j == 0:
                kind = rng.choice(["lastmod", "translation", "tags", "body"])
                t, o = dict(st), dict(st)
                if kind == "lastmod":
                    t["lastmod"], o["lastmod"] = date(2), date(1)
                    t["body_rev"] += 1
                    h = dict(t, lastmod=min(t["lastmod"], o["lastmod"]))
                elif kind == "translation":
                    o["source"], o["drifted"] = f"n{m}", False
                    t["drifted"] = True
                    t["lastmod"], o["lastmod"] = date(1), date(1)
                    h = dict(o)
                    # On main a bot first marked it drifted; the re-sync then set
                    # the source commit and cleared the flag in one commit.
                    marked[path(i)] = article(i, **dict(st, drifted=True))
                elif kind == "tags":
                    t["tags"] = st["tags"] + [f"t{m}"]
                    o["tags"] = st["tags"] + [f"o{m}"]
                    h = dict(o, tags=st["tags"] + [f"o{m}", f"t{m}"])
                else:
                    t["body_rev"] = o["body_rev"] = st["body_rev"]
                    t["body_rev"] += 2
                    o["body_rev"] += 1
                    h = dict(t)
                topic[path(i)] = article(i, **t)
                ours[path(i)] = article(i, **o)
                human[path(i)] = article(i, **h)
                state[i] = h
            else:
                # Clean edits: the topic branch alone touches these.
                t = dict(st, body_rev=st["body_rev"] + 1, lastmod=date(0))
                topic[path(i)] = article(i, **t)
                state[i] = t
        branch = s.commit(f"refs/heads/topic", topic, parents=(main,), msg=f"topic {m}")
        if marked:
            main = s.commit("refs/heads/main", marked, parents=(main,), msg=f"mark {m}")
        if ours:
            main = s.commit("refs/heads/main", ours, parents=(main,), msg=f"main {m}")
        merged = dict(topic)
        merged.update(human)
        main = s.commit("refs/heads/main", merged, parents=(main, branch),
                        msg=f"Merge topic {m}")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "branch", "-q", "-D", "topic"], cwd=repo, env=ENV, check=True)


def timed(cmd, cwd, shell=False):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, shell=shell,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def median_of(runs, cmd, cwd, shell=False):
    timed(cmd, cwd, shell)
    return statistics.median(timed(cmd, cwd, shell) for _ in range(runs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--merges", type=int, default=2_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--learn", action="store_true")
    ap.add_argument("--no-build", action="store_true", help="use the release binary as it is")
    a = ap.parse_args()
    (WORK / "home").mkdir(parents=True, exist_ok=True)
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    repo = WORK / f"docs-{a.articles}-{a.merges}"
    t = time.perf_counter()
    generate(repo, a.articles, a.merges, a.seed)
    print(f"generated {a.articles} articles, {a.merges} merges in {time.perf_counter() - t:.1f} s")
    ours = median_of(a.runs, [str(BIN), "replay", "--json"], repo)
    peer = median_of(
        a.runs,
        "git rev-list --merges --parents --all | while read m p1 p2; do "
        "git merge-tree --write-tree --no-messages $p1 $p2 >/dev/null || true; done",
        repo,
        shell=True,
    )
    print(f"| replay of {a.merges} merges, {a.articles} articles | {ours:.2f} s "
          f"| git merge-tree alone | {peer:.2f} s | {peer / ours:.2f}x |")
    out = subprocess.run([str(BIN), "replay"], cwd=repo, env=ENV, capture_output=True,
                         text=True, check=True).stdout
    print(out)
    if a.learn:
        learn, replay = [str(BIN), "learn"], [str(BIN), "replay", "--json"]
        timed(learn, repo)
        pairs = [(timed(learn, repo), timed(replay, repo)) for _ in range(a.runs)]
        l = statistics.median(p[0] for p in pairs)
        r = statistics.median(p[1] for p in pairs)
        print(f"| learn on the same history | {l:.2f} s | replay, runs interleaved "
              f"| {r:.2f} s | {r / l:.2f}x (learn takes {l / r:.2f}x replay's time) |")
        print(subprocess.run(learn, cwd=repo, env=ENV, capture_output=True,
                             text=True, check=True).stdout)


if __name__ == "__main__":
    main()
