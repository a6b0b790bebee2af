#!/usr/bin/env python3
"""Checks the `sluicectl scan` contract of issue 3 that other tools depend on.

  check_cli.py SLUICECTL

--jsonl: one output line per input line, in order, keys id/verdict/findings in that order,
findings {type, start, end, score} with byte offsets into the UTF-8 payload (end exclusive);
a malformed line yields an error line for that id and the run goes on with exit status 1.
FILE mode: a report with masked excerpts that never contains the raw value.
"""
import json
import os
import subprocess
import sys
import tempfile

TYPES = {"NAME", "ADDRESS", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN",
         "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC", "IMAGE", "ID"}


def fail(message):
    print("check_cli: FAIL: " + message)
    sys.exit(1)


def main():
    ctl = sys.argv[1]
    payload_phi = "Ünïcode first: patient SSN 536-22-1234, email jane.doe@example.org"
    lines = [
        json.dumps({"id": "one", "payload": payload_phi}, ensure_ascii=False),
        "this is not json",
        json.dumps({"id": "two", "payload": "What is the capital of France?"}),
        json.dumps({"id": "three"}),
        json.dumps({"id": 4, "payload": "x"}),
        json.dumps({"id": "five", "payload": "MRN: 00482913"}),
    ]
    run = subprocess.run([ctl, "scan", "--jsonl", "-"], input="\n".join(lines).encode() + b"\n",
                         capture_output=True, check=False)
    out = run.stdout.decode().splitlines()
    if run.returncode != 1:
        fail(f"exit status {run.returncode}, want 1 when a line is malformed")
    if len(out) != len(lines):
        fail(f"{len(out)} output lines for {len(lines)} input lines")
    rows = [json.loads(line) for line in out]
    if list(rows[0].keys()) != ["id", "verdict", "findings"]:
        fail(f"key order {list(rows[0].keys())}")
    if rows[0]["id"] != "one" or rows[0]["verdict"] != "phi":
        fail(f"first line {rows[0]}")
    raw = payload_phi.encode()
    spans = {(f["type"], raw[f["start"]:f["end"]].decode()) for f in rows[0]["findings"]}
    for want in (("SSN", "536-22-1234"), ("EMAIL", "jane.doe@example.org")):
        if want not in spans:
            fail(f"{want} not found at its UTF-8 byte offsets: {spans}")
    for f in rows[0]["findings"]:
        if list(f.keys()) != ["type", "start", "end", "score"] or f["type"] not in TYPES:
            fail(f"finding shape {f}")
        if not (0 <= f["start"] < f["end"] <= len(raw)) or not 0 <= f["score"] <= 1:
            fail(f"finding range {f}")
    if "error" not in rows[1] or rows[1]["id"] is not None:
        fail(f"malformed JSON line gave {rows[1]}")
    if rows[2] != {"id": "two", "verdict": "clean", "findings": []}:
        fail(f"clean line gave {rows[2]}")
    if "error" not in rows[3] or rows[3]["id"] != "three":
        fail(f"missing payload gave {rows[3]}")
    if "error" not in rows[4]:
        fail(f"non-string id gave {rows[4]}")
    if rows[5]["verdict"] != "phi":
        fail(f"line after errors gave {rows[5]}")

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("Patient SSN 536-22-1234, call (217) 555-0143\n")
        path = f.name
    try:
        report = subprocess.run([ctl, "scan", path], capture_output=True, check=False)
        text = report.stdout.decode()
        if report.returncode != 1 or "SSN" not in text or "***-**-1234" not in text:
            fail(f"report (exit {report.returncode}): {text}")
        if "536-22-1234" in text or "555-0143" in text:
            fail("report carries a raw value")
    finally:
        os.unlink(path)
    # A person's details with no word of health are no PHI by default; --identifiers all
    # reports them; a wrong value is refused with exit status 2.
    w2 = json.dumps({"id": "w2", "payload": "My W-2 shows SSN 536-22-1234, fix it"}) + "\n"
    for flags, verdict in (([], "clean"), (["--identifiers", "all"], "phi")):
        out = subprocess.run([ctl, "scan", *flags, "--jsonl", "-"], input=w2.encode(),
                             capture_output=True, check=False)
        got = json.loads(out.stdout.decode())
        if got["verdict"] != verdict:
            fail(f"W-2 line with {flags} gave {got}")
    bad = subprocess.run([ctl, "scan", "--identifiers", "some", "--jsonl", "-"], input=w2.encode(),
                         capture_output=True, check=False)
    if bad.returncode != 2 or b"--identifiers 'some' must be health or all" not in bad.stderr:
        fail(f"--identifiers some gave exit {bad.returncode}: {bad.stderr}")
    print("check_cli: every contract check passed")


if __name__ == "__main__":
    main()
