#!/usr/bin/env bash
# The README's test command: builds everything and runs every module's tests (unit, machine and conformance).
# Tests that need /dev/kvm (or apt, cc, QEMU) run where those are usable; elsewhere they are skipped, and the
# reasons are listed at the end.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/scripts/jdk.sh"
cd "$here"
rm -f */target/skipped-tests.txt
./mvnw -B -ntp verify "$@"
rc=$?
# List every skipped test with its reason (written by common's SkipReasonListener).
if ls */target/skipped-tests.txt >/dev/null 2>&1; then
  echo "Skipped tests and why:"
  sed 's/^/  /' */target/skipped-tests.txt
fi
exit $rc
