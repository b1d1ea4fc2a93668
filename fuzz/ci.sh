#!/usr/bin/env bash
# A bounded fuzz pass, for CI or by hand: replays the regression fixtures through every
# target, then fuzzes each target for FUZZ_SECONDS (default 25) on one core, seeded by
# seed.sh. A crash fails the run and names the input libFuzzer saved; copy it to
# fixtures/regressions/ with a test once it is fixed.
#
#   bash fuzz/ci.sh                                  # ~25 s per target, six targets
#   FUZZ_SECONDS=600 FUZZ_TARGETS="convert check" bash fuzz/ci.sh
#
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain take them.
# Where cargo-fuzz cannot be installed the pass is skipped with a note (exit 0).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
secs="${FUZZ_SECONDS:-25}"
read -r -a targets <<< "${FUZZ_TARGETS:-split parse_yaml parse_toml parse_json check convert}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  if ! cargo install cargo-fuzz --locked; then
    echo "note: cargo-fuzz could not be installed; fuzz pass skipped" >&2
    exit 0
  fi
fi
export RUSTC_BOOTSTRAP=1
cd "$here"

echo "==> seeding corpora"
"$here/seed.sh"

echo "==> building the targets"
cargo fuzz build -O

regressions=("$root"/fixtures/regressions/*)
status=0
for t in "${targets[@]}"; do
  echo "==> $t: regression fixtures"
  cargo fuzz run -O "$t" "${regressions[@]}" -- -timeout=10 >/dev/null 2>"$here/target/$t-regressions.log" || {
    cat "$here/target/$t-regressions.log" >&2
    echo "error: $t crashes on a regression fixture" >&2
    status=1
    continue
  }
  echo "==> $t: fuzzing for ${secs}s"
  if ! cargo fuzz run -O "$t" "corpus/$t" -- \
      -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 2>"$here/target/$t.log"; then
    tail -n 60 "$here/target/$t.log" >&2
    echo "error: $t found a crash; the input is in fuzz/artifacts/$t/" >&2
    status=1
    continue
  fi
  grep -E '^stat::number_of_executed_units' "$here/target/$t.log" | sed "s/^/$t: /"
done
exit "$status"
