#!/usr/bin/env python3
"""Differential test: fmx's JSON Schema validation against python-jsonschema.

Generates posts from random values (seeded, so a run is repeatable), writes each as a
YAML, TOML or JSON post, validates every post against several schemas with fmx's schema
module (examples/schema_validate.rs) and with python-jsonschema (FormatChecker for date,
date-time, uri, email), and reports each post the two judge differently. The values are
the source of truth: python-jsonschema sees them as JSON sees a post (date-times as their
RFC 3339 text), so the comparison covers fmx's parsing and conversion too.

With --fmx PATH, the same posts also go through the real binary, one run per schema:
`fmx check --no-config --schema S --output-format json` over the folder of posts; a post
fails when it has a `schema-violation` (`--no-config` adds the default required fields,
whose findings are not the schema's and are not counted).

Usage: scripts/schema-differential.py [--n 3000] [--seed 1] [--bin PATH] [--fmx PATH]
                                      [--keep DIR]
Needs: python3 -m pip install jsonschema rfc3339-validator rfc3986-validator
Exit: 0 when every verdict agrees, 1 on any disagreement, 2 on a setup problem.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from jsonschema import FormatChecker
except ImportError:
    sys.exit("schema-differential: needs python jsonschema (pip install jsonschema "
             "rfc3339-validator rfc3986-validator)")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = ["date", "date-time", "uri", "email"]
ASTRO_KEYS = {"title", "description", "pubDate", "updatedDate", "tags", "draft", "author"}


class DT:
    """A date-time as YAML and TOML write it bare; JSON posts and the truth hold its text."""

    def __init__(self, text):
        self.text = text


# --- values -------------------------------------------------------------------------

STRINGS = ["Hello", "", "A title that is far too long for the forty character limit",
           "Überschrift — ✓", 'He said "hi" \\ ok', "rust", "web", "2024-01-15", "yes",
           "line one\nline two", "https://example.org/x"]
DATES = [DT("2024-01-15"), DT("2024-01-15T10:00:00Z"), DT("2024-01-15T10:00:00+01:00"),
         DT("2024-01-15T10:00:00.123456Z"), DT("2024-01-15T10:00:00"), "2023-02-29",
         "2024-02-29", "yesterday", "2024-01-15T10:00:00Z", 1705312800, 1705312800.5, -1]
URLS = ["https://example.org/x", "not a uri", "mailto:ada@example.org", "/relative/path",
        "http://[::1]:8080/a?b=c#d", 7]
# python-jsonschema's `email` check only looks for an `@`; the jsonschema crate follows
# RFC 5322 and rejects `two words@x.org` and `@`. Only addresses both judge alike are
# generated.
EMAILS = ["ada@example.org", "nobody", "first.last@sub.example.co", "ada.example.org", None]
TAGS = ["rust", "web", "go", 3, "web", "rust"]
NUMBERS = [0, 1, 5, 6, -3, 0.5, 1.0, 2.25, 1602377984, 1602377984.4306138,
           9007199254740993, "7", True]


def pick(rng, pool):
    return pool[rng.randrange(len(pool))]


def maybe(rng, p):
    return rng.random() < p


def author(rng):
    out = {}
    if maybe(rng, 0.8):
        out["name"] = pick(rng, STRINGS[:5] + [42])
    if maybe(rng, 0.5):
        out["url"] = pick(rng, URLS)
    if maybe(rng, 0.15):
        out["nick"] = "ada"
    return out


def params(rng):
    out = {}
    if maybe(rng, 0.8):
        out["author"] = pick(rng, STRINGS[:4])
    if maybe(rng, 0.6):
        out["a.b"] = pick(rng, [1, 2, "x", 3.5])
    if maybe(rng, 0.5):
        out["rating"] = pick(rng, NUMBERS[:6])
    return out


def post_value(rng):
    """One post's front matter, each key present with its own probability."""
    fields = [
        ("title", 0.9, lambda: pick(rng, STRINGS + [42])),
        ("description", 0.7, lambda: pick(rng, STRINGS[:5])),
        ("pubDate", 0.85, lambda: pick(rng, DATES)),
        ("updatedDate", 0.3, lambda: pick(rng, DATES)),
        ("tags", 0.7, lambda: [pick(rng, TAGS) for _ in range(rng.randrange(5))]),
        ("draft", 0.4, lambda: pick(rng, [True, False, "yes"])),
        ("author", 0.4, lambda: author(rng)),
        ("epoch", 0.3, lambda: pick(rng, NUMBERS)),
        ("weight", 0.3, lambda: pick(rng, NUMBERS)),
        ("url", 0.3, lambda: pick(rng, URLS)),
        ("email", 0.3, lambda: pick(rng, EMAILS)),
        ("params", 0.4, lambda: params(rng)),
        ("extra", 0.1, lambda: 1),
        ("my key", 0.1, lambda: "x"),
    ]
    return {k: make() for k, p, make in fields if maybe(rng, p)}


