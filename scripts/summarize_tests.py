#!/usr/bin/env python3
"""Sums JUnit XML results (lit, pytest, conformance) into one closing line:
`N passed, N failed, N skipped`, after the failed test cases (at most 30,
with their messages' first line). Exits 1 when anything failed or no test
ran."""
import sys
import xml.etree.ElementTree as ET

SHOWN = 30
passed = failed = skipped = 0
failures = []
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print("cannot read %s: %s" % (path, e))
        failed += 1
        continue
    for case in root.iter("testcase"):
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is not None:
            failed += 1
            message = (bad.get("message") or bad.text or "").strip().splitlines()
            failures.append("%s %s: %s" % (case.get("classname", ""), case.get("name", ""),
                                           message[0][:300] if message else bad.tag))
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
if failures:
    print("failed:")
    for f in failures[:SHOWN]:
        print("  " + f)
    if len(failures) > SHOWN:
        print("  ... and %d more" % (len(failures) - SHOWN))
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed or not passed else 0)
