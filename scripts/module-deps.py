#!/usr/bin/env python3
"""Module dependency graph of one crate, from its source, and the circles in it.

Usage: scripts/module-deps.py CRATE_SRC_DIR [--under PREFIX] [--edges]
  e.g. scripts/module-deps.py crates/core/src --edges --under engine

Every file is a node (lib.rs and main.rs -> crate, a.rs / a/mod.rs -> a, a/b.rs -> a::b). An edge A -> B
means A names an item defined in B: through `use` lines and through paths written in code
(`crate::..`, `super::..`, `self::..`, and paths starting with a child module's name),
re-exports (`pub use`) followed to the module that defines the item, glob imports resolved
to the names the file actually uses. Declaring a child (`mod x;`) is not an edge. Comments
are ignored. Code under `#[cfg(test)]` gives test edges, reported apart.

Prints the edges (with --edges), then every strongly connected component of more than one
module: first over non-test edges, then over all edges. With --under, only the modules
under PREFIX (e.g. `engine`) and the circles through them. Exit status 1 if any circle, 2
if CRATE_SRC_DIR holds no Rust file (so that a check of a mistyped path does not pass).
"""

import os
import re
import sys
from collections import defaultdict

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def module_of(root, path):
    rel = os.path.relpath(path, root)[:-3]  # drop .rs
    parts = rel.split(os.sep)
    if parts == ["lib"] or parts == ["main"]:
        return ()
    if parts[-1] == "mod":
        parts = parts[:-1]
    return tuple(parts)


def strip_comments(text):
    out = []
    i, n = 0, len(text)
    depth = 0
    while i < n:
        if depth == 0 and text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            depth += 1
            i += 2
            continue
        if depth and text.startswith("*/", i):
            depth -= 1
            i += 2
            continue
        if depth:
            out.append("\n" if text[i] == "\n" else " ")
            i += 1
            continue
        c = text[i]
        if c == '"':
            # A string literal: blank it (it may hold "::" or "//").
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""')
            i = j + 1
            continue
        if c == "'" and i + 2 < n and (text[i + 2] == "'" or text[i + 1] == "\\"):
            j = text.find("'", i + 2)
            out.append("' '")
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def split_tests(code):
    """(non-test code, test code): each item after a #[cfg(test)] is test code."""
    normal, tests = [], []
    i = 0
    for m in re.finditer(r"#\[cfg\(test\)\]", code):
        if m.start() < i:
            continue
        normal.append(code[i : m.start()])
        j = m.end()
        # The item runs to its matching brace (or the end of a `mod x;`/`use` line).
        k = j
        while k < len(code) and code[k] not in "{;":
            k += 1
        if k < len(code) and code[k] == "{":
            depth = 0
            while k < len(code):
                if code[k] == "{":
                    depth += 1
                elif code[k] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
        item = code[j : k + 1]
        # Inside `mod tests { .. }`, `super` is the file's module: mark the block.
        if re.match(r"\s*(?:pub\s+)?mod\s+" + IDENT + r"\s*\{", item):
            item = "\x00" + item[item.index("{") + 1 : -1] + "\x01"
        tests.append(item)
        i = k + 1
    normal.append(code[i:])
    return "".join(normal), "".join(tests)


def expand_use_tree(tree):
    """`a::{b, c::{d as e}, f::*}` -> [['a','b'], ['a','c','d'], ['a','f','*']]."""
    tree = re.sub(r"\s+as\s+" + IDENT, "", tree)
    tree = re.sub(r"\s+", "", tree)

    def parse(s, prefix):
        out = []
        depth, start = 0, 0
        items = []
        for idx, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(s[start:idx])
                start = idx + 1
        items.append(s[start:])
        for it in items:
            if not it:
                continue
            if "{" in it:
                head, rest = it.split("{", 1)
                rest = rest[: rest.rfind("}")]
                head = [h for h in head.split("::") if h]
                out.extend(parse(rest, prefix + head))
            else:
                out.append(prefix + [p for p in it.split("::") if p])
        return out

    return parse(tree, [])