def truth(value):
    """The value as JSON sees the post."""
    if isinstance(value, DT):
        return value.text
    if isinstance(value, dict):
        return {k: truth(v) for k, v in value.items()}
    if isinstance(value, list):
        return [truth(v) for v in value]
    return value


def drop_nulls(value):
    """TOML has no null: a TOML post leaves those keys (and items) out."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value if v is not None]
    return value


# --- writers --------------------------------------------------------------------------

def scalar(value):
    if isinstance(value, DT):
        return value.text
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def bare_key(key):
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) is not None


def key_text(key):
    return key if bare_key(key) else json.dumps(key, ensure_ascii=False)


def yaml_flow(value):
    if isinstance(value, list):
        return "[" + ", ".join(yaml_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key_text(k)}: {yaml_flow(v)}" for k, v in value.items()) + "}"
    return scalar(value)


def yaml_lines(table, indent=""):
    for key, value in table.items():
        if isinstance(value, dict) and value:
            yield f"{indent}{key_text(key)}:"
            yield from yaml_lines(value, indent + "  ")
        else:
            yield f"{indent}{key_text(key)}: {yaml_flow(value)}"


def toml_inline(value):
    if isinstance(value, list):
        return "[" + ", ".join(toml_inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key_text(k)} = {toml_inline(v)}" for k, v in value.items()) + " }"
    return scalar(value)


def write_post(fmt, value):
    if fmt == "yaml":
        return "---\n" + "\n".join(yaml_lines(value)) + "\n---\nbody\n"
    if fmt == "toml":
        lines = [f"{key_text(k)} = {toml_inline(v)}" for k, v in value.items()]
        return "+++\n" + "\n".join(lines) + "\n+++\nbody\n"
    return json.dumps(truth(value), ensure_ascii=False, indent=2) + "\nbody\n"


# --- schemas --------------------------------------------------------------------------

def schemas():
    with open(os.path.join(REPO, "fixtures", "schemas", "astro-blog.schema.json")) as f:
        astro = json.load(f)
    basic = {
        "type": "object",
        "required": ["title", "pubDate"],
        "propertyNames": {"pattern": "^[A-Za-z.]+$"},
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 40},
            "tags": {"type": "array", "items": {"enum": ["rust", "web"]}, "maxItems": 3},
            "params": {"type": "object", "required": ["author"], "properties": {
                "a.b": {"type": "integer"}, "rating": {"minimum": 1, "maximum": 5}}},
            "epoch": {"type": "integer", "minimum": 0},
            "weight": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.25},
            "draft": {"type": "boolean"},
        },
    }
    formats = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$defs": {"day": {"type": "string", "format": "date"}},
        "properties": {
            "pubDate": {"anyOf": [{"type": "string", "format": "date-time"},
                                  {"$ref": "#/$defs/day"}]},
            "updatedDate": {"$ref": "#/$defs/day"},
            "url": {"type": "string", "format": "uri"},
            "email": {"type": ["string", "null"], "format": "email"},
            "author": {"properties": {"url": {"format": "uri"}}},
        },
        "dependentRequired": {"updatedDate": ["pubDate"]},
    }
    draft7 = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"tag": {"type": "string", "pattern": "^[a-z]+$"}},
        "properties": {
            "tags": {"type": "array", "items": {"$ref": "#/definitions/tag"},
                     "uniqueItems": True, "contains": {"const": "web"}},
            "epoch": {"oneOf": [{"type": "integer", "maximum": 10},
                                {"type": "number", "minimum": 5}]},
            "draft": {"enum": [True, False]},
        },
        "if": {"properties": {"draft": {"const": False}}, "required": ["draft"]},
        "then": {"required": ["description"]},
        "dependencies": {"author": ["title"]},
        "not": {"required": ["extra"]},
    }
    strict = {
        "type": "object",
        "minProperties": 2,
        "properties": {
            "author": {"type": "object", "additionalProperties": False,
                       "properties": {"name": {"type": "string"}, "url": {"type": "string"}}},
            "tags": {"prefixItems": [{"const": "rust"}], "items": {"type": "string"}},
            "weight": {"not": {"type": "integer"}},
        },
        "patternProperties": {"^e": {"type": ["integer", "string"]}},
        "unevaluatedProperties": {"type": ["string", "array", "object", "boolean"]},
    }
    return {"basic-2020-12": basic, "formats-2019-09": formats, "draft-07": draft7,
            "strict-2020-12": strict, "astro": astro}


# --- fmx.toml exported as JSON Schema ------------------------------------------------

FIELDS_CONFIGS = {
    "strict-fields": """required = ["title", "date"]
