#!/usr/bin/env bash
# The README's test command: builds everything and runs every module's tests (unit, machine and conformance).
# Tests that need /dev/kvm run where it is usable and are reported as skipped, with the reason, elsewhere.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/scripts/jdk.sh"
cd "$here"
exec ./mvnw -B -ntp verify "$@"
