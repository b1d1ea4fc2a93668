#!/usr/bin/env python3
"""The table of scripts/bench: medians, ratios to the floors and to fmx, peak memory, targets.

Usage: report.py RESULTS_DIR   (reads meta.tsv, the hyperfine JSON files and one.json there)
"""
import csv
import json
import os
import sys

res = sys.argv[1]
rows = []
with open(os.path.join(res, "meta.tsv"), newline="") as f:
    for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
        r["size"] = int(r["size"])
        r["median"] = r["mean"] = r["sd"] = r["min"] = r["max"] = None
        if r["json"] and os.path.exists(r["json"]):
            t = json.load(open(r["json"]))["results"][0]
            r["median"], r["mean"], r["sd"] = t["median"], t["mean"], t["stddev"] or 0.0
            r["min"], r["max"], r["runs"] = t["min"], t["max"], len(t["times"])
            # CPU time (user + system, mean): on a busy machine it moves less than wall time.
            r["cpu"] = (t.get("user") or 0.0) + (t.get("system") or 0.0) or None
        r["rss_mb"] = int(r["rss_kb"]) / 1024 if r["rss_kb"].isdigit() else None
        rows.append(r)


def ms(s):
    return "—" if s is None else f"{s * 1000:,.0f}" if s >= 0.1 else f"{s * 1000:.1f}"


def ratio(a, b):
    return "—" if a is None or not b else f"{a / b:.2f}×"


def find(size, task, tool):
    for r in rows:
        if r["size"] == size and r["task"] == task and r["tool"] == tool:
            return r
    return None


def med(size, task, tool):
    r = find(size, task, tool)
    return r["median"] if r else None


print((open(os.path.join(res, "versions.txt")).read()).rstrip())
print()
print("median of the timed runs (hyperfine; copies for --write made before each run and not timed);")
print("×rg, ×cat: median / the floor's median; ×fmx: median / fmx's median for the same job")
print("(check, dry-run convert, written convert; floors against fmx check): above 1 = slower than fmx.")
print("peak RSS (/usr/bin/time -f %M): read-only jobs, one untimed run before the timed ones;")
print("writing jobs, the largest over the timed runs. load: the 1-minute load average as the job started")
print("(other work on the machine; on 2 cores, above ~0.5 the numbers are skewed).")
for size in sorted({r["size"] for r in rows}):
    rg, cat = med(size, "floor", "rg"), med(size, "floor", "cat")
    print()
    print(f"## {size:,} posts")
    hdr = ["job", "median ms", "min–max ms", "×rg", "×cat", "×fmx", "peak RSS MB", "runs", "load", "outcome"]
    table = []
    for r in (r for r in rows if r["size"] == size):
        base = med(size, "check" if r["task"] == "floor" else r["task"], "fmx")
        outcome = r["summary"]
        if r["converted"]:
            done = "edited" if r["task"] == "edit-write" else "now TOML"
            outcome = f"{r['converted']} files {done}; {outcome}"
        if r["rc"] not in ("0", ""):
            outcome = f"exit {r['rc']}; {outcome}"
        table.append([
            r["name"], ms(r["median"]),
            "—" if r["min"] is None else f"{ms(r['min'])}–{ms(r['max'])}",
            ratio(r["median"], rg), ratio(r["median"], cat),
            "—" if r["tool"] == "fmx" else ratio(r["median"], base),
            "—" if r["rss_mb"] is None else f"{r['rss_mb']:.1f}",
            str(r.get("runs", "—")), r.get("load") or "—", outcome[:70],
        ])
    widths = [max(len(x[i]) for x in table + [hdr]) for i in range(len(hdr))]
    right = {1, 2, 3, 4, 5, 6, 7, 8}

    def line(cells):
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    print(line(hdr))
    print("|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2)
                         for i, w in enumerate(widths)) + "|")
    for t in table:
        print(line(t))

# --- scaling: fmx's jobs at every size side by side ---------------------------------------
all_sizes = sorted({r["size"] for r in rows})
if len(all_sizes) > 1:
    print()
    print("## fmx at every size, side by side (time per post should not grow: linear)")
    head = ["job"] + [f"{n:,} posts" for n in all_sizes] + [f"µs/post at {n:,}" for n in all_sizes]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["--:"] * (2 * len(all_sizes))) + "|")
    for task in ("check", "check-schema", "check-unique", "convert", "write", "edit-write"):
        found = [find(n, task, "fmx") for n in all_sizes]
        if not any(found):
            continue
        cells = [task]
        for r in found:
            rss = f", {r['rss_mb']:.1f} MB" if r and r["rss_mb"] else ""
            cells.append("—" if not r or r["median"] is None else f"{r['median']:.2f} s{rss}")
        for n, r in zip(all_sizes, found):
            cells.append("—" if not r or r["median"] is None else f"{r['median'] / n * 1e6:.1f}")
        print("| " + " | ".join(cells) + " |")

