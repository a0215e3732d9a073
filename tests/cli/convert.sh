#!/bin/sh
# textloc convert: usage errors, round trips through each format, loss messages,
# atomic outputs that are never overwritten without --force, zips, stdin, encodings.
# Uses only the samples under tests/data/formats (written for this project).
set -u
T=${TEXTLOC:-build/textloc}
S=tests/data/formats
W=$(mktemp -d "${TMPDIR:-/tmp}/tl_convert.XXXXXX")
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }
run() { "$@" >"$W/out" 2>"$W/err"; echo $?; }
# lines without BOM and CR, for comparing files whose line ends differ
norm() { sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' -e '/^$/d' "$1"; }

# usage
check "no --to exits 2" '[ $(run "$T" convert "$S/ufo.json") -eq 2 ]'
check "unknown format exits 2" '[ $(run "$T" convert --to nosuch "$S/ufo.json") -eq 2 ]'
check "unknown shape exits 2" '[ $(run "$T" convert --to ufo --shape circle "$S/ufo.json") -eq 2 ]'
check "shape the target cannot hold exits 2" \
	'[ $(run "$T" convert --to icdar2013 --shape poly "$S/ufo.json") -eq 2 ]'
check "missing input exits 3" '[ $(run "$T" convert --to ufo "$W/nope.txt") -eq 3 ]'
check "--list names the formats" '"$T" convert --list | grep -q "^icdar2015 "'

# ICDAR 2015 -> UFO -> ICDAR 2015 gives the same lines
check "icdar2015 dir to ufo" '[ $(run "$T" convert --to ufo -o "$W/a.json" "$S/icdar2015") -eq 0 ]'
check "ufo back to icdar2015" '[ $(run "$T" convert --to icdar2015 -o "$W/back" "$W/a.json") -eq 0 ]'
for f in gt_img_1.txt gt_img_2.txt gt_img_3.txt; do
	# gt_img_2 had a quoted text with a comma: written back unquoted, same text
	want=$(norm "$S/icdar2015/$f" | sed 's/,"quoted, text"$/,quoted, text/')
	check "$f comes back the same" '[ "$(norm "$W/back/$f")" = "$want" ]'
done
check "the DC region is illegible in UFO" 'grep -q "\"illegibility\": true" "$W/a.json"'

# never overwrite without --force; nothing changes when refused
echo keep >"$W/exists.json"
check "existing output refused" '[ $(run "$T" convert --to ufo -o "$W/exists.json" "$S/icdar2015") -eq 3 ]'
check "refused output untouched" '[ "$(cat "$W/exists.json")" = keep ]'
check "--force overwrites" '[ $(run "$T" convert --force --to ufo -o "$W/exists.json" "$S/icdar2015") -eq 0 ]'
check "per-image dir refused when a file exists" \
	'[ $(run "$T" convert --to icdar2015 -o "$W/back" "$W/a.json") -eq 3 ]'

# every lossy step named once, with its count
check "ufo to icdar2015 with a 6-point polygon" \
	'[ $(run "$T" convert --to icdar2015 -o "$W/u15" "$S/ufo.json") -eq 0 ]'
check "polygon loss named once with count 1" \
	'[ $(grep -c "1 polygon of more or fewer than 4 points written as its minimum-area rectangle" "$W/err") -eq 1 ]'
check "language loss named" 'grep -q "1 language or script dropped" "$W/err"'
check "ufo-only fields named" 'grep -q "1 region lost fields that only its source format holds" "$W/err"'
check "icdar2015 -> rrc names the DC flags" \
	'[ $(run "$T" convert --to rrc -o "$W/r" "$S/icdar2015") -eq 0 ] && grep -q "1 don.t-care flag dropped" "$W/err"'
check "to rect names the bounding rectangles" \
	'[ $(run "$T" convert --to icdar2013 -o "$W/r13" "$S/icdar2015") -eq 0 ] && grep -q "bounding rectangle" "$W/err"'
check "same-format conversion loses nothing" \
	'[ $(run "$T" convert --to ufo -o "$W/same.json" "$S/ufo.json") -eq 0 ] && ! grep -q lossy "$W/err"'

# each format through itself: the dump (textloc's lossless form) is unchanged
for pair in icdar2015:icdar2015 icdar2013:icdar2013 mlt:mlt rrc:rrc ufo:ufo.json paddleocr:paddle.txt; do
	fmt=${pair%%:*}; src=$S/${pair#*:}
	case $src in *.json|*.txt) out=$W/rt_$fmt.${src##*.};; *) out=$W/rt_$fmt;; esac
	"$T" convert -q --from "$fmt" --to textloc -o "$W/d1_$fmt" "$src" 2>"$W/err"
	"$T" convert -q --from "$fmt" --to "$fmt" -o "$out" "$src" 2>>"$W/err"
	"$T" convert -q --from "$fmt" --to textloc -o "$W/d2_$fmt" "$out" 2>>"$W/err"
	check "$fmt round trip keeps everything" 'cmp -s "$W/d1_$fmt" "$W/d2_$fmt" && [ -s "$W/d1_$fmt" ]'
done
check "probe finds every sample without --from" \
	'for s in icdar2015 icdar2013 mlt rrc ufo.json paddle.txt; do "$T" convert -q --to textloc "$S/$s" >/dev/null 2>&1 || exit 1; done'
check "probe names the formats" \
	'"$T" convert --to textloc "$S/mlt" 2>&1 >/dev/null | grep -q "(mlt)" && "$T" convert --to textloc "$S/icdar2013" 2>&1 >/dev/null | grep -q "(icdar2013)"'

# zip out and in
check "zip output" '[ $(run "$T" convert --to icdar2015 -o "$W/gt.zip" "$S/icdar2015") -eq 0 ]'
check "zip reads back" '[ $(run "$T" convert --to textloc "$W/gt.zip") -eq 0 ] && grep -c "\"image\"" "$W/out" | grep -qx 3'

# stdin and stdout
check "stdin to stdout" \
	'[ "$(norm "$S/icdar2015/gt_img_2.txt" | "$T" convert -q --from icdar2015 --to rrc - | head -n 1)" = "5,5,50,5,50,20,5,20,quoted, text" ]'
check "several images to stdout in a per-image format is a usage error" \
	'[ $(run "$T" convert --to rrc "$S/icdar2015") -eq 2 ]'

# --images: a guessed .jpg name is corrected to the .png that exists, and its size read
if command -v python3 >/dev/null 2>&1; then
	mkdir -p "$W/imgs"
	python3 -c 'import struct, zlib, sys
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
w, h = 7, 5
raw = b"".join(b"\0" + b"\0" * w for _ in range(h))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
	+ chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))' >"$W/imgs/img_2.png"
	check "--images fixes the name and reads the size" \
		'[ $(run "$T" convert --to ufo --images "$W/imgs" "$S/icdar2015") -eq 0 ] && grep -q "\"img_2.png\": {\"img_h\": 5, \"img_w\": 7" "$W/out"'
	check "--images counts the missing images" 'grep -q "2 of 3 images not found" "$W/err"'
