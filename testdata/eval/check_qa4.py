#!/usr/bin/env python3
"""Check the gold answers of qa4.jsonl against the plan document (standard library only).

usage: check_qa4.py [qa4.jsonl] [workpoints.txt]

- lead / joint / involved: re-derived from each item's responsibility parenthesis for the agencies in the
  `agency` field (union), restricted to `span` [a, b] when given; must equal `expect`; `nice` must not overlap.
- who: the agencies of the parentheses of the items in `items`, minus `exclude`, must equal `expect`.
- target: `value` must stand verbatim in `item`, and `also` must be exactly the other items holding it.
- search: every expected item must hold the term given in `terms` (which the note quotes); for an empty
  answer every `absent` term must be missing from the whole document.
- meta: `value` must stand in the cover letter or the opening paragraph (the text before item 1).
Exit 0 when everything holds.
"""
import json, os, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SET = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "qa4.jsonl")
DOC = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    HERE, "..", "..", "seeds", "fujian-2021-quality", "fujian-2021-quality-workpoints.txt")

EQUIV = [
    {"省海洋与渔业局", "省海洋渔业局", "海洋与渔业局"},
    {"省药品监管局", "药监局", "省药监局"},
    {"省烟草局", "省烟草专卖局"},
    {"福建证监局", "福建证监会"},
    {"省地方金融监督管理局", "金融管理局"},
    {"福建省税务局", "省税务局"},
    {"中国人民银行福州中心支行", "人行福州中心支行"},
]


def canon(name):
    name = unicodedata.normalize("NFKC", name).strip()
    for group in EQUIV:
        if name in group:
            return sorted(group)[0]
    if not name.startswith(("省", "福建", "厦门", "福州", "中国", "团省委")) and name.endswith(("厅", "局", "委")):
        name = "省" + name
    return name


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def is_en(q):
    return len(re.findall(r"[A-Za-z]", q)) > len(re.findall(r"[\u4e00-\u9fff]", q))


text = open(DOC, encoding="utf-8").read()
items = {int(m.group(1)): m.group(2) for m in re.finditer(r"^(\d+)\.\s*(.*)$", text, re.M)}
assert sorted(items) == list(range(1, 72)), "expected items 1..71"
preamble = text[:re.search(r"^1\.", text, re.M).start()]

LEAD, JOINT = {}, {}
for n, body in items.items():
    paren = re.findall(r"[(（]([^()（）]*)[)）]", body)[-1]
    m = re.match(r"\s*牵头单位\s*[:：∶]\s*(.+?)\s*$", paren)
    if m:
        LEAD[n], JOINT[n] = {canon(m.group(1))}, set()
        continue
    m = re.match(r"(.+?)(?:等单位)?按(?:照)?职责落实\s*$", paren)
    assert m, f"item {n}: cannot read parenthesis {paren!r}"
    LEAD[n], JOINT[n] = set(), {canon(a) for a in m.group(1).split("、")}

errors = []
cases = [json.loads(l) for l in open(SET, encoding="utf-8") if l.strip()]
ids = Counter(c["id"] for c in cases)
errors += [f"duplicate id {i}" for i, k in ids.items() if k > 1]
for c in cases:
    cid, kind, exp = c["id"], c["kind"], c["expect"]
    bad = lambda msg: errors.append(f"{cid} ({kind}) {c['q']!r}: {msg}")
    if not c.get("note"):
        bad("no note")
    nice = set(c.get("nice", []))
    if kind in ("lead", "joint", "involved", "search", "item") and exp != sorted(set(exp)):
        bad("expect not a sorted list of distinct items")
    if kind in ("lead", "joint", "involved", "search") and nice & set(exp):
        bad(f"nice {sorted(nice & set(exp))} overlaps expect")
    if kind in ("lead", "joint", "involved"):
        ags = {canon(a) for a in c["agency"]}
        lo, hi = c.get("span", [1, 71])
        got = []
        for n in range(lo, hi + 1):
            roles = (LEAD[n] if kind != "joint" else set()) | (JOINT[n] if kind != "lead" else set())
            if roles & ags:
                got.append(n)
        if got != exp:
            bad(f"derived {got} != expect {exp}")
    elif kind == "who":
        want = set().union(*(LEAD[n] | JOINT[n] for n in c["items"])) - {canon(a) for a in c.get("exclude", [])}
        if want != {canon(a) for a in exp}:
            bad(f"derived {sorted(want)} != expect {exp}")
    elif kind == "target":
        v = norm(exp["value"])
        if v not in norm(items[exp["item"]]):
            bad(f"value {exp['value']!r} not in item {exp['item']}")
        holders = sorted(n for n in items if n != exp["item"] and v in norm(items[n]))
        if holders != sorted(exp.get("also", [])):
            bad(f"also {exp.get('also')} != items holding the value {holders}")
        if re.search(r"第\s*\d+\s*条|#\d+|\bitem\s*\d+|^\d+\b", c["q"], re.I):
            bad("target question names an item number")
    elif kind == "search":
        terms = c.get("terms", {})
        for n in exp:
            t = terms.get(str(n))
            if not t:
                bad(f"no term for item {n}")
            elif t not in items[n]:
                bad(f"term {t!r} not in item {n}")
            elif t not in c["note"]:
                bad(f"term {t!r} not quoted in note")
        if not exp:
            if not c.get("absent"):
                bad("empty answer without `absent` terms")
            for t in c.get("absent", []):
                if t in text:
                    bad(f"absent term {t!r} occurs in the document")
    elif kind == "item":
        if len(exp) != 1 or exp[0] not in items:
            bad("item expect must be one existing item")
    elif kind == "meta":
        if norm(exp["value"]) not in norm(preamble):
            bad(f"value {exp['value']!r} not in the cover letter/opening")
    else:
        bad("unknown kind")

table = Counter((c["kind"], "en" if is_en(c["q"]) else "zh") for c in cases)
for k in sorted({k for k, _ in table}):
    print(f"{k:9s} zh={table[(k, 'zh')]:3d} en={table[(k, 'en')]:3d} all={table[(k, 'zh')] + table[(k, 'en')]:3d}")
en = sum(v for (k, l), v in table.items() if l == "en")
print(f"total {len(cases)}  en {en} ({100 * en / len(cases):.0f}%)")
for e in errors:
    print("ERROR", e)
print("OK" if not errors else f"{len(errors)} error(s)")
sys.exit(1 if errors else 0)
