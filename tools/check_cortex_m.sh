#!/usr/bin/env bash
# Cross-compiles every C file of the kernels and the runtime for a Cortex-M4F (hard float) with
# the project's strict C99 warnings as errors; exits nonzero on any warning or error. CI runs it.
# The integer-only int8 kernels (src/kernels/*_s8.c) must also build for a core without FPU
# (Cortex-M3, soft float) with float-conversion warnings as errors and reference no float routine
# (no __aeabi_f*/__aeabi_d*/libgcc soft-float/libm symbol), and their hard-float objects must
# contain no floating-point instruction (any v*.f16/.f32/.f64; GCC may still move 64-bit integers
# through VFP registers there): an int8 model then needs no float support at all.
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
# The ESP-NN backend needs the library's headers: checked when TIGRIS_ESP_NN_DIR names a checkout.
esp_nn_dir="${TIGRIS_ESP_NN_DIR:-}"
[ -n "$esp_nn_dir" ] && esp_nn_dir="$(cd "$root" && realpath -m "$esp_nn_dir")"
if [ -n "$esp_nn_dir" ] && [ -f "$esp_nn_dir/include/esp_nn.h" ]; then
  files+=("$root"/src/kernels/esp_nn/*.c)
  flags+=(-isystem "$esp_nn_dir/include")
fi
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

nm="${ARM_NM:-arm-none-eabi-nm}"
objdump="${ARM_OBJDUMP:-arm-none-eabi-objdump}"
s8_files=("$root"/src/kernels/*_s8.c)
s8_flags=(-mcpu=cortex-m3 -mthumb -mfloat-abi=soft -std=c99 -Wall -Wextra -pedantic -Werror -Wshadow
          -Wstrict-prototypes -Wmissing-prototypes -fsingle-precision-constant -Wdouble-promotion
          -Wfloat-conversion -O2 -I"$root/include")
# soft-float helpers (__aeabi_fadd, __aeabi_d2iz, __aeabi_i2f, __addsf3, __fixdfsi, ...) and libm
float_syms='^(__aeabi_(f|d|[a-z0-9]*2[fd])|__[a-z]+[sdtx]f[0-9]?|(exp|log|pow|sqrt|floor|ceil|round|rint|nearbyint|trunc|tanh|sin|cos|fabs|fmod|ldexp|frexp)[fl]?)$'
if [ ${#s8_files[@]} -eq 0 ]; then
  echo "check_cortex_m: no int8 kernel sources found" >&2
  failed=1
fi
for f in "${s8_files[@]}"; do
  rel="${f#"$root"/}"
  o="$out/$(basename "$f").soft.o"
  if ! msg="$("$cc" "${s8_flags[@]}" -c "$f" -o "$o" 2>&1)" || [ -n "$msg" ]; then
    echo "FAIL $rel (soft float, no-float warnings)"
    [ -n "$msg" ] && echo "$msg"
    failed=1
    continue
  fi
  bad="$("$nm" -u "$o" | awk '{print $NF}' | grep -E "$float_syms" || true)"
  vfp="$("$objdump" -d "$out/$(basename "$f").o" | grep -E '\bv[a-z]+\.(f16|f32|f64)\b' || true)"
  if [ -n "$bad" ] || [ -n "$vfp" ]; then
    echo "FAIL $rel uses floating point"
    [ -n "$bad" ] && echo "  float routines referenced: $(echo "$bad" | tr '\n' ' ')"
    [ -n "$vfp" ] && echo "$vfp" | head -5
    failed=1
  else
    echo "ok   $rel (integer-only: no float routine or instruction)"
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "check_cortex_m: FAILED"
  exit 1
fi
echo "check_cortex_m: all ${#files[@]} files clean, ${#s8_files[@]} int8 files integer-only"
