#!/usr/bin/env bash
# The `tigris` binary at tight budgets with a slow pool: `analyze --min-budget --json` names the
# smallest budget that compiles; compile below it exits 1 with one `tigris: error:` line naming the
# op and bytes and writes nothing; analyze --json exits 0 on PASS (also at the committed tiled and
# temporal budgets, which compile must write) and 1 on FAIL; --no-tiling below the largest op
# fails there as temporal partitioning alone must.
# Usage: cli_budget.sh TIGRIS_BINARY MODELS_DIR WORK_DIR [EXPECTED_PEAKS_TABLE]
set -uo pipefail
tigris=$1
models=$2
work=$3
table=${4:-}
py=/usr/bin/python3
# unet_like partitions (its skips must spill); ds_cnn is the fallback where it is not generated.
name=unet_like
[ -f "$models/$name.onnx" ] || name=ds_cnn
model=$models/$name.onnx
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
pass() { echo "PASS $*"; }
[ -f "$model" ] || { echo "FAIL: $model not found (the e2e_models fixture generates it)"; exit 1; }

json_field() {  # json_field FILE EXPR  -> python expression over `r`
  "$py" -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"
}

# The untiled report: its arena always compiles; min_fast_budget when the report has it.
"$tigris" analyze "$model" -m 1G --json >"$work/untiled.json" 2>"$work/untiled.err" ||
  { fail "analyze -m 1G: exit $?: $(cat "$work/untiled.err")"; exit 1; }
arena=$(json_field "$work/untiled.json" "r['pool_used'][0]") || { fail "untiled report is not JSON"; exit 1; }
min_fast=$(json_field "$work/untiled.json" "r.get('min_fast_budget', 0)")
"$tigris" analyze "$model" -m 1G -m 64M --min-budget --json >"$work/min.json" 2>"$work/min.err" ||
  { fail "analyze --min-budget: exit $?: $(cat "$work/min.err")"; exit 1; }
min_budget=$(json_field "$work/min.json" "r['min_budget']")
if [ "$min_budget" -le 16 ]; then fail "--min-budget reports $min_budget"; exit 1; fi
pass "analyze --min-budget --json: $min_budget bytes"
below=$((min_budget - 16))
echo "$name: untiled arena $arena, min_fast_budget $min_fast, min budget $min_budget, testing below it at $below"

# --- compile below the single-op minimum, with a slow pool
out=$work/below.tgrs
"$tigris" compile "$model" -m "$below" -m 8M -o "$out" >"$work/below.out" 2>"$work/below.err"
rc=$?
err=$(cat "$work/below.err")
if [ "$rc" -ne 1 ]; then
  fail "compile -m $below -m 8M: exit $rc, expected 1; stderr: $err"
elif [ "$(grep -c 'tigris: error:' "$work/below.err")" -ne 1 ] || [ "$(grep -c . "$work/below.err")" -ne 1 ]; then
  fail "compile -m $below -m 8M: expected exactly one 'tigris: error:' line, got: $err"
elif ! grep -Eq "node '[^']+' \([A-Za-z0-9_]+\)|fragmentation" "$work/below.err"; then
  fail "compile -m $below -m 8M: error does not name the node and op: $err"
elif ! grep -Eq "[0-9]+(\.[0-9]+)? ?(bytes|B|KiB|MiB)" "$work/below.err"; then
  fail "compile -m $below -m 8M: error has no byte count: $err"
else
  pass "compile -m $below -m 8M exits 1: $err"
fi
if ls -A "$work" | grep -Eq '^(below\.tgrs|\..*\.tmp)$'; then
  fail "compile -m $below -m 8M left a file behind: $(ls -A "$work")"
else
  pass "compile below the minimum leaves no output file"
fi

# --- analyze --json: PASS at the untiled arena with a slow pool, FAIL below the minimum
"$tigris" analyze "$model" -m "$arena" -m 64M --json >"$work/pass.json" 2>"$work/pass.err"
rc=$?
if [ "$rc" -ne 0 ]; then
  fail "analyze -m $arena -m 64M --json: exit $rc, expected 0; stderr: $(cat "$work/pass.err")"
elif [ "$(json_field "$work/pass.json" "r['sram_fits']")" != True ]; then
  fail "analyze -m $arena -m 64M --json: exit 0 but sram_fits is not true"
else
  pass "analyze -m $arena -m 64M --json exits 0 (PASS)"
fi

# The tightest budget of the committed table for this model: partitioned, so it must PASS and compile.
if [ -n "$table" ] && [ -f "$table" ]; then
  tight=$(awk -v m="$name" '$1 == m && $3 != "untiled" && $6 > 1 { print $3 }' "$table" | sort -n | head -1)
  if [ -z "$tight" ]; then
    echo "note: $table has no partitioned row for $name"
  else
    "$tigris" analyze "$model" -m "$tight" -m 64M --json >"$work/tight.json" 2>"$work/tight.err"
    rc=$?
    stages=$(json_field "$work/tight.json" "r['stages']" 2>/dev/null)
    if [ "$rc" -ne 0 ]; then
      fail "analyze -m $tight -m 64M --json: exit $rc, expected 0; stderr: $(cat "$work/tight.err")"
    elif [ -z "$stages" ] || [ "$stages" -le 1 ]; then
      fail "analyze -m $tight -m 64M --json: expected a partitioned report (stages > 1), got '$stages'"
    else
      pass "analyze -m $tight -m 64M --json exits 0 (PASS, $stages stages)"
    fi
    "$tigris" compile "$model" -m "$tight" -m 64M -o "$work/tight.tgrs" >"$work/tight.out" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ] || [ ! -s "$work/tight.tgrs" ]; then
      fail "compile -m $tight -m 64M: exit $rc or no plan: $(cat "$work/tight.out")"
    else
      pass "compile -m $tight -m 64M writes the plan: $(tr '\n' ' ' <"$work/tight.out")"
    fi
  fi
fi

"$tigris" analyze "$model" -m "$below" -m 64M --json >"$work/fail.json" 2>"$work/fail.err"
rc=$?
if [ "$rc" -ne 1 ]; then
  fail "analyze -m $below -m 64M --json: exit $rc, expected 1; stderr: $(cat "$work/fail.err")"
elif [ "$(json_field "$work/fail.json" "r['sram_fits']" 2>/dev/null)" != False ]; then
  fail "analyze -m $below -m 64M --json: exit 1 but stdout is not a report with sram_fits false: $(cat "$work/fail.json" "$work/fail.err")"
else
  pass "analyze -m $below -m 64M --json exits 1 (FAIL)"
fi

# --- temporal partitioning alone cannot go below the largest op
if [ "$min_fast" -gt 16 ]; then
  "$tigris" compile "$model" -m $((min_fast - 16)) -m 8M --no-tiling -o "$work/notile.tgrs" >"$work/notile.out" 2>"$work/notile.err"
  rc=$?
  if [ "$rc" -ne 1 ] || ! grep -q "needs spatial tiling" "$work/notile.err"; then
    fail "compile --no-tiling -m $((min_fast - 16)): exit $rc, expected 1 saying the op needs tiling: $(cat "$work/notile.err")"
  else
    pass "compile --no-tiling below the largest op exits 1: $(cat "$work/notile.err")"
  fi
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "cli_budget: all passed"
