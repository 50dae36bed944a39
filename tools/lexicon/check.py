#!/usr/bin/env python3
"""Check the plan sections of index/lexicon/synonyms.txt and glossary_en.txt.

Usage, from the repository root:

    python3 tools/lexicon/check.py [--plan seeds/fujian-2021-quality/fujian-2021-quality-workpoints.txt]

It checks the sections written for one plan (SYNONYM_SECTIONS and
GLOSSARY_SECTIONS below) and exits 1 when any entry fails:

synonyms.txt, each entry "typed target target ...":
  - a typed word and at least one target; no target repeats the typed word
    or another target of the line;
  - no typed word twice in the section (one line holds all its targets),
    nor in a checked section before it (the reader merges the targets of
    both lines, so the later one is a duplicate to fold into the first);
  - every target occurs verbatim in the plan text;
  - the typed word does not occur in the plan (the search finds the plan's
    own words without an entry; ALLOWED_IN_PLAN lists the deliberate
    exceptions, words the plan uses only in another sense);
  - the typed word has no upper-case ASCII letter (questions are folded to
    lower case before they are cut into words) and is not ASCII letters
    only (an English word goes to the glossary).

glossary_en.txt, each entry "english = 中文" after the section's marker
comment ("# [name] ..."; the file's reader has no sections):
  - one Chinese target, occurring verbatim in the plan;
  - the English is lower case, one to four words of letters, hyphens and
    apostrophes (the words a question is read in; index/english.go looks
    phrases up to four words long), neither first nor last word an English
    function word of stop_en.txt (a phrase is never looked up from or up to
    one);
  - no English twice in the section, nor already in the file before it
    (the later line would silently replace the earlier), compared in the
    forms the reader looks a word up in (plural, -ise/-ize).

Nothing here runs at build or test time; run it after editing the files.
"""

import argparse
import re
import sys
from pathlib import Path

SYNONYM_SECTIONS = ["plan-2021-colloquial", "plan-2021-colloquial-2"]
GLOSSARY_SECTIONS = ["plan-2021-en", "plan-2021-en-2"]

# Typed words that occur in the plan only in another sense, where the entry
# is wanted: 溯源 stands in the plan only in 量传溯源 (metrology), people
# type it for traceability (追溯); 品管 only across a word break in 药品管理法
# and 高企 in 提高企业, where people mean 质量管理 and 高新技术企业.
ALLOWED_IN_PLAN = {"溯源", "品管", "高企"}

ROOT = Path(__file__).resolve().parents[2]
LEXICON = ROOT / "index" / "lexicon"

ENGLISH_WORD = re.compile(r"^[a-z][a-z'-]*$")
MAX_PHRASE_WORDS = 4


def read_lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def synonym_sections(path):
    """Yield (section, line number, fields) for the entries of synonyms.txt."""
    section = ""
    for n, line in enumerate(read_lines(path), 1):
        l = line.strip()
        if not l or l.startswith("#"):
            continue
        if l.startswith("[") and l.endswith("]"):
            section = l[1:-1].strip()
            continue
        yield section, n, l.split()


def singular(w):
    # singularEnglish in index/cedict.go
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def american(w):
    # americanEnglish in index/cedict.go, for one word
    if len(w) < 6:
        return w
    for a, b in (("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"),
                 ("ises", "izes"), ("ising", "izing"), ("our", "or"), ("ours", "ors"),
                 ("tre", "ter"), ("tres", "ters")):
        if w.endswith(a):
            return w[: -len(a)] + b
    return w


def english_key(en):
    """The form two keys are compared in: every word singular, American,
    hyphens as spaces."""
    words = en.replace("-", " ").split()
    return " ".join(american(singular(w)) for w in words)