class Crate:
    def __init__(self, root):
        self.root = root
        self.files = defaultdict(list)  # module -> its files (lib.rs and main.rs are both the root)
        for d, _, fs in os.walk(root):
            for f in sorted(fs):
                if f.endswith(".rs"):
                    p = os.path.join(d, f)
                    self.files[module_of(root, p)].append(p)
        self.code = {}
        self.defs = defaultdict(set)  # module -> names defined there
        self.reexports = defaultdict(dict)  # module -> name -> full path (absolute)
        self.globs_pub = defaultdict(list)  # module -> modules glob re-exported
        for m, paths in self.files.items():
            code = ""
            for p in paths:
                with open(p, encoding="utf-8") as fh:
                    code += strip_comments(fh.read()) + "\n"
            self.code[m] = split_tests(code)
        for m, (normal, tests) in self.code.items():
            for kind_name in re.finditer(
                r"\b(?:struct|enum|fn|const|static|type|trait|union|mod)\s+(" + IDENT + ")",
                normal + tests,
            ):
                self.defs[m].add(kind_name.group(1))
            for mac in re.finditer(r"macro_rules!\s*(" + IDENT + ")", normal):
                self.defs[m].add(mac.group(1))
        for m, (normal, _) in self.code.items():
            for u in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", normal):
                for path in expand_use_tree(u.group(1)):
                    absolute = self.absolute(m, path)
                    if absolute is None:
                        continue
                    if path[-1] == "*":
                        self.globs_pub[m].append(tuple(absolute[:-1]))
                    else:
                        name = path[-1]
                        self.reexports[m][name] = tuple(absolute)

    def children(self, m):
        return {k[-1] for k in self.files if len(k) == len(m) + 1 and k[: len(m)] == m}

    def absolute(self, m, path):
        """The path from the crate root, or None for an outside crate."""
        if not path:
            return None
        head = path[0]
        if head == "crate":
            return list(path[1:])
        if head == "self":
            return list(m) + list(path[1:])
        if head == "super":
            cur = list(m)
            rest = list(path)
            while rest and rest[0] == "super":
                cur = cur[:-1]
                rest = rest[1:]
            return cur + rest
        if head in self.children(m):
            return list(m) + list(path)
        return None

    def resolve(self, path, seen=None):
        """The module defining the item at absolute `path` (a list of names)."""
        seen = seen or set()
        cur = ()
        for i, seg in enumerate(path):
            if seg == "*":
                return cur
            if seg in self.children(cur) and (cur + (seg,)) in self.files:
                cur = cur + (seg,)
                continue
            # An item of `cur`: defined here, or re-exported from elsewhere.
            if seg in self.reexports.get(cur, {}):
                target = self.reexports[cur][seg]
                key = (cur, seg)
                if key in seen:
                    return cur
                seen.add(key)
                return self.resolve(list(target) + list(path[i + 1 :]), seen)
            if seg in self.defs.get(cur, set()):
                return cur
            for g in self.globs_pub.get(cur, []):
                found = self.resolve(list(g) + [seg] + list(path[i + 1 :]), seen)
                if found is not None and found != g or seg in self.defs.get(g, set()):
                    return found
            return cur
        return cur

    def exported(self, m):
        """Names reachable as items of module m (defined, re-exported, children)."""
        return self.defs.get(m, set()) | set(self.reexports.get(m, {})) | self.children(m)

    def edges(self, m, code):
        out = set()
        uses = list(re.finditer(r"\buse\s+([^;]+);", code))
        body = code
        for u in uses:
            for path in expand_use_tree(u.group(1)):
                a = self.absolute(m, path)
                if a is None:
                    continue
                if path[-1] == "*":
                    target = tuple(a[:-1])
                    target_mod = self.resolve(list(target))
                    # Names of the glob that this file uses.
                    tokens = set(re.findall(IDENT, body))
                    for name in self.exported(target_mod) & tokens:
                        out.add(self.resolve(list(target_mod) + [name]))
                else:
                    out.add(self.resolve(a))
        # Paths written in code.
        without_uses = re.sub(r"\buse\s+[^;]+;", " ", body)
        starts = {"crate", "super", "self"} | self.children(m)
        for p in re.finditer(r"(?<![A-Za-z0-9_:])(" + IDENT + r")((?:\s*::\s*" + IDENT + r")+)", without_uses):
            head = p.group(1)
            if head not in starts:
                continue
            segs = [head] + [s for s in re.split(r"\s*::\s*", p.group(2)) if s]
            a = self.absolute(m, segs)
            if a is not None:
                out.add(self.resolve(a))
        out.discard(m)
        out.discard(None)
        return out


def sccs(nodes, edges):
    index, low, stack, on, res = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            res.append(comp)

    for v in nodes:
        if v not in index:
            visit(v)
    return [c for c in res if len(c) > 1]


def name(m):
    return "::".join(m) or "crate"


def main():
    args = sys.argv[1:]
    root = args[0]
    under = None
    if "--under" in args:
        under = tuple(args[args.index("--under") + 1].split("::"))
    crate = Crate(root)
    if not crate.files:
        print(f"no Rust file under {root}", file=sys.stderr)
        sys.exit(2)
    normal_edges, test_edges = {}, {}
    for m, (normal, tests) in sorted(crate.code.items()):
        normal_edges[m] = crate.edges(m, normal)
        in_mod = "".join(re.findall(r"\x00([^\x01]*)\x01", tests, re.S))
        loose = re.sub(r"\x00[^\x01]*\x01", " ", tests, flags=re.S)
        found = crate.edges(m, loose) | crate.edges(m + ("tests",), in_mod)
        found.discard(m)
        test_edges[m] = found - normal_edges[m]
    shown = lambda m: under is None or m[: len(under)] == under
    if "--edges" in args:
        for m in sorted(crate.code):
            if not shown(m):
                continue
            deps = sorted(name(d) for d in normal_edges[m])
            tdeps = sorted(name(d) for d in test_edges[m])
            line = f"{name(m)} -> {', '.join(deps) or '(nothing)'}"
            if tdeps:
                line += f"   [tests also: {', '.join(tdeps)}]"
            print(line)
    bad = False
    for label, edges in [
        ("non-test", normal_edges),
        ("all (tests included)", {m: normal_edges[m] | test_edges[m] for m in crate.code}),
    ]:
        comps = [c for c in sccs(sorted(crate.code), edges) if any(shown(m) for m in c)]
        if comps:
            bad = True
            for c in comps:
                print(f"circle over {label} edges: {' <-> '.join(sorted(name(x) for x in c))}")
        else:
            scope = f"under {name(under)}" if under else f"of {len(crate.code)} modules"
            print(f"no circle over {label} edges {scope}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