# --- fmx's jobs against each other (issues 14 and 15), in the same run ----------------------
PAIRS = [("check-schema", "check", "check --schema (20 keywords) / check"),
         ("check-unique", "check", "check with unique = true / check"),
         ("edit-write", "write", "edit --rename --write / convert --to toml --write")]


def pair(size, task, base):
    """fmx's median for TASK over its median for BASE at SIZE (None if either is missing)."""
    a, b = find(size, task, "fmx"), find(size, base, "fmx")
    if not (a and b and a["median"] and b["median"]):
        return None, a, b
    return a["median"] / b["median"], a, b


if any(find(n, t, "fmx") for n in all_sizes for t, _, _ in PAIRS):
    print()
    print("## fmx against itself, in this run: ratios of the medians, and of the mean CPU time (user + system)")
    for size in all_sizes:
        for task, base, label in PAIRS:
            q, a, b = pair(size, task, base)
            if q is None:
                continue
            rss = ""
            if a["rss_mb"] and b["rss_mb"]:
                rss = f"; peak RSS {a['rss_mb']:.1f} / {b['rss_mb']:.1f} MB ({a['rss_mb'] / b['rss_mb']:.2f}×)"
            cpu = ""
            if a.get("cpu") and b.get("cpu"):
                cpu = f"; CPU time {a['cpu']:.2f} / {b['cpu']:.2f} s ({a['cpu'] / b['cpu']:.2f}×)"
            print(f"- {size:,} posts, {label}: {a['median']:.2f} / {b['median']:.2f} s = {q:.2f}×{cpu}{rss}")

one = os.path.join(res, "one.json")
one_med = {}
if os.path.exists(one):
    print()
    print("## single file (pre-commit case), hyperfine -N")
    for t in json.load(open(one))["results"]:
        one_med[t["command"]] = t["median"]
        print(f"- {t['command']}: median {t['median'] * 1000:.2f} ms "
              f"(mean {t['mean'] * 1000:.2f} ± {(t['stddev'] or 0) * 1000:.2f} ms, "
              f"{len(t['times'])} runs)")

# --- targets ------------------------------------------------------------------------------
print()
print("## targets")
sizes = sorted({r["size"] for r in rows})
big, small = (sizes[-1], sizes[0]) if sizes else (None, None)
note = "" if big == 100000 else f" (measured at {big:,} posts, not the target's 100,000)"


def verdict(ok):
    return "n/a" if ok is None else "MET" if ok else "MISSED"


def target(text, value, ok):
    print(f"- {verdict(ok):6} {text}: {value}{note if big else ''}")


if big:
    fc, rg = med(big, "check", "fmx"), med(big, "floor", "rg")
    target("fmx check ≤ 2× the rg floor", ratio(fc, rg), None if not (fc and rg) else fc / rg <= 2)
    peers = [(med(big, "check", p), p) for p in ("python-frontmatter", "gray-matter")]
    peers = [(m, p) for m, p in peers if m]
    if peers and fc:
        m, p = min(peers)
        print(f"- info   fastest validating peer ({p}) / fmx check: {m / fc:.1f}× (brief expects about 6×)")
    fw = med(big, "write", "fmx")
    for peer, want in (("hugo", 10), ("gray-matter", 3)):
        pw = med(big, "write", peer)
        target(f"fmx convert --write ≥ {want}× faster than {peer}", ratio(pw, fw),
               None if not (pw and fw) else pw / fw >= want)
    for task, base, want, label in (("check-schema", "check", 2.0, "check --schema (20 keywords) ≤ 2× check"),
                                    ("check-unique", "check", 1.3, "check with unique = true ≤ 1.3× check"),
                                    ("edit-write", "write", 1.0, "edit --rename --write ≤ 1× convert --to toml --write")):
        q, a, b = pair(big, task, base)
        if a or b:
            cpu = ""
            if a and b and a.get("cpu") and b.get("cpu"):
                cpu = f" (CPU time {a['cpu'] / b['cpu']:.2f}×)"
            target(label, "—" if q is None else f"{q:.2f}×{cpu}", None if q is None else q <= want)
    for task, label in (("check", "fmx check"), ("convert", "fmx convert (dry run)"),
                        ("write", "fmx convert --write")):
        a, b = find(small, task, "fmx"), find(big, task, "fmx")
        if not (a and b and a["rss_mb"] and b["rss_mb"]):
            continue
        growth = b["rss_mb"] / a["rss_mb"]
        ok = None if small == big else growth <= 1.2 and b["rss_mb"] < 30
        target(f"{label} peak RSS at {big:,} within 1.2× of {small:,} and < 30 MB",
               f"{a['rss_mb']:.1f} MB → {b['rss_mb']:.1f} MB ({growth:.2f}×)", ok)
one_fmx = one_med.get("fmx check --no-config one.md")
if one_fmx is not None:
    print(f"- {verdict(one_fmx < 0.003):6} fmx check one.md < 3 ms: {one_fmx * 1000:.2f} ms "
          f"(cat one.md {one_med.get('cat one.md', 0) * 1000:.2f} ms)")
