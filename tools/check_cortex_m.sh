#!/usr/bin/env bash
# Cross-compiles every C file of the kernels and the runtime for a Cortex-M4F (hard float) with
# the project's strict C99 warnings as errors; exits nonzero on any warning or error. CI runs it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cc="${ARM_CC:-arm-none-eabi-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "check_cortex_m: $cc not found" >&2
  exit 2
fi

flags=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -std=c99 -Wall -Wextra -pedantic
       -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -O2 -I"$root/include")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

shopt -s nullglob
files=("$root"/src/kernels/*.c "$root"/src/runtime/*.c)
if [ ${#files[@]} -eq 0 ]; then
  echo "check_cortex_m: no sources found" >&2
  exit 1
fi

failed=0
for f in "${files[@]}"; do
  rel="${f#"$root"/}"
  # -Werror turns warnings into errors; also fail if the compiler printed anything at all.
  if ! msg="$("$cc" "${flags[@]}" -c "$f" -o "$out/$(basename "$f").o" 2>&1)" || [ -n "$msg" ]; then
    echo "FAIL $rel"
    [ -n "$msg" ] && echo "$msg"
    failed=1
  else
    echo "ok   $rel"
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "check_cortex_m: FAILED"
  exit 1
fi
echo "check_cortex_m: all ${#files[@]} files clean"