allow-unknown-fields = false
[fields.date]
type = "epoch"
[fields.title]
type = "string"
min-length = 3
[fields.image]
type = "url"
[fields.tags]
type = "array"
min-length = 1
[fields.category]
one-of = ["news", "sport", 3]
[fields.draft]
type = "boolean"
[fields.weight]
type = "number"
[fields.day]
type = "date"
[fields.count]
type = "integer"
[fields.anything]
type = "any"
""",
    "lenient": """required = ["title"]
[fields.title]
type = "string"
[fields.image]
type = "url"
[fields.day]
type = "date"
[fields.weight]
type = "number"
[fields.count]
type = "integer"
[fields.category]
one-of = ["news", "sport", 3]
""",
    "richer": """[fields.title]
type = "string"
max-length = 5
pattern = "^[A-Za-z]+$"
[fields.tags]
items = { type = "string", pattern = "^[ab]$" }
max-items = 2
unique-items = true
[fields.category]
one-of = ["news", "sport", 3]
""",
    "bounded-epoch": """required = ["date", "tags"]
[fields.date]
type = "epoch"
earliest = "2020-01-01"
latest = "2021-01-01"
[fields.tags]
min-length = 2
[fields.category]
one-of = [3, 3.5, true]
""",
}

# Values chosen around each fmx check's edges, as (passing, failing) for the strictest
# config. Left out, as the export's `$comment` says: floats with an integral value (`1.0`),
# datetime fields, dates after today.
EXPORT_VALUES = {
    "title": (["Hello", "abc", "Überschrift"], ["", "  ", "ab", 42, None, ["a", "b", "c"]]),
    "date": ([1602377984, 1602377984.4306138, 0, 4102444800, 1577836800],
             [-5, 1602377984123, "2020-10-11", 4102444801, 5000000000, DT("2020-10-11"),
              None]),
    "image": (["https://x.org/a.jpg", "mailto:ada@x.org", "HTTPS://EXAMPLE.ORG", "ws://h",
               "a+b.c-d:rest", "svn+ssh://h/x", None],
              ["https:///a", "http:x", "not a url", "ftp://:21/x", "x:y z", "https://", 5]),
    "tags": ([["a"], ["a", "b"], ["b", "a", "a"], None], [[], ["a", "c"], "a", [1, 2]]),
    "category": (["news", "sport", 3, None], ["other", True, 3.5]),
    "draft": ([True, False, None], ["yes"]),
    "weight": ([1, 2.5, None], ["x"]),
    "day": ([DT("2024-01-15"), "2024-01-15", None], ["2023-02-29", "2024-1-15x", 20240115]),
    "count": ([3, -1], ["3", 2.5]),
    "anything": ([[1], "x", {"a": 1}], []),
    "extra": ([1], []),
}
REQUIRED_IN_SOME_CONFIG = {"title", "date", "tags"}


def export_value(rng):
    """Mostly passing values, so that each config accepts some posts and rejects others."""
    out = {}
    for key, (good, bad) in EXPORT_VALUES.items():
        if not maybe(rng, 0.95 if key in REQUIRED_IN_SOME_CONFIG else 0.5):
            continue
        out[key] = pick(rng, bad) if bad and maybe(rng, 0.08) else pick(rng, good)
    return out


def export_compare(binary, folder, rng, n):
    """Posts judged by fmx's [fields] and by python-jsonschema with the exported schema."""
    posts = generate(rng, n, os.path.join(folder, "export"), export_value)
    failures = 0
    for name, text in FIELDS_CONFIGS.items():
        config = os.path.join(folder, f"{name}.fmx.toml")
        with open(config, "w") as f:
            f.write(text)
        exported = subprocess.run([binary, "--export", config], capture_output=True,
                                  text=True, check=True).stdout
        failures += judge_all(binary, config, f"export:{name}", json.loads(exported), posts)
    return failures


# --- run ------------------------------------------------------------------------------

def fmx_verdicts(binary, schema_path, paths):
    verdicts = {}
    for start in range(0, len(paths), 500):
        chunk = paths[start:start + 500]
        done = subprocess.run([binary, schema_path, *chunk], capture_output=True, text=True,
                              timeout=600)
        if done.returncode != 0:
            sys.exit(f"schema-differential: {binary} failed: {done.stderr.strip()}")
        for line in done.stdout.splitlines():
            path, verdict, *rest = line.split("\t")
            verdicts[path] = (verdict, rest[0] if rest else "")
    return verdicts


