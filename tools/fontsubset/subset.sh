#!/usr/bin/env bash
# Cuts the CJK font the charts draw with (bot/chart/font/duban-cjk.ttf) from
# WenQuanYi Micro Hei (文泉驿微米黑, Apache License 2.0; Debian package
# fonts-wqy-microhei) with pyftsubset (Debian package fonttools). It keeps
# ASCII, CJK and full-width punctuation, the 6,763 characters of GB 2312
# (levels 1 and 2: the characters of names and documents) and every
# character of the plan documents in seeds/, so that every agency name and
# label of the seed plan renders. Run it again after adding a plan with
# rarer characters:
#
#   apt-get install fonts-wqy-microhei fonttools
#   bash tools/fontsubset/subset.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${WQY_FONT:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}
out=bot/chart/font/duban-cjk.ttf
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
python3 - "$chars" seeds <<'PY'
import os, sys
out, seeds = sys.argv[1], sys.argv[2]
chars = set(chr(c) for c in range(0x20, 0x7f))
chars.update("　、。·—–…‘’“”《》〈〉【】〔〕（）：；，！？％＋－／０１２３４５６７８９●■▲◆★☆→←↑↓×÷≥≤±°℃")
# GB 2312 levels 1 and 2: rows 16-87 (0xB0-0xF7), cells 0xA1-0xFE.
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for root, _, files in os.walk(seeds):
    for f in files:
        if f.endswith(".txt"):
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                chars.update(c for c in fh.read() if c.isprintable())
with open(out, "w", encoding="utf-8") as fh:
    fh.write("".join(sorted(chars)))
print(len(chars), "characters", file=sys.stderr)
PY
mkdir -p "$(dirname "$out")"
pyftsubset "$src" --font-number=0 --text-file="$chars" --output-file="$out" \
  --layout-features='*' --no-hinting --desubroutinize --name-IDs='*' --name-legacy --name-languages='*'
ls -l "$out"
