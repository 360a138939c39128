#!/bin/sh
# Runs the whole test suite from a clean build: installs missing packages,
# builds modvirt twice (normal, and with AddressSanitizer + UBSan), runs the
# unit tests of both builds and the integration tests against both builds'
# daemons, then prints one summary line "N passed, N failed[, N skipped]".
# Exits non-zero if anything failed.  Each pytest pass is bounded to 20
# minutes, so a hung test fails the run instead of stalling it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

"$top/scripts/install-deps.sh" || { echo "error: installing packages failed"; exit 1; }

results="$top/build-test-results"
rm -rf "$results" "$top/build" "$top/build-asan"
mkdir -p "$results"

status=0
echo "== build (normal)"
if ! { meson setup "$top/build" >"$results/setup.log" 2>&1 && ninja -C "$top/build"; }; then
    cat "$results/setup.log"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "== build (address,undefined sanitizers)"
if ! { meson setup "$top/build-asan" -Db_sanitize=address,undefined -Db_lundef=false \
          >"$results/setup-asan.log" 2>&1 && ninja -C "$top/build-asan"; }; then
    cat "$results/setup-asan.log"
    echo "0 passed, 1 failed"
    exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions="$top/tests/lsan.supp"

echo "== unit tests"
meson test -C "$top/build" --suite unit --print-errorlogs --num-processes 2 || status=1
echo "== unit tests (sanitizers)"
meson test -C "$top/build-asan" --suite unit --print-errorlogs --num-processes 2 || status=1

echo "== integration tests"
MODVIRT_BUILD_DIR="$top/build" timeout -k 10 1200 /usr/bin/python3 -m pytest -q -rs -p no:cacheprovider \
    --junitxml="$results/integration.xml" "$top/tests/integration" || status=1
echo "== integration tests (sanitizer build of the daemons)"
MODVIRT_BUILD_DIR="$top/build-asan" MODVIRT_SANITIZED=1 \
    MODVIRT_CLIENT_LIB_BUILD_DIR="$top/build" timeout -k 10 1200 /usr/bin/python3 -m pytest -q -rs \
    -p no:cacheprovider \
    --junitxml="$results/integration-asan.xml" "$top/tests/integration" || status=1

/usr/bin/python3 "$top/tests/lib/summary.py" \
    "$top/build/meson-logs/testlog.json" "$top/build-asan/meson-logs/testlog.json" \
    "$results/integration.xml" "$results/integration-asan.xml" || status=1
exit $status
