#!/usr/bin/env python3
"""python-frontmatter peer for scripts/bench: the same jobs as `fmx check` and `fmx convert --to toml`.

    pyfm.py check DIR           validate every post; print `path: reason` for each failing one
    pyfm.py convert DIR         load + dump as TOML, write nothing (dry run)
    pyfm.py convert-write DIR   load + dump as TOML, write each file back in place

The validation is fmx's default schema (`--no-config`): `title` and `date` present and not
null/empty, `date` a finite number (epoch seconds, not a boolean) between 1970-01-01 and
2100-01-01. Files are found as fmx finds them: recursively, extensions .md .markdown .mdx
.html .htm, hidden paths skipped. Exit 1 if any file fails, as fmx does. Needs the `toml`
package for frontmatter's TOMLHandler.
"""
import math
import os
import sys

import frontmatter
from frontmatter.default_handlers import TOMLHandler

EXTS = (".md", ".markdown", ".mdx", ".html", ".htm")
LATEST = 4102444800.0  # 2100-01-01T00:00:00Z


def walk(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(EXTS) and not name.startswith("."):
                yield os.path.join(dirpath, name)


def problem(meta):
    for field in ("title", "date"):
        if field not in meta:
            return f"required field `{field}` is missing"
        if meta[field] is None or meta[field] == "":
            return f"required field `{field}` is empty"
    date = meta["date"]
    if isinstance(date, bool) or not isinstance(date, (int, float)):
        return f"`date` must be Unix epoch seconds as a number, found {type(date).__name__}"
    if not math.isfinite(date):
        return "`date` is not finite"
    if not 0 <= date <= LATEST:
        return "`date` is out of range"
    return None


def main():
    mode, root = sys.argv[1], sys.argv[2]
    handler = TOMLHandler()
    files = failed = 0
    for path in walk(root):
        files += 1
        try:
            post = frontmatter.load(path)
        except Exception as e:  # a broken file is reported, never the end of the run
            print(f"{path}: cannot parse: {type(e).__name__}: {e}".splitlines()[0])
            failed += 1
            continue
        if mode == "check":
            reason = problem(post.metadata)
            if reason:
                print(f"{path}: {reason}")
                failed += 1
            continue
        text = frontmatter.dumps(post, handler=handler)
        if mode == "convert-write":
            with open(path, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        elif mode != "convert":
            sys.exit(f"unknown mode {mode!r}")
    verb = "checked" if mode == "check" else "converted" if mode == "convert-write" else "dumped"
    print(f"python-frontmatter: {verb} {files} files, {failed} failing", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
