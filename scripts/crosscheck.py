#!/usr/bin/env python3
"""Cross-check fmx's conversions with parsers fmx does not use.

Copies a folder of posts, runs `fmx convert --to FORMAT --write` on the copy for each
format, and reads every converted block with an independent parser — Python's tomllib and
json, and ruamel.yaml (a YAML 1.2 reader) — comparing it with the original block read by the
same family of parsers. Values must agree: strings exactly, numbers by value, date-times by
instant/text (JSON holds them as RFC 3339 strings, which fmx reports). Files fmx refused are
listed, not compared: refusing is allowed, changing a value is not.

Usage: scripts/crosscheck.py FMX_BINARY POSTS_DIR
Exit 0 when every converted file agrees; 1 otherwise.
"""
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib

from ruamel.yaml import YAML

EXTS = (".md", ".markdown", ".mdx", ".html", ".htm")


def split(text):
    """(format, block) of a post, or None: the same layouts fmx reads."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines) and lines[i].strip(" \t") == "":
        i += 1
    if i == len(lines):
        return None
    first = lines[i].rstrip(" \t")
    if first in ("---", "+++"):
        fmt = "yaml" if first == "---" else "toml"
        closers = ("---", "...") if fmt == "yaml" else ("+++",)
        for j in range(i + 1, len(lines)):
            if lines[j].rstrip(" \t") in closers:
                return fmt, "\n".join(lines[i + 1 : j]) + "\n"
        return None
    if first.startswith("{"):
        rest = "\n".join(lines[i:])
        try:
            obj, end = json.JSONDecoder().raw_decode(rest)
        except ValueError:
            return None
        return "json", rest[:end]
    return None


def load(fmt, block):
    if fmt == "toml":
        return tomllib.loads(block)
    if fmt == "json":
        return json.loads(block)
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return yaml.load(block) or {}


def norm(v):
    """A value as comparable data: date-times as RFC 3339 text, floats by value."""
    if isinstance(v, dict):
        return {str(k): norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, datetime.datetime):
        s = v.isoformat()
        return s.replace("+00:00", "Z") if v.tzinfo is not None else s
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return "nan" if math.isnan(v) else v
    return v


def same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str):
        # A date-time read from one format and a string from JSON: same instant text.
        return a == b or a.replace("Z", "+00:00") == b.replace("Z", "+00:00") or dt_equal(a, b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b and type(a) is type(b)
    return a == b


def dt_equal(a, b):
    try:
        return datetime.datetime.fromisoformat(a) == datetime.datetime.fromisoformat(b)
    except ValueError:
        return False


def posts(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for f in filenames:
            if f.endswith(EXTS) and not f.startswith("."):
                yield os.path.join(dirpath, f)


def main():
    fmx, src = sys.argv[1], sys.argv[2]
    failures, table = [], {}
    originals = {}
    for path in posts(src):
        rel = os.path.relpath(path, src)
        with open(path, encoding="utf-8", errors="strict") as f:
            try:
                parts = split(f.read())
            except UnicodeDecodeError:
                continue
        if parts is None:
            continue
        try:
            originals[rel] = (parts[0], norm(load(*parts)))
        except Exception:  # the independent parser rejects the original: nothing to compare
            continue
    for target in ("toml", "json", "yaml"):
        with tempfile.TemporaryDirectory() as tmp:
            work = os.path.join(tmp, "posts")
            shutil.copytree(src, work)
            # The corpus is read-only, and fmx refuses to rewrite a read-only post: the copies
            # are made writable, as a checkout would be.
            for root, _, names in os.walk(work):
                for name in names:
                    p = os.path.join(root, name)
                    os.chmod(p, os.stat(p).st_mode | 0o200)
            report = subprocess.run(
                [fmx, "convert", "--no-config", "--to", target, "--write",
                 "--no-fsync", "--output-format", "json", work],
                capture_output=True, text=True)
            if report.returncode not in (0, 1):
                print(f"fmx exited {report.returncode}: {report.stderr}", file=sys.stderr)
                return 1
            statuses = {os.path.relpath(f["path"], work): f["status"]
                        for f in json.loads(report.stdout)["files"]}
            counts = table.setdefault(target, {})
            for rel, (fmt, before) in originals.items():
                status = statuses.get(rel, "missing")
                if status != "converted":
                    counts[status] = counts.get(status, 0) + 1
                    continue
                with open(os.path.join(work, rel), encoding="utf-8") as f:
                    parts = split(f.read())
                try:
                    after = norm(load(*parts))
                except Exception as e:
                    failures.append(f"{rel} → {target}: the independent reader fails: {e}")
                    continue
                if same(before, after):
                    counts["agree"] = counts.get("agree", 0) + 1
                else:
                    counts["DIFFER"] = counts.get("DIFFER", 0) + 1
                    failures.append(f"{rel} ({fmt}) → {target}: values differ")
    for target, counts in table.items():
        print(f"to {target}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for f in failures[:50]:
        print("FAIL", f)
    agreed = sum(c.get('agree', 0) for c in table.values())
    if agreed == 0:
        failures.append("no converted file was compared: fmx converted nothing")
    print(f"crosscheck: {agreed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
