#!/usr/bin/env python3
"""Instructions of one function by the source line they were inlined into.

A developer's tool, not run by CI (it needs valgrind and binutils' addr2line):

    CARGO_TARGET_DIR=/tmp/tgt-prof CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \\
        cargo build --release
    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=/tmp/cg.out \\
        /tmp/tgt-prof/release/pluri --threads 1 run --weeks 140 --no-plots -q --out /tmp/cg-run
    scripts/callgrind-lines.py /tmp/cg.out /tmp/tgt-prof/release/pluri 'consult::scan' [LINE]

Without LINE: the function's own instructions (calls excluded) summed by the outermost line
of pluri's source in each instruction's chain of inlined frames. With LINE (as printed, for
example `engine/consult/mod.rs:227`): that line's instructions by the innermost three frames,
to see what an inlined call costs. Divide a line's count by how often it runs to find code
that compiled to far more instructions than its form suggests (docs/PERFORMANCE.md,
"How to measure").
"""

import collections
import re
import subprocess
import sys

NAME = re.compile(r"c?fn=\((\d+)\)(?: (.*))?")


def self_costs(path, function):
    """Instructions (Ir) by address, of the functions whose name contains `function`."""
    names, cost = {}, collections.Counter()
    inside, after_call, addr, line = False, False, 0, 0

    def position(token, previous):
        if token == "*":
            return previous
        if token[0] in "+-":
            return previous + int(token, 0)
        return int(token, 0)

    with open(path) as f:
        for text in f:
            match = NAME.match(text)
            if match:
                if match.group(2):
                    names[match.group(1)] = match.group(2)
                if text.startswith("fn="):
                    inside = function in names.get(match.group(1), "")
                continue
            if text.startswith("calls="):
                after_call = True
                continue
            if not text or not (text[0].isdigit() or text[0] in "+-*"):
                continue
            fields = text.split()
            addr = position(fields[0], addr)
            line = position(fields[1], line) if len(fields) > 1 else line
            if after_call:  # the inclusive cost of a call: not this function's own
                after_call = False
                continue
            if inside and len(fields) > 2:
                cost[addr] += int(fields[2])
    return cost


def inline_chains(binary, addrs):
    """Per address, its source lines from the innermost inlined frame outward."""
    out = subprocess.run(
        ["addr2line", "-a", "-i", "-e", binary] + [hex(a) for a in addrs],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chains, current = {}, None
    for text in out.splitlines():
        if text.startswith("0x"):
            current = int(text, 16)
            chains[current] = []
        elif current is not None:
            chains[current].append(text.split(" ")[0])
    return chains


def own(source):
    """Whether a source path is pluri's (not the standard library's or a dependency's)."""
    return "/src/" in source and not source.startswith("/rustc/") and "/.cargo/" not in source


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    path, binary, function = sys.argv[1:4]
    focus = sys.argv[4] if len(sys.argv) == 5 else None
    cost = self_costs(path, function)
    total = sum(cost.values())
    if total == 0:
        sys.exit(f"no instructions of a function named like {function!r} in {path}")
    chains = inline_chains(binary, list(cost))
    by_line = collections.Counter()
    for addr, n in cost.items():
        ours = [s.split("/src/", 1)[-1] for s in chains.get(addr, []) if own(s)]
        outer = ours[-1] if ours else "(outside pluri)"
        if focus is None:
            by_line[outer] += n
        elif outer == focus:
            frames = [s.rsplit("/", 1)[-1] for s in chains[addr][:3]]
            by_line[" <- ".join(frames)] += n
    print(f"{total:,} instructions in {function}")
    for key, n in by_line.most_common(40):
        print(f"{n:>14,} {100 * n / total:5.1f}%  {key}")


if __name__ == "__main__":
    main()
