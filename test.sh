#!/usr/bin/env bash
# The README's test command: builds everything and runs every module's tests (unit, machine and conformance).
# Tests that need /dev/kvm (or apt, cc, QEMU) run where those are usable; elsewhere they are skipped, and the
# reasons are listed at the end.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/scripts/jdk.sh"
cd "$here"
./mvnw -B -ntp verify "$@"
rc=$?
# List every skipped test with its reason, from the Surefire XML reports.
python3 - <<'PY' 2>/dev/null || grep -ho 'skipped message="[^"]*"' */target/surefire-reports/TEST-*.xml 2>/dev/null | sort | uniq -c
import glob, xml.etree.ElementTree as ET
rows = []
for f in sorted(glob.glob("*/target/surefire-reports/TEST-*.xml")):
    for tc in ET.parse(f).getroot().iter("testcase"):
        s = tc.find("skipped")
        if s is not None:
            rows.append((tc.get("classname", "").split(".")[-1] + " " + tc.get("name", ""), s.get("message", "")))
if rows:
    print("Skipped tests and why:")
    for name, why in rows:
        print(f"  {name}: {why}")
PY
exit $rc
