#!/usr/bin/env python3
"""Check every gold answer of qa3.jsonl against the document text.

usage: check_qa3.py [--doc PATH] [--set PATH]

The document defaults to $DUBAN_DOC, else /work/shared/seeds/fujian-2021-quality-workpoints.txt, else
seeds/fujian-2021-quality-workpoints.txt in a parent folder. The set defaults to qa3.jsonl next to this script.

What is checked (exit 1 on any failure, 0 when all pass):
- format: ids qa3-001.. in order, known kinds, fields as in dev2.jsonl, sorted item lists in 1..71;
- lead / joint / involved: recomputed from the responsibility parentheses only (`(牵头单位:X)` / `(牵头单位∶X)`,
  `(X、Y按职责落实)` / `按照职责落实`) for the agencies the question names (SPEC below);
- who: the union of the responsible agencies of the items the topic is about (SPEC), each of those items holds
  the topic term, and the note names those items;
- search: each expected item (and each `nice` item) holds the topic or synonym recorded in SPEC, and that term is
  written in the note; for "none" answers the SPEC terms occur nowhere in the document;
- target: the value occurs verbatim in its item (NFKC, whitespace removed); `also` is exactly the other items that
  hold the value; the question names no item number (score.py's pattern);
- meta: the value occurs verbatim in the cover letter or the opening paragraph;
- item: the item holds the phrase in SPEC, and the note quotes it;
- the set: >= 160 questions, >= 1/3 English (score.py's rule), English in every kind, no question repeated
  here or taken over from dev.jsonl, qa.jsonl, qa2.jsonl or dev2.jsonl.
"""
import json, os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def is_en(q):
    return len(re.findall(r"[A-Za-z]", q)) > len(re.findall(r"[\u4e00-\u9fff]", q))


# ---------------------------------------------------------------- document
def find_doc(arg):
    cands = [arg, os.environ.get("DUBAN_DOC"), "/work/shared/seeds/fujian-2021-quality-workpoints.txt"]
    d = HERE
    for _ in range(6):
        d = os.path.dirname(d)
        cands.append(os.path.join(d, "shared", "seeds", "fujian-2021-quality-workpoints.txt"))
        cands.append(os.path.join(d, "seeds", "fujian-2021-quality-workpoints.txt"))
        cands.append(os.path.join(d, "seeds", "fujian-2021-quality", "fujian-2021-quality-workpoints.txt"))
    for c in cands:
        if c and os.path.isfile(c):
            return c
    sys.exit("document not found; pass --doc PATH")


def parse_doc(path):
    head, items = [], {}
    for line in open(path, encoding="utf-8").read().split("\n"):
        m = re.match(r"^\s*(\d+)\s*\.", line)
        if m and int(m.group(1)) == len(items) + 1:
            items[int(m.group(1))] = line
        elif not items:
            head.append(line)
        elif line.strip():
            items[len(items)] += line
    if len(items) != 71:
        sys.exit(f"expected 71 items, parsed {len(items)}")
    return "\n".join(head), items


ALIASES = {  # document spellings -> one canonical name per unit
    "省海洋渔业局": "省海洋与渔业局", "海洋与渔业局": "省海洋与渔业局",
    "省烟草局": "省烟草专卖局",
    "福建证监会": "福建证监局",
    "福建省税务局": "省税务局",
    "药监局": "省药品监管局", "省药监局": "省药品监管局",
    "金融管理局": "省地方金融监督管理局",
    "人行福州中心支行": "中国人民银行福州中心支行",
}


def canon(name):
    name = unicodedata.normalize("NFKC", name).strip()
    name = ALIASES.get(name, name)
    if not name.startswith(("省", "福建", "厦门", "福州", "中国", "团省委")) and name.endswith(("厅", "局", "委")):
        name = "省" + name
    return ALIASES.get(name, name)


def responsibility(items):
    """item -> (set of lead agencies, set of joint agencies), from the final parenthesis only."""
    out = {}
    for n, text in items.items():
        t = norm(text)
        m = re.search(r"\(([^()]*)\)[。.]?$", t)
        if not m:
            sys.exit(f"item {n}: no responsibility parenthesis")
        body = m.group(1)
        lm = re.match(r"^牵头单位[:∶](.+)$", body)
        jm = re.match(r"^(.+?)(?:等单位)?按(?:照)?职责落实$", body)
        if lm:
            out[n] = ({canon(lm.group(1))}, set())
        elif jm:
            out[n] = (set(), {canon(a) for a in jm.group(1).split("、")})
        else:
            sys.exit(f"item {n}: unreadable responsibility parenthesis {body!r}")
    return out


