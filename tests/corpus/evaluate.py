#!/usr/bin/env python3
"""Scores `sluicectl scan --jsonl` against a labelled corpus from generate.py.

  evaluate.py --sluicectl build/cli/sluicectl --corpus corpus.jsonl [--check] [--show N]
  evaluate.py --sluicectl build/cli/sluicectl --seed 20261129 --count 1000 --check

With --seed the corpus is generated on the fly by generate.py (same directory). CI uses a
held-out seed that is not used while tuning the scanner.

Metrics (issue 3 goals in brackets, asserted with --check):
  request recall   share of requests with PHI whose verdict is "phi"           [>= 0.99]
  false-positive   share of requests without PHI whose verdict is "phi"        [<= 0.02]
  entity recall    share of labelled entities overlapped by some finding       [>= 0.95]
  type accuracy    share of found entities where an overlapping finding has
                   the labelled type                                           [>= 0.90]
Also prints per-type recall and the findings that overlap no label (spurious), which are
not a goal of the issue but show where precision is lost.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

GOALS = {"request_recall": (">=", 0.99), "false_positive_rate": ("<=", 0.02),
         "entity_recall": (">=", 0.95), "type_accuracy": (">=", 0.90)}


def overlaps(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sluicectl", required=True)
    ap.add_argument("--corpus", help="labelled JSONL from generate.py")
    ap.add_argument("--seed", type=int, help="generate the corpus with this seed instead")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("--show", type=int, default=0, help="print N misses of each kind")
    args = ap.parse_args()

    if args.seed is not None:
        here = os.path.dirname(os.path.abspath(__file__))
        gen = subprocess.run([sys.executable, os.path.join(here, "generate.py"), "--seed",
                              str(args.seed), "--count", str(args.count)],
                             capture_output=True, check=True)
        corpus_lines = gen.stdout.decode().splitlines()
        args.corpus = f"generate.py --seed {args.seed} --count {args.count}"
    elif args.corpus:
        corpus_lines = open(args.corpus, encoding="utf-8").read().splitlines()
    else:
        sys.exit("give --corpus FILE or --seed N")
    labelled = [json.loads(line) for line in corpus_lines if line.strip()]
    request = "".join(json.dumps({"id": d["id"], "payload": d["payload"]}) + "\n"
                      for d in labelled)
    run = subprocess.run([args.sluicectl, "scan", "--jsonl", "-"], input=request.encode(),
                         capture_output=True, check=False)
    lines = run.stdout.decode().splitlines()
    if run.returncode != 0 or len(lines) != len(labelled):
        sys.exit(f"sluicectl failed (exit {run.returncode}, {len(lines)} lines for "
                 f"{len(labelled)} inputs): {run.stderr.decode()[:500]}")
    results = [json.loads(line) for line in lines]

    pos = neg = tp_req = fp_req = 0
    entities = found = typed = spurious = 0
    per_type = collections.defaultdict(lambda: [0, 0])
    misses, wrong_types, false_alarms = [], [], []
    for doc, res in zip(labelled, results):
        if res["id"] != doc["id"]:
            sys.exit(f"out of order: {res['id']} for {doc['id']}")
        payload = doc["payload"].encode()
        phi = bool(doc["entities"])
        flagged = res["verdict"] == "phi"
        if phi:
            pos += 1
            tp_req += flagged
        else:
            neg += 1
            fp_req += flagged
            if flagged:
                false_alarms.append((doc["id"], [(f["type"], payload[f["start"]:f["end"]].decode(
                    errors="replace")) for f in res["findings"]]))
        for e in doc["entities"]:
            entities += 1
            per_type[e["type"]][0] += 1
            hits = [f for f in res["findings"] if overlaps(e, f)]
            if hits:
                found += 1
                per_type[e["type"]][1] += 1
                if any(f["type"] == e["type"] for f in hits):
                    typed += 1
                else:
                    wrong_types.append((e["type"], [f["type"] for f in hits],
                                        payload[e["start"]:e["end"]].decode()))
            else:
                misses.append((e["type"], payload[e["start"]:e["end"]].decode(), doc["id"]))
        for f in res["findings"]:
            if not any(overlaps(e, f) for e in doc["entities"]):
                spurious += 1

    metrics = {
        "request_recall": tp_req / pos if pos else 1.0,
        "false_positive_rate": fp_req / neg if neg else 0.0,
        "entity_recall": found / entities if entities else 1.0,
        "type_accuracy": typed / found if found else 1.0,
    }
    print(f"corpus {args.corpus}: {len(labelled)} requests ({pos} with PHI, {neg} without), "
          f"{entities} entities, {spurious} spurious findings")
    failed = []
    for key, value in metrics.items():
        op, goal = GOALS[key]
        ok = value >= goal if op == ">=" else value <= goal
        failed += [] if ok else [key]
        print(f"  {key:20s} {value:.4f}  (goal {op} {goal})  {'ok' if ok else 'MISSED'}")
    print("  per-type entity recall: " + ", ".join(
        f"{t} {v[1]}/{v[0]}" for t, v in sorted(per_type.items())))
    if args.show:
        for title, rows in (("missed entities", misses), ("wrong types", wrong_types),
                            ("false alarms", false_alarms)):
            print(f"{title} ({len(rows)}):")
            for row in rows[:args.show]:
                print("   ", row)
    if args.check and failed:
        print("goals missed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
