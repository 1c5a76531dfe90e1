# Shared helpers for the set-up and test scripts: idempotent Debian package installs.
# Sourced, not executed. Installs only what is missing; runs apt-get update only when needed.

# Packages to build the compiler and run the demo.
TIGRIS_BUILD_PACKAGES="ca-certificates build-essential cmake ninja-build pkg-config git
  libonnx-dev libprotobuf-dev protobuf-compiler liblz4-dev libspdlog-dev libfmt-dev libcxxopts-dev
  nlohmann-json3-dev
  python3 python3-onnx python3-numpy"
# Additional packages the test suite needs: GoogleTest/benchmark, the onnxruntime oracle
# (Node.js + npm), ONNX's conformance data, the Cortex-M cross compiler and QEMU for the on-target
# tests, headless Chromium with a fixed font for the HTML report tests, file + dpkg-dev
# (dpkg-shlibdeps) for cpack -G DEB, and clang with its libFuzzer runtime for the plan loader
# fuzz test, and python3-yaml for the ESP-IDF component check (its idf_component.yml).
TIGRIS_TEST_PACKAGES="libgtest-dev libgmock-dev libbenchmark-dev nodejs npm libonnx-testdata
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm chromium fonts-dejavu-core file dpkg-dev
  clang libclang-rt-14-dev python3-yaml"

# tigris_vendor_arg CACHE_VAR DIR MARKER WHAT SKIPPED: prints -DCACHE_VAR=DIR when DIR/MARKER
# exists (a vendor checkout the tests read in place), else says on stderr that SKIPPED is skipped.
tigris_vendor_arg() {
  if [ -f "$2/$3" ]; then
    printf '%s\n' "-D$1=$2"
  else
    echo "==> no $4 at $2: $5 will be skipped" >&2
  fi
}

tigris_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# tigris_apt_install PKG... : installs the missing ones.
tigris_apt_install() {
  local missing=""
  for p in "$@"; do
    # Node.js may come from elsewhere (e.g. NodeSource, whose nodejs bundles npm and conflicts
    # with Debian's npm): a working command is as good as the package.
    case "$p" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $p"
    fi
  done
  if [ -n "$missing" ]; then
    echo "==> installing:$missing"
    tigris_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    tigris_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  fi
}

tigris_jobs() {
  nproc 2>/dev/null || echo 2
}