def build(args):
    if args.bin:
        return args.bin
    subprocess.run(["cargo", "build", "--quiet", "--example", "schema_validate"], cwd=REPO,
                   check=True)
    return os.path.join(REPO, "target", "debug", "examples", "schema_validate")


def generate(rng, n, folder, make=post_value):
    os.makedirs(folder, exist_ok=True)
    posts = []
    for i in range(n):
        fmt = ("yaml", "toml", "json")[i % 3]
        value = make(rng)
        if make is post_value and i % 4 == 3:
            # Keys an Astro blog collection knows, so that its strict schema accepts some.
            value = {k: v for k, v in value.items() if k in ASTRO_KEYS}
        if fmt == "toml":
            value = drop_nulls(value)
        path = os.path.join(folder, f"{i:05}-{fmt}.md")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(write_post(fmt, value))
        posts.append((path, truth(value)))
    return posts


def compare(binary, folder, posts, fmx=None):
    """Every schema through schema_validate and, with `fmx`, through `fmx check`."""
    failures = 0
    for name, schema in schemas().items():
        schema_path = os.path.join(folder, f"{name}.schema.json")
        with open(schema_path, "w") as f:
            json.dump(schema, f)
        failures += judge_all(binary, schema_path, name, schema, posts)
        if fmx:
            verdicts = check_verdicts(fmx, schema_path, posts)
            failures += judge_all(None, None, f"fmx-check:{name}", schema, posts, verdicts)
    return failures


def check_verdicts(fmx, schema_path, posts):
    """`fmx check --schema` over the posts' folder: `fail` for each post with a
    `schema-violation`, `ok` for the others (their other findings are not the schema's)."""
    folder = os.path.dirname(posts[0][0])
    done = subprocess.run([os.path.abspath(fmx), "check", "--no-config", "--no-progress",
                           "--schema", os.path.abspath(schema_path), "--output-format", "json",
                           "."], cwd=folder, capture_output=True, text=True, timeout=600)
    if done.returncode not in (0, 1):
        sys.exit(f"schema-differential: fmx check failed ({done.returncode}): "
                 f"{done.stderr.strip()}")
    report = json.loads(done.stdout)
    if report["summary"]["files"] != len(posts):
        sys.exit(f"schema-differential: fmx check saw {report['summary']['files']} files, "
                 f"not {len(posts)}")
    failed = {}
    for d in report["diagnostics"]:
        if d["rule"] == "schema-violation":
            name = os.path.basename(d["path"])
            failed.setdefault(name, f"{d['line']}:{d['column']} {d['message']}")
    verdicts = {}
    for path, _ in posts:
        name = os.path.basename(path)
        verdicts[path] = ("fail", failed[name]) if name in failed else ("ok", "")
    return verdicts


def judge_all(binary, fmx_judge, name, schema, posts, verdicts=None):
    """Compares fmx's verdicts (by a schema file or an fmx.toml through `binary`, or given
    as `verdicts`) with python-jsonschema's (by `schema`) on every post; prints a row and
    returns the number of disagreements."""
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=FormatChecker(formats=FORMATS))
    if verdicts is None:
        verdicts = fmx_verdicts(binary, fmx_judge, [p for p, _ in posts])
    ok = bad = differ = 0
    for path, value in posts:
        expected = validator.is_valid(value)
        got, detail = verdicts.get(path, ("missing", ""))
        if got == "ok" and expected:
            ok += 1
        elif got == "fail" and not expected:
            bad += 1
        else:
            differ += 1
            if differ <= 5:
                why = [e.message for e in validator.iter_errors(value)][:3]
                print(f"  DIFFER {name} {os.path.basename(path)}: fmx {got} {detail}; "
                      f"python {'ok' if expected else why}", file=sys.stderr)
    print(f"{name:<30}{len(posts):>7}{ok:>9}{bad:>11}{differ:>8}")
    return differ


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bin", help="a built schema_validate example (default: cargo build)")
    parser.add_argument("--fmx", help="a built fmx binary: also judge with `fmx check --schema`")
    parser.add_argument("--keep", help="write the posts and schemas here and keep them")
    args = parser.parse_args()
    binary = build(args)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        print(f"{'schema':<30}{'posts':>7}{'both ok':>9}{'both fail':>11}{'differ':>8}")
        posts = generate(rng, args.n, os.path.join(folder, "posts"))
        failures = compare(binary, folder, posts, args.fmx)
        failures += export_compare(binary, folder, rng, args.n)
    through = " (each also through fmx check)" if args.fmx else ""
    print(f"schema-differential: {failures} disagreement(s) over {args.n} posts x "
          f"{len(schemas())} schemas{through} and {args.n} posts x {len(FIELDS_CONFIGS)} "
          f"exported configs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