# ---------------------------------------------------------------- what each question refers to
# search: {"terms": {item: term}} for expect and nice items; {"absent": [...]} for "none".
# who: {"items": [...], "term": topic term that each item holds}.
# lead/joint/involved: {"agencies": [canonical names the question means]}.
# item: {"phrase": words of item N}.
SPEC = {
    "qa3-001": {"terms": {4: "明厨亮灶"}},
    "qa3-002": {"terms": {57: "衡器"}},
    "qa3-003": {"terms": {57: "红外体表温度计"}},
    "qa3-004": {"terms": {6: "食源性疾病"}},
    "qa3-005": {"terms": {6: "食药两用物质"}},
    "qa3-006": {"terms": {1: "畜禽粪污"}},
    "qa3-007": {"terms": {1: "休药期", 8: "休药期"}},
    "qa3-008": {"terms": {36: "跨境电商"}},
    "qa3-009": {"terms": {34: "电子商务", 36: "电商", 37: "电商", 35: "网络市场"}},
    "qa3-010": {"terms": {35: "谣言"}},
    "qa3-011": {"terms": {35: "反垄断"}},
    "qa3-012": {"terms": {34: "展会知识产权保护"}},
    "qa3-013": {"terms": {54: "水下文物"}},
    "qa3-014": {"terms": {54: "南岛语族"}},
    "qa3-015": {"terms": {54: "消防"}},
    "qa3-016": {"terms": {64: "云中剧院", 18: "展播"}},
    "qa3-017": {"terms": {18: "书法"}},
    "qa3-018": {"terms": {20: "村综合文化服务中心"}},
    "qa3-019": {"terms": {56: "先行赔付"}},
    "qa3-020": {"terms": {17: "讲解员"}},
    "qa3-021": {"terms": {62: "研究生"}},
    "qa3-022": {"terms": {65: "职业技能竞赛"}},
    "qa3-023": {"terms": {69: "改制上市"}},
    "qa3-024": {"terms": {60: "税", 70: "税"}},
    "qa3-025": {"terms": {49: "小微企业", 67: "小微企业"}},
    "qa3-026": {"terms": {67: "信贷资源", 68: "融资担保"}},
    "qa3-027": {"terms": {42: "集中组织采购"}},
    "qa3-028": {"terms": {42: "飞行检查"}},
    "qa3-029": {"terms": {7: "仿制药", 9: "仿制药", 42: "仿制药"}},
    "qa3-030": {"terms": {21: "医患纠纷", 22: "医疗秩序"}},
    "qa3-031": {"terms": {43: "禽流感"}},
    "qa3-032": {"terms": {13: "全装修交付"}},
    "qa3-033": {"terms": {13: "装配式建筑"}},
    "qa3-034": {"terms": {13: "快速路", 14: "农村公路"}},
    "qa3-035": {"terms": {16: "养老服务", 23: "老年人"}},
    "qa3-036": {"terms": {46: "六西格玛"}},
    "qa3-037": {"terms": {46: "质量管理小组"}},
    "qa3-038": {"terms": {11: "健身器材"}},
    "qa3-039": {"terms": {46: "中国品牌日", 47: "中国品牌日", 50: "中国品牌日"}},
    "qa3-040": {"terms": {37: "老字号"}},
    "qa3-041": {"terms": {30: "两岸", 55: "两岸"}},
    "qa3-042": {"terms": {44: "纠纷在线解决"}},
    "qa3-043": {"terms": {9: "汽车", 36: "机动车", 37: "汽车", 40: "机动车"}},
    "qa3-044": {"terms": {4: "乳粉"}},
    "qa3-045": {"terms": {30: "团体标准"}},
    "qa3-046": {"terms": {32: "人工智能"}},
    "qa3-047": {"absent": ["殡葬", "丧葬", "墓"]},
    "qa3-048": {"absent": ["彩票"]},
    "qa3-049": {"absent": ["房价", "房地产", "住房"]},
    "qa3-050": {"terms": {45: "承储企业"}},
    "qa3-051": {"terms": {15: "高速公路服务区"}},
    "qa3-052": {"terms": {7: "中药制剂"}},
    "qa3-086": {"items": [6], "term": "食药两用物质"},
    "qa3-087": {"items": [10], "term": "绿色建材产品认证"},
    "qa3-088": {"items": [7], "term": "注射剂再评价"},
    "qa3-089": {"items": [50], "term": "中国品牌日活动"},
    "qa3-090": {"items": [54], "term": "红军标语"},
    "qa3-091": {"items": [56], "term": "联合执法"},
    "qa3-092": {"items": [11], "term": "健身器材"},
    "qa3-093": {"items": [71], "term": "出口食品生产企业"},
    "qa3-094": {"items": [4, 5, 6, 41], "term": "食品安全"},
    "qa3-095": {"items": [67, 68, 69], "term": "金融"},
    "qa3-096": {"items": [16, 23], "term": "老"},
    "qa3-097": {"items": [13, 14], "term": "工程质量"},
    "qa3-098": {"items": [49, 67], "term": "小微企业"},
    "qa3-099": {"items": [22], "term": "安检"},
    "qa3-100": {"items": [25], "term": "首台(套)"},
    "qa3-101": {"items": [27], "term": "培育设立一批工程研究中心"},
    "qa3-102": {"items": [26], "term": "中央预算内专项资金"},
    "qa3-103": {"items": [19], "term": "跨省通办"},
    "qa3-104": {"items": [64], "term": "云中剧院"},
    "qa3-105": {"items": [57], "term": "加油机"},
    "qa3-106": {"items": [14], "term": "平安百年品质工程"},
    "qa3-107": {"items": [34], "term": "展会知识产权保护"},
    "qa3-108": {"items": [37], "term": "闽货华夏行"},
    "qa3-109": {"agencies": ["省市场监管局"]},
    "qa3-110": {"agencies": ["省交通运输厅"]},
    "qa3-111": {"agencies": ["省农业农村厅"]},
    "qa3-112": {"agencies": ["省司法厅"]},
    "qa3-113": {"agencies": ["省人社厅", "省商务厅"]},
    "qa3-114": {"agencies": ["省粮储局", "省统计局"]},
    "qa3-115": {"agencies": ["省地方金融监督管理局"]},
    "qa3-116": {"agencies": ["省委网信办"]},
    "qa3-117": {"agencies": ["省林业局", "省海洋与渔业局"]},
    "qa3-118": {"agencies": ["省民政厅"]},
    "qa3-119": {"agencies": ["省科技厅"]},
    "qa3-120": {"agencies": ["团省委"]},
    "qa3-121": {"agencies": ["省卫健委", "省药品监管局"]},
    "qa3-122": {"agencies": ["省市场监管局"]},
    "qa3-123": {"agencies": ["省烟草专卖局"]},
    "qa3-124": {"agencies": ["福建证监局", "省税务局", "厦门市税务局"]},
    "qa3-125": {"agencies": ["省卫健委"]},
    "qa3-126": {"agencies": ["省地方金融监督管理局"]},
    "qa3-127": {"agencies": ["省体育局"]},
    "qa3-128": {"agencies": ["省发改委", "省药品监管局"]},
    "qa3-129": {"agencies": ["厦门市税务局"]},
    "qa3-130": {"agencies": ["省农业农村厅"]},
    "qa3-131": {"agencies": ["省公安厅"]},
    "qa3-132": {"agencies": ["省市场监管局"]},
    "qa3-133": {"agencies": ["省药品监管局", "省烟草专卖局"]},
    "qa3-134": {"agencies": ["中国人民银行福州中心支行"]},
    "qa3-135": {"agencies": ["省地方金融监督管理局", "福建证监局"]},
    "qa3-136": {"agencies": ["福州海关", "厦门海关", "省税务局", "厦门市税务局"]},
    "qa3-137": {"agencies": ["省公安厅", "省司法厅"]},
    "qa3-138": {"agencies": ["省委网信办"]},
    "qa3-139": {"agencies": ["省审改办"]},
    "qa3-140": {"agencies": ["省农业农村厅"]},
    "qa3-141": {"agencies": ["省体育局", "省统计局"]},
    "qa3-142": {"agencies": ["省住建厅"]},
    "qa3-143": {"agencies": ["省科技厅", "省教育厅"]},
    "qa3-144": {"phrase": "继续加强产品质量安全风险预警"},
    "qa3-145": {"phrase": "加强法律服务工作"},
    "qa3-146": {"phrase": "将质量教育纳入全民教育体系"},
    "qa3-147": {"phrase": "技术法规和贸易政策研究"},
    "qa3-148": {"phrase": "研究开发费用税前加计扣除优惠政策"},
    "qa3-149": {"phrase": "增加农产品优质供应"},
    "qa3-150": {"phrase": "促进体育消费品提质升级"},
    "qa3-151": {"phrase": "全国12315平台"},
    "qa3-152": {"phrase": "夯实计量技术保障"},
    "qa3-153": {"phrase": "加强检验检测认证机构的监督管理"},
    "qa3-154": {"phrase": "强化经济形势运行监测"},
    "qa3-155": {"phrase": "绿色建材产品认证"},
    "qa3-156": {"phrase": "基础性和关键共性技术研究"},
    "qa3-157": {"phrase": "知识产权强省战略"},
    "qa3-158": {"phrase": "强化水产品质量安全监管"},
    "qa3-159": {"phrase": "中国品牌日活动"},
}
# Agencies that are only on the recipient list (they must lead or share nothing).
RECIPIENT_ONLY = {"省委网信办", "省审改办"}
KINDS = {"search", "target", "who", "lead", "joint", "involved", "item", "meta"}
SCORE_NAMES_ITEM = re.compile(r"第\s*\d+\s*条|#\d+|\bitem\s*\d+|^\d+\b", re.I)


