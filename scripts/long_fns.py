#!/usr/bin/env python3
"""Functions of src/ longer than a limit (default 120 lines, signature to
closing brace), longest first; test modules included. Exit 1 when any.

    python3 scripts/long_fns.py [LIMIT]

Braces are counted outside strings, chars and comments, which is enough for
this code base (raw strings with braces are rare and balanced).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(unsafe\s+)?fn\s+(\w+)")


def code_chars(line, state):
    """The characters of `line` that are code (not in a string or comment)."""
    out = []
    i = 0
    while i < len(line):
        c = line[i]
        if state["block"]:
            if line.startswith("*/", i):
                state["block"] = False
                i += 2
                continue
        elif state["str"]:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                state["str"] = False
        elif line.startswith("//", i):
            break
        elif line.startswith("/*", i):
            state["block"] = True
            i += 2
            continue
        elif c == '"':
            state["str"] = True
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", line[i:]):
            i += len(re.match(r"'(\\.|[^\\'])'", line[i:]).group(0))
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def functions(path):
    lines = path.read_text().split("\n")
    state = {"str": False, "block": False}
    stack = []  # (name, start line, depth at start)
    depth = 0
    pending = None
    for n, line in enumerate(lines, 1):
        m = FN.match(line) if not state["str"] and not state["block"] else None
        code = code_chars(line, state)
        if m:
            pending = (m.group(5), n)
        for c in code:
            if c == "{":
                if pending:
                    stack.append((pending[0], pending[1], depth))
                    pending = None
                depth += 1
            elif c == "}":
                depth -= 1
                if stack and stack[-1][2] == depth:
                    name, start, _ = stack.pop()
                    yield name, start, n - start + 1
            elif c == ";" and pending:
                pending = None  # a declaration without a body


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    found = []
    for path in sorted((ROOT / "src").rglob("*.rs")):
        for name, start, length in functions(path):
            if length > limit:
                found.append((length, f"{path.relative_to(ROOT)}:{start}", name))
    for length, where, name in sorted(found, reverse=True):
        print(f"{length:5}  {where}  {name}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
