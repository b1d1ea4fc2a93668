#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/TARGET, not committed) from fixtures/, the regression
# fixtures, and the real-world corpus beside the repository (../shared/corpus/real, or
# $FMX_CORPUS). Parser targets get the front matter block alone; the others whole files.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
real="${FMX_CORPUS:-$root/../shared/corpus/real}"

sources=("$root/fixtures")
if [[ -d "$real" ]]; then
  sources+=("$real")
else
  echo "note: real corpus not found at $real; seeding from fixtures/ only" >&2
fi

for t in split check convert parse_yaml parse_toml parse_json; do
  mkdir -p "$here/corpus/$t"
done

# Whole files for the targets that take a post.
n=0
while IFS= read -r -d '' f; do
  name="$(sha1sum "$f" | cut -c1-16)"
  for t in split check convert; do
    cp "$f" "$here/corpus/$t/$name"
  done
  n=$((n + 1))
done < <(find "${sources[@]}" -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.html' -o -name '*.htm' -o -name '*.mdx' -o -path '*/regressions/*' \) -print0)

# The block alone, by format, for the parser targets: between the first two `---`/`+++`
# lines, or the object up to its matching `}` when the file starts with `{`.
python3 - "$here/corpus" "${sources[@]}" <<'PY'
import hashlib, os, sys
out, srcs = sys.argv[1], sys.argv[2:]
def json_object(data):
    depth, in_str, esc = 0, False, False
    for i, c in enumerate(data):
        if in_str:
            if esc: esc = False
            elif c == 0x5C: esc = True
            elif c == 0x22: in_str = False
        elif c == 0x22: in_str = True
        elif c in b"{[": depth += 1
        elif c in b"}]":
            depth -= 1
            if depth == 0: return data[: i + 1]
    return data
count = {"parse_yaml": 0, "parse_toml": 0, "parse_json": 0}
for src in srcs:
    for dirpath, _, files in os.walk(src):
        for name in files:
            data = open(os.path.join(dirpath, name), "rb").read()
            lines = data.split(b"\n")
            first = lines[0].lstrip(b"\xef\xbb\xbf").rstrip()
            target = None
            if first in (b"---", b"+++"):
                target = "parse_yaml" if first == b"---" else "parse_toml"
                block = []
                for line in lines[1:]:
                    if line.rstrip() == first or (first == b"---" and line.rstrip() == b"..."):
                        break
                    block.append(line)
                block = b"\n".join(block) + b"\n"
            elif first.startswith(b"{"):
                target, block = "parse_json", json_object(data.lstrip(b"\xef\xbb\xbf"))
            if target:
                h = hashlib.sha1(block).hexdigest()[:16]
                open(os.path.join(out, target, h), "wb").write(block)
                count[target] += 1
print("blocks:", count, file=sys.stderr)
PY
echo "seeded $n files into split, check, convert" >&2