def main():
    args = sys.argv[1:]
    doc_arg = args[args.index("--doc") + 1] if "--doc" in args else None
    set_path = args[args.index("--set") + 1] if "--set" in args else os.path.join(HERE, "qa3.jsonl")
    head, items = parse_doc(find_doc(doc_arg))
    H = norm(head)
    N = {n: norm(t) for n, t in items.items()}
    ALL = H + "".join(N.values())
    resp = responsibility(items)
    lead_of, joint_of = {}, {}
    for n, (ls, js) in resp.items():
        for a in ls:
            lead_of.setdefault(a, set()).add(n)
        for a in js:
            joint_of.setdefault(a, set()).add(n)
    errs = []

    def bad(cid, msg):
        errs.append(f"{cid}: {msg}")

    cases = []
    for ln, line in enumerate(open(set_path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            cases.append(json.loads(line))
        except ValueError as e:
            errs.append(f"line {ln}: bad JSON: {e}")

    def itemlist(cid, v, what="expect"):
        if not isinstance(v, list) or not all(isinstance(i, int) and 1 <= i <= 71 for i in v):
            bad(cid, f"{what} must be a list of item numbers 1..71")
            return False
        if v != sorted(set(v)):
            bad(cid, f"{what} must be sorted without repeats")
            return False
        return True

    seen_q = {}
    for idx, c in enumerate(cases, 1):
        cid = c.get("id")
        if cid != f"qa3-{idx:03d}":
            bad(cid, f"id out of order, want qa3-{idx:03d}")
        extra = set(c) - {"id", "kind", "q", "expect", "nice", "note"}
        if extra:
            bad(cid, f"unknown fields {sorted(extra)}")
        kind, q, exp, note = c.get("kind"), c.get("q", ""), c.get("expect"), c.get("note", "")
        if kind not in KINDS:
            bad(cid, f"unknown kind {kind!r}")
            continue
        if not q.strip() or not isinstance(note, str) or not note:
            bad(cid, "empty q or note")
        nq = norm(q).lower()
        if nq in seen_q:
            bad(cid, f"same question as {seen_q[nq]}")
        seen_q[nq] = cid
        if "nice" in c and kind != "search":
            bad(cid, "nice is for search only")
        spec = SPEC.get(cid, {})

        if kind == "search":
            if not itemlist(cid, exp):
                continue
            nice = c.get("nice", [])
            if nice and (not itemlist(cid, nice, "nice") or set(nice) & set(exp)):
                bad(cid, "nice overlaps expect or is malformed")
            if not exp:
                if not spec.get("absent"):
                    bad(cid, "no absent terms recorded")
                for t in spec.get("absent", []):
                    if norm(t) in ALL:
                        bad(cid, f"'none' answer but {t!r} is in the document")
                    if t not in note:
                        bad(cid, f"absent term {t!r} not in note")
                continue
            terms = spec.get("terms", {})
            for n in exp + list(nice):
                t = terms.get(n)
                if not t:
                    bad(cid, f"no term recorded for item {n}")
                    continue
                if norm(t) not in N[n]:
                    bad(cid, f"item {n} does not hold {t!r}")
                if t not in note:
                    bad(cid, f"term {t!r} not written in note")
            if set(terms) - set(exp) - set(nice):
                bad(cid, "SPEC has terms for items outside expect/nice")

        elif kind == "target":
            if not isinstance(exp, dict) or set(exp) != {"item", "value", "also"}:
                bad(cid, "target expect must be {item, value, also}")
                continue
            n, v, also = exp["item"], exp["value"], exp["also"]
            if not isinstance(n, int) or not 1 <= n <= 71 or not itemlist(cid, also, "also"):
                bad(cid, "bad item/also")
                continue
            if norm(v) not in N[n]:
                bad(cid, f"value {v!r} not verbatim in item {n}")
            holders = sorted(k for k in N if k != n and norm(v) in N[k])
            if holders != also:
                bad(cid, f"also should be {holders}, is {also}")
            if SCORE_NAMES_ITEM.search(q):
                bad(cid, "target question names an item number")
            if len(norm(v)) > 20:
                bad(cid, "value too long")

        elif kind == "meta":
            if not isinstance(exp, dict) or set(exp) != {"value"}:
                bad(cid, "meta expect must be {value}")
                continue
            if norm(exp["value"]) not in H:
                bad(cid, f"value {exp['value']!r} not in cover letter / opening paragraph")

        elif kind == "who":
            if not isinstance(exp, list) or not exp:
                bad(cid, "who expect must be a non-empty list of agencies")
                continue
            its = spec.get("items")
            if not its:
                bad(cid, "no items recorded")
                continue
            want = set()
            for n in its:
                want |= resp[n][0] | resp[n][1]
                if norm(spec["term"]) not in N[n]:
                    bad(cid, f"item {n} does not hold topic term {spec['term']!r}")
                if not re.search(rf"(?<!\d){n}(?!\d)", note):
                    bad(cid, f"note does not name item {n}")
            got = {canon(a) for a in exp}
            if got != want or len(exp) != len(got):
                bad(cid, f"agencies should be {sorted(want)}, are {sorted(got)}")

        elif kind in ("lead", "joint", "involved"):
            if not itemlist(cid, exp):
                continue
            ags = spec.get("agencies")
            if not ags:
                bad(cid, "no agencies recorded")
                continue
            want = set()
            for a in ags:
                if a != canon(a):
                    bad(cid, f"SPEC agency {a!r} is not canonical ({canon(a)!r})")
                known = a in lead_of or a in joint_of or a in RECIPIENT_ONLY or norm(a) in H
                if not known:
                    bad(cid, f"agency {a!r} is neither responsible for an item nor a recipient")
                if kind in ("lead", "involved"):
                    want |= lead_of.get(a, set())
                if kind in ("joint", "involved"):
                    want |= joint_of.get(a, set())
            if sorted(want) != exp:
                bad(cid, f"{kind} should be {sorted(want)}, is {exp}")

        elif kind == "item":
            if not itemlist(cid, exp) or len(exp) != 1:
                bad(cid, "item expect must be [N]")
                continue
            ph = spec.get("phrase")
            if not ph or norm(ph) not in N[exp[0]]:
                bad(cid, f"item {exp[0]} does not hold {ph!r}")
            elif ph not in note:
                bad(cid, "note does not quote the item phrase")

    # SPEC and file agree
    ids = {c.get("id") for c in cases}
    for k in SPEC:
        if k not in ids:
            errs.append(f"SPEC has {k}, the set does not")
    for c in cases:
        if c.get("kind") in ("search", "who", "lead", "joint", "involved", "item") and c.get("id") not in SPEC:
            errs.append(f"{c.get('id')}: not in SPEC")

    # the set as a whole
    n = len(cases)
    en = [c for c in cases if is_en(c.get("q", ""))]
    if n < 160:
        errs.append(f"only {n} questions (< 160)")
    if 3 * len(en) < n:
        errs.append(f"only {len(en)} of {n} questions in English (< 1/3)")
    for k in KINDS:
        if not any(c.get("kind") == k for c in en):
            errs.append(f"no English question of kind {k}")

    # no question taken over from the earlier sets
    others = [os.path.join(HERE, f) for f in ("dev.jsonl", "qa.jsonl", "qa2.jsonl")]
    for d in (HERE, "/work/shared/eval"):
        others.append(os.path.join(d, "dev2.jsonl"))
    for p in others:
        if not os.path.isfile(p):
            continue
        for line in open(p, encoding="utf-8"):
            if line.strip():
                oq = norm(json.loads(line).get("q", "")).lower()
                if oq in seen_q:
                    errs.append(f"{seen_q[oq]}: question also in {os.path.basename(p)}")

    counts = {}
    for c in cases:
        lang = "en" if is_en(c.get("q", "")) else "zh"
        counts.setdefault(c.get("kind"), {"zh": 0, "en": 0})[lang] += 1
    for k in sorted(counts):
        print(f"{k:9s} zh {counts[k]['zh']:3d}  en {counts[k]['en']:3d}")
    print(f"total {n}: zh {n - len(en)}, en {len(en)}")
    for e in errs:
        print("FAIL", e)
    print("OK" if not errs else f"{len(errs)} failure(s)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