fi

# shards: every image exactly once across the runs
for i in 0 1 2 3; do "$T" convert -q --to rrc --shard $i/4 -o "$W/shards" "$S/icdar2015" 2>/dev/null; done
check "4 shards write the 3 images once" '[ $(ls "$W/shards" | wc -l) -eq 3 ]'
check "bad --shard exits 2" '[ $(run "$T" convert --to rrc --shard 4/4 "$S/icdar2015") -eq 2 ]'

# encodings
printf '1,1,9,1,9,9,1,9,caf\351\r\n' >"$W/gt_img_9.txt"
check "invalid UTF-8 exits 1" '[ $(run "$T" convert --to textloc "$W/gt_img_9.txt") -eq 1 ]'
check "invalid UTF-8 names line, column and byte" 'grep -q "gt_img_9.txt:1:20: error: invalid UTF-8 at byte 19" "$W/err"'
check "latin1 reads it" \
	'[ $(run "$T" convert --encoding latin1 --to textloc "$W/gt_img_9.txt") -eq 0 ] && grep -q "café" "$W/out"'

# bad input: nothing written, exit 1, precise position
printf '1,2,3,4,5,6,7,8,ok\n1,2,3,4,5,x,7,8,bad\n' >"$W/gt_img_8.txt"
check "bad number exits 1" '[ $(run "$T" convert --to ufo -o "$W/bad.json" "$W/gt_img_8.txt") -eq 1 ]'
check "bad number position" 'grep -q "gt_img_8.txt:2:11: error: coordinate 6: not a number" "$W/err"'
check "nothing written on input errors" '[ ! -e "$W/bad.json" ]'
printf '1,2,3.5,4,5,6,7,8,ok\n' >"$W/gt_img_7.txt"
check "real numbers need --lenient" \
	'[ $(run "$T" convert --to textloc "$W/gt_img_7.txt") -eq 1 ] && [ $(run "$T" convert --lenient --to textloc "$W/gt_img_7.txt") -eq 0 ]'
exit $fail
