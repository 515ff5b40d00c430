#!/usr/bin/env python3
"""The merge driver on one ordinary article, as a whole process, next to its peers.

    python3 bench/driver_article.py [--runs 41] [--old PATH/git-frontmerge] [--bin PATH]

One 2.3 KB article (YAML frontmatter and a few paragraphs) and two branches
of it that git's line merge conflicts on: ours changes the title,
`lastmod` and adds a tag; theirs changes the description, `lastmod`
(a later date), adds another tag and edits a paragraph. Every command merges
the same three files in place, as git calls a driver (`%O %A %B`), each run on
a fresh copy of `%A`:

- `git merge-file` (git's line merge: the driver runs it first, so it is the
  floor);
- `git-frontmerge merge-driver` (this build, `--bin`), which settles it
  (checked: exit 0, no markers);
- the same with `--old`, a build of another revision (for "no slower than
  before"), when given;
- `mergiraf merge`, when it is on PATH (the structured merge tool peer).

The commands take turns run after run (one warm-up), so a machine that gets
busier or quieter weighs on all alike; the table gives medians and ratios.
Work files live under target/bench/driver-article/.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "driver-article"
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(WORK), "LC_ALL": "C"}

PARAGRAPHS = [
    "Static site generators keep every article as a Markdown file with a block of metadata "
    "at the top. The metadata says how the page is titled, when it was published and which "
    "tags it carries; the body is the article itself.",
    "When two people edit the same article on two machines, git merges their changes line "
    "by line. Where both touched neighbouring lines of the metadata, git stops and leaves "
    "conflict markers, even though each person changed a different field.",
    "A structured merge reads the metadata as data: a title, a description, a date, a list "
    "of tags. Two changes to different fields are no conflict at all, and a date bumped on "
    "both sides is settled by keeping the newest one.",
    "The body is prose. Where both sides rewrote the same sentence, only a person can say "
    "which words to keep, so the merge leaves that choice to them and settles the rest.",
    "Related links at the end of the article are a set: links added on either side are all "
    "kept, each once, in the order the article already had them.",
    "Dates are the most common conflict of all. Each side bumps the modification date when "
    "it edits the article, so the two dates always differ, and people keep the newest.",
    "Tags are another: each side adds the tag it needs, and the merged article should carry "
    "both. Taking one side's list whole would silently drop the other side's new tag.",
    "Everything else is left exactly as it was written: quoting, comments, the order of the "
    "keys and the line endings. A merge that rewrites bytes nobody changed is a merge that "
    "nobody can review.",
    "Teams that regenerate articles with scripts see the same pattern every week: a script "
    "rewrites the metadata on one machine while a writer edits the text on another. Git puts "
    "both edits in one conflict because the lines are neighbours, and someone has to untangle "
    "them by hand. That is the work this merge driver takes away, without guessing at prose.",
    "Finally, a merge that cannot be settled is never guessed at. The markers stay, as narrow "
    "as the data allows, and the person at the terminal decides.",
]


def article(title, description, updated, tags, paragraphs):
    fm = (
        "---\n"
        f'title: "{title}"\n'
        f'description: "{description}"\n'
        "pubDate: 2025-03-01\n"
        f"lastmod: {updated}\n"
        "heroImage: /images/merge.png\n"
        "tags:\n" + "".join(f"  - {t}\n" for t in tags) + "---\n\n"
    )
    body = "# Merging articles\n\n" + "\n\n".join(paragraphs) + "\n\n## Related\n\n"
    body += "- [Frontmatter](/blog/frontmatter/)\n- [Git merges](/blog/git-merges/)\n"
    return fm + body


def write_versions():
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    base_tags = ["git", "markdown"]
    base = article("Merging articles", "How merges of articles work", "2025-03-02",
                   base_tags, PARAGRAPHS)
    ours = article("Merging Markdown articles", "How merges of articles work", "2025-04-10",
                   base_tags + ["yaml"], PARAGRAPHS)
    edited = list(PARAGRAPHS)
    edited[3] = edited[3].replace("only a person can say", "only the author can say")
    theirs = article("Merging articles", "How git merges of Markdown articles work",
                     "2025-04-12", base_tags + ["frontmatter"], edited)
    for name, text in (("O", base), ("A.orig", ours), ("B", theirs)):
        (WORK / name).write_text(text)
    return len(ours.encode())


def run(cmd, codes):
    shutil.copyfile(WORK / "A.orig", WORK / "A")
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=WORK, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    if p.returncode not in codes:
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}")
    return wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=41)
    ap.add_argument("--bin", type=Path, default=ROOT / "target" / "release" / "git-frontmerge")
    ap.add_argument("--old", type=Path, help="a build of another revision, measured alike")
    args = ap.parse_args()
    # The commands run in the work folder: paths given relative to here.
    args.bin = args.bin.resolve()
    args.old = args.old.resolve() if args.old else None
    if not args.bin.exists():
        subprocess.run(["cargo", "build", "--release", "-q", "--bin", "git-frontmerge"], cwd=ROOT,
                       check=True)
    size = write_versions()

    # The driver settles this article: check it once before timing it.
    run([str(args.bin), "merge-driver", "O", "A", "B"], (0,))
    merged = (WORK / "A").read_text()
    assert "<<<<<<<" not in merged, merged
    assert "2025-04-12" in merged and "Merging Markdown articles" in merged, merged

    cases = [("git merge-file", ["git", "merge-file", "A", "O", "B"], (0, 1, 2, 3, 4, 5, 6))]
    cases.append(("frontmerge merge-driver", [str(args.bin), "merge-driver", "O", "A", "B"], (0,)))
    if args.old:
        cases.append(("frontmerge merge-driver (old)", [str(args.old), "merge-driver", "O", "A", "B"],
                      (0, 1)))
    mergiraf = shutil.which("mergiraf")
    if mergiraf:
        cases.append(("mergiraf merge", [mergiraf, "merge", "O", "A", "B", "-o", "M"], (0, 1)))

    times = {name: [] for name, _, _ in cases}
    for i in range(args.runs + 1):
        for name, cmd, codes in cases:
            t = run(cmd, codes)
            if i > 0:
                times[name].append(t)

    git = statistics.median(times["git merge-file"])
    print(f"one {size:,}-byte article, {args.runs} runs each, taking turns; medians")
    print("| command | median | / git merge-file |")
    print("| --- | ---: | ---: |")
    for name, _, _ in cases:
        m = statistics.median(times[name])
        print(f"| {name} | {m * 1000:.2f} ms | {m / git:.2f}x |")
    if not mergiraf:
        print("(mergiraf is not on PATH: not measured)")


if __name__ == "__main__":
    main()
