#!/usr/bin/env python3
"""False alarms of `check` on real documentation: every error it reports on
a committed Markdown file of public docs repositories, listed for a person
to judge (the goal: each one a real defect of the file, 0 false alarms).

    python3 bench/check_docs.py [GIT_DIR ...]

Each GIT_DIR is a git repository (a clone, or a snapshot's git directory);
without any, the snapshots this was last run on are looked for under
/work/.mirror (see DEFAULT). Each is cloned into target/bench/docs/ (the
Markdown files of its HEAD checked out; nothing of it is committed here), and the release
build runs `git frontmerge check --json` there with no paths: every tracked
Markdown file, as a pre-commit hook in CI would. Printed: per repository,
the Markdown files by frontmatter format (YAML `---`, TOML `+++`, JSON `{`,
none), the files checked and the errors; then every error, one per line.
Results also go to target/bench/check_docs.json.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "docs"
BIN = ROOT / "target" / "release" / "git-frontmerge"
# The repositories of docs/checking.md's figure: YAML (Hugo's docs, Astro's docs
# with MDX, PowerShell's docs in the Microsoft Docs style, a Hugo news site),
# TOML (Zola's docs, the Rust blog).
DEFAULT = [
    "/work/.mirror/gohugoio+hugoDocs/repo",
    "/work/.mirror/withastro+docs/repo",
    "/work/.mirror/MicrosoftDocs+PowerShell-Docs/repo",
    "/work/.mirror/hackshackers+hackshackers-hugo-content/repo/.git",
    "/work/.mirror/getzola+zola/repo",
    "/work/.mirror/rust-lang+blog.rust-lang.org/repo",
]
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
MARKDOWN = (".md", ".mdx", ".markdown")


def git(*args, cwd=None):
    return subprocess.run(
        ["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True
    ).stdout


def formats(tree: Path, files):
    """Markdown files by the frontmatter format their first line opens."""
    counts = {"yaml": 0, "toml": 0, "json": 0, "none": 0}
    for f in files:
        try:
            first = (tree / f).read_bytes()[:8].lstrip(b"\xef\xbb\xbf")
        except OSError:
            continue
        if first.startswith(b"---"):
            counts["yaml"] += 1
        elif first.startswith(b"+++"):
            counts["toml"] += 1
        elif first.startswith(b"{"):
            counts["json"] += 1
        else:
            counts["none"] += 1
    return counts


def main():
    sources = sys.argv[1:] or [d for d in DEFAULT if Path(d).exists()]
    if not sources:
        sys.exit("no repositories: pass git directories (see the docstring)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for src in sources:
        name = Path(src.removesuffix("/.git")).parent.name if "mirror" in src else Path(src).name
        tree = WORK / name
        if not tree.exists():
            # Markdown files only: a snapshot may lack its largest files.
            git("clone", "-q", "--no-checkout", src, str(tree))
            names = git("ls-tree", "-r", "-z", "--name-only", "HEAD", cwd=tree)
            wanted = [n for n in names.split(b"\0") if n.decode(errors="replace").endswith(MARKDOWN)]
            subprocess.run(
                ["git", "checkout", "HEAD", "--pathspec-from-file=-", "--pathspec-file-nul"],
                cwd=tree,
                env={**ENV, "GIT_LITERAL_PATHSPECS": "1"},
                input=b"\0".join(wanted),
                check=True,
                capture_output=True,
            )
        head = git("rev-parse", "--short", "HEAD", cwd=tree).decode().strip()
        files = [
            f
            for f in git("ls-files", "-z", cwd=tree).decode().split("\0")
            if f.endswith(MARKDOWN)
        ]
        out = subprocess.run(
            [str(BIN), "check", "--json"], cwd=tree, env=ENV, capture_output=True
        )
        report = json.loads(out.stdout)
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        results.append(
            {
                "repository": name,
                "head": head,
                "markdown": len(files),
                "formats": formats(tree, files),
                "checked": report["files"],
                "unreadable": report["unreadable"],
                "errors": errors,
                "exit": out.returncode,
            }
        )
    print("| repository | HEAD | Markdown files | YAML / TOML / JSON / none | checked | errors |")
    print("|---|---|---|---|---|---|")
    for r in results:
        f = r["formats"]
        print(
            f"| {r['repository']} | {r['head']} | {r['markdown']} | "
            f"{f['yaml']} / {f['toml']} / {f['json']} / {f['none']} | "
            f"{r['checked']} | {len(r['errors'])} |"
        )
    print()
    for r in results:
        for e in r["errors"]:
            print(f"{r['repository']}: {e['path']}:{e['line']}: {e['message']} [{e['code']}]")
        for u in r["unreadable"]:
            print(f"{r['repository']}: {u['path']}: not checked: {u['message']}")
    (ROOT / "target" / "bench" / "check_docs.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