def check_synonyms(plan, errors):
    path = LEXICON / "synonyms.txt"
    counts = {s: 0 for s in SYNONYM_SECTIONS}
    seen = {s: {} for s in SYNONYM_SECTIONS}
    for section, n, fields in synonym_sections(path):
        if section not in counts:
            continue
        counts[section] += 1
        where = f"synonyms.txt:{n}"
        if len(fields) < 2:
            errors.append(f"{where}: want a typed word and at least one target, got {fields!r}")
            continue
        typed, targets = fields[0], fields[1:]
        if typed in seen[section]:
            errors.append(f"{where}: typed word {typed} already at line {seen[section][typed]}")
        else:
            seen[section][typed] = n
        for earlier in SYNONYM_SECTIONS[: SYNONYM_SECTIONS.index(section)]:
            if typed in seen[earlier]:
                errors.append(f"{where}: typed word {typed} already in [{earlier}] at line {seen[earlier][typed]}")
        if typed in plan and typed not in ALLOWED_IN_PLAN:
            errors.append(f"{where}: typed word {typed} occurs in the plan (needs no entry)")
        if re.search(r"[A-Z]", typed):
            errors.append(f"{where}: typed word {typed} has upper-case letters (questions are lower-cased)")
        if re.fullmatch(r"[A-Za-z'-]+", typed):
            errors.append(f"{where}: typed word {typed} is English (put it in glossary_en.txt)")
        done = set()
        for t in targets:
            if t == typed or t in done:
                errors.append(f"{where}: target {t} repeated")
            done.add(t)
            if t not in plan:
                errors.append(f"{where}: target {t} does not occur in the plan")
    for s, c in counts.items():
        if c == 0:
            errors.append(f"synonyms.txt: section [{s}] missing or empty")
    return counts


def check_glossary(plan, errors):
    path = LEXICON / "glossary_en.txt"
    stop = {l.strip() for l in read_lines(LEXICON / "stop_en.txt") if l.strip() and not l.startswith("#")}
    counts = {s: 0 for s in GLOSSARY_SECTIONS}
    before = {}  # english key -> line, entries outside the checked sections
    section = ""
    seen = {s: {} for s in GLOSSARY_SECTIONS}
    marker = re.compile(r"^#\s*\[([^\]]+)\]")
    for n, line in enumerate(read_lines(path), 1):
        l = line.strip()
        m = marker.match(l)
        if m:
            section = m.group(1).strip()
            continue
        if not l or l.startswith("#"):
            continue
        en, sep, zh = l.partition(" = ")
        en, zh = en.strip(), zh.strip()
        where = f"glossary_en.txt:{n}"
        if section not in counts:
            if sep:
                before.setdefault(english_key(en.lower()), n)
            continue
        counts[section] += 1
        if not sep or not en or not zh:
            errors.append(f'{where}: want "english = 中文", got {l!r}')
            continue
        words = en.split()
        if en != en.lower():
            errors.append(f"{where}: {en!r} is not lower case")
        if not 1 <= len(words) <= MAX_PHRASE_WORDS:
            errors.append(f"{where}: {en!r} has {len(words)} words (1 to {MAX_PHRASE_WORDS})")
        bad = [w for w in words if not ENGLISH_WORD.match(w)]
        if bad:
            errors.append(f"{where}: {en!r} has words a question is not read in: {bad}")
        if words and (words[0] in stop or words[-1] in stop):
            errors.append(f"{where}: {en!r} starts or ends with a function word of stop_en.txt")
        if " " in zh or "=" in zh:
            errors.append(f"{where}: want one Chinese target, got {zh!r}")
        elif zh not in plan:
            errors.append(f"{where}: target {zh} does not occur in the plan")
        k = english_key(en.lower())
        if k in seen[section]:
            errors.append(f"{where}: {en!r} already at line {seen[section][k]}")
        else:
            seen[section][k] = n
        if k in before:
            errors.append(f"{where}: {en!r} already at line {before[k]} (this line would replace it)")
    for s, c in counts.items():
        if c == 0:
            errors.append(f"glossary_en.txt: section [{s}] missing or empty")
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plan", default=str(ROOT / "seeds" / "fujian-2021-quality" / "fujian-2021-quality-workpoints.txt"))
    args = ap.parse_args()
    plan = Path(args.plan).read_text(encoding="utf-8")
    errors = []
    syn = check_synonyms(plan, errors)
    glo = check_glossary(plan, errors)
    for e in errors:
        print(e)
    for s, c in syn.items():
        print(f"synonyms.txt [{s}]: {c} entries")
    for s, c in glo.items():
        print(f"glossary_en.txt [{s}]: {c} entries")
    if errors:
        print(f"FAIL: {len(errors)} problems")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
