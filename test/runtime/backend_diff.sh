#!/usr/bin/env bash
# Compiles MODEL at BUDGET (pools joined by '+') and runs backend_diff on the plan with two input
# seeds: every output of the ESP-NN backend byte-identical to the reference backend's, and at least
# MIN_CALLS kernel calls on the vendor path.
# Usage: backend_diff.sh TIGRIS BACKEND_DIFF MODEL BUDGET MIN_CALLS WORK
set -euo pipefail
tigris=$1 diff=$2 model=$3 budget=$4 min_calls=$5 work=$6
rm -rf "$work" && mkdir -p "$work"
pools=()
IFS=+ read -ra parts <<< "$budget"
for b in "${parts[@]}"; do pools+=(-m "$b"); done
"$tigris" compile "$model" "${pools[@]}" --xip -o "$work/plan.tgrs" > "$work/compile.log"
for seed in 1 2; do "$diff" "$work/plan.tgrs" "$seed" "$min_calls"; done
