#!/bin/sh
# textloc validate on small bad files of tests/data/validate (written for these
# tests): each case checks the exit status and the expected diagnostic, with its
# file:line:col and kind. Needs nothing outside the checkout.
set -u
T=${TEXTLOC:-build/textloc}
D=tests/data/validate
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl_validate_cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
n=0
# run ARGS...: runs validate, keeps stdout in $tmp/out, stderr in $tmp/err, status in rc.
run() { "$T" validate "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
ok() {
	n=$((n + 1))
	if eval "$2"; then :; else
		echo "FAIL: $1"; echo "  stdout:"; sed 's/^/    /' "$tmp/out"
		echo "  stderr:"; sed 's/^/    /' "$tmp/err" | head -20; fail=1
	fi
}
has() { grep -q -- "$1" "$tmp/err"; }
hase() { grep -Eq -- "$1" "$tmp/err"; }
hasout() { grep -q -- "$1" "$tmp/out"; }

# Empty file: a valid ground truth without text, listed as a note.
run "$D/empty/gt_img_1.txt"
ok "empty file exits 0" '[ $rc -eq 0 ]'
ok "empty file gives a note" 'has "gt_img_1.txt: note: no regions for img_1.jpg.*\[no-regions\]"'
ok "summary counts images" 'hasout "^1 image, 0 regions (icdar2015): 0 errors, 0 warnings"'

# Binary junk: encoding errors with positions, and no crash.
printf '\217\000\206PK\003\004\377\376junk\r\n\001\002\003,,,,\377' > "$tmp/gt_img_2.txt"
run "$tmp/gt_img_2.txt"
ok "binary junk exits 1" '[ $rc -eq 1 ]'
ok "binary junk: invalid UTF-8 at line 1 col 1" 'has "gt_img_2.txt:1:1: error: invalid UTF-8.*\[encoding\]"'
run --from icdar2015 "$tmp/gt_img_2.txt"
ok "binary junk read as icdar2015 exits 1" '[ $rc -eq 1 ]'

# NaN and an overflowing number: reader errors, file:line:col.
run --from icdar2015 "$D/nan/gt_img_3.txt"
ok "NaN exits 1" '[ $rc -eq 1 ]'
ok "NaN reported on line 1" 'has "gt_img_3.txt:1:[0-9]*: error: .*\[bad-number\]"'
ok "1e999 reported on line 2" 'has "gt_img_3.txt:2:[0-9]*: error: .*\[bad-number\]"'
ok "overflow reported on line 3" 'has "gt_img_3.txt:3:[0-9]*: error: .*\[bad-number\]"'

# Counter-clockwise quad on line 2: refused by the RRC evaluation.
run "$D/ccw/gt_img_4.txt"
ok "ccw exits 1" '[ $rc -eq 1 ]'
ok "ccw at 2:1 with S" 'has "gt_img_4.txt:2:1: error: points are counter-clockwise on screen (S = 5400 > 0.*refuses the whole ground truth.*\[ccw-order\]"'
ok "ccw: only one diagnostic" '[ $(wc -l < "$tmp/err") -eq 1 ]'
ok "ccw: summary by kind" 'hasout "^  error    ccw-order  *1$"'
run --no-rrc "$D/ccw/gt_img_4.txt"
ok "ccw without RRC rules is a warning (exit 0)" '[ $rc -eq 0 ] && has "warning: .*\[ccw-order\]"'

"$T" validate - < "$D/ccw/gt_img_4.txt" >"$tmp/out" 2>"$tmp/err"; rc=$?
ok "stdin: ccw found, no file-name rule" '[ $rc -eq 1 ] && has "^stdin:2:1: error: .*\[ccw-order\]" && ! has "unmapped-name"'

# Bow tie.
run "$D/bowtie/gt_img_5.txt"
ok "bow tie exits 1" '[ $rc -eq 1 ]'
ok "bow tie: self-intersection at 1:1" 'has "gt_img_5.txt:1:1: error: .*crosses itself.*\[self-intersection\]"'
ok "bow tie: no zero-area or ccw noise" '! has "zero-area" && ! has "ccw-order"'

# A don't-care region covering 80% of a cared-for word.
run "$D/overlap/gt_img_6.txt"
ok "overlapping don't-care exits 0 (warning)" '[ $rc -eq 0 ]'
ok "overlap: 80% on line 1, naming line 2" 'has "gt_img_6.txt:1:1: warning: the don.t-care region at line 2 covers 80% of this cared-for region.*\[dontcare-overlap\]"'
run --json "$D/overlap/gt_img_6.txt"
ok "--json: kinds and diagnostics" 'hasout "{\"kind\": \"dontcare-overlap\", \"severity\": \"warning\", \"count\": 1}" && hasout "\"line\": 1, \"col\": 1"'
ok "--json: nothing on stderr" '[ ! -s "$tmp/err" ]'

# Names the official evaluation does not map.
run "$D/names/img_7.jpg.txt"
ok "unmapped name is a warning for GT" '[ $rc -eq 0 ] && has "img_7.jpg.txt: warning: .*silently skips.*rename it gt_img_7.txt.*\[unmapped-name\]"'

# A submission zipped on macOS: a folder entry, a nested file and __MACOSX/ metadata,
# each enough for the official evaluation to refuse the whole submission.
run --from rrc "$D/macos_submission.zip"
ok "zip submission exits 1" '[ $rc -eq 1 ]'
ok "zip: __MACOSX entry" 'has "macos_submission.zip#__MACOSX/._res_img_1.txt: error: .*macOS metadata.*ZIP entry not valid.*\[unmapped-name\]"'
ok "zip: folder entry" 'has "macos_submission.zip#res/: error: .*a folder entry"'
ok "zip: nested result file" 'has "macos_submission.zip#res/res_img_1.txt: error: zip entry is inside a folder"'
ok "zip: the top-level result file is fine" '! has "#res_img_2.txt"'

# Duplicates and " ###".
run "$D/dup/gt_img_8.txt"
ok "duplicate region at line 3 names line 1" '[ $rc -eq 1 ] && has "gt_img_8.txt:3:1: error: same points as line 1.*\[duplicate-region\]"'
run "$D/spaced/gt_img_9.txt"
ok "spaced ###" 'has "gt_img_9.txt:1:1: warning: transcription \" ###\".*\[dontcare-spaced\]"'

# UFO: ### against illegibility both ways, points outside img_w/img_h, bow tie.
run "$D/ufo/train.json"
ok "ufo exits 1" '[ $rc -eq 1 ]'
# Where the UFO reader records lines, the word is located by its line (the word
# keys sit on lines 3 to 6); otherwise the message names the image and the word.
ok "ufo: ### but legible" 'hase "(train.json:3:1: warning: |a.jpg, word \"0001\": )transcription is \"###\" but.*\[dontcare-mismatch\]"'
ok "ufo: illegible with text" 'hase "(train.json:4:1: warning: |a.jpg, word \"0002\": )region is marked don.t-care.*SALE.*\[dontcare-mismatch\]"'
ok "ufo: outside the 200x100 image" 'hase "(train.json:5:1: warning: |a.jpg, word \"0003\": )2 of 4 points outside the 200x100 image.*\[outside-image\]"'
ok "ufo: bow tie" 'hase "(train.json:6:1: error: |a.jpg, word \"0004\": ).*\[self-intersection\]"'
run -q "$D/ufo/train.json"
ok "-q lists errors only" '[ $(wc -l < "$tmp/err") -eq 1 ] && hasout "dontcare-mismatch  *2"'

# UFO keys repeated in a JSON object: both records are kept and reported.
run "$D/ufo/dupkeys.json"
ok "repeated word key" '[ $rc -eq 1 ] && hase "(dupkeys.json:3:1: error: |c.jpg, word \"7\": )id \"7\" is also used at (line 3|word \"7\").*\[duplicate-id\]"'
ok "repeated image key" 'has "dupkeys.json: error: image c.jpg has two records in this file.*\[duplicate-image\]"'

# Image directory: sizes from PNG headers, presence both ways.
run --images "$D/images" "$D/withimg"
ok "--images exits 1 (missing image)" '[ $rc -eq 1 ]'
ok "--images: outside the 10x8 PNG" 'has "withimg/gt_img_1.txt:1:1: warning: 2 of 4 points outside the 10x8 image.*\[outside-image\]"'
ok "--images: missing image" 'has "withimg/gt_img_3.txt: error: image img_3.jpg not found.*\[missing-image\]"'
ok "--images: unannotated image" 'has "images/img_2.png: warning: .*\[unannotated-image\]"'
ok "--images: img_1 matched by stem" '! has "img_1.png: warning"'

# --fix: clockwise order and duplicates dropped, every change listed.
run --fix "$tmp/fixed" "$D/ccw/gt_img_4.txt" "$D/dup/gt_img_8.txt"
ok "--fix keeps exit 1 for the input's errors" '[ $rc -eq 1 ]'
ok "--fix lists the reorder" 'has "gt_img_4.txt:2:1: note: .*reversed a counter-clockwise ring.*\[fix-order\]"'
ok "--fix lists the dropped duplicate" 'has "gt_img_8.txt:3:1: note: .*dropped the region at line 3: it repeats line 1.*\[fix-duplicate\]"'
ok "--fix summary" 'hasout "^2 changes written to "'
ok "--fix wrote clockwise" 'grep -q "^10,10,100,10,100,40,10,40,ccw" "$tmp/fixed/gt_img_4.txt"'
ok "--fix dropped the repeat" '[ $(grep -c twice "$tmp/fixed/gt_img_8.txt") -eq 1 ]'
run "$tmp/fixed"
ok "the fixed copy validates clean" '[ $rc -eq 0 ] && [ ! -s "$tmp/err" ]'
run --fix "$tmp/fixed" "$D/ccw/gt_img_4.txt"
ok "--fix does not overwrite without --force" '[ $rc -eq 3 ]'
run --fix "$tmp/fixed" --force "$D/ccw/gt_img_4.txt"
ok "--fix --force overwrites" '[ $rc -eq 1 ] && hasout "^1 change written"'

run --fix "$tmp/fixed_nan" --from icdar2015 "$D/nan/gt_img_3.txt"
ok "--fix says the copy lacks refused lines" '[ $rc -eq 1 ] && hasout "leaves out what the readers refused (3 errors above)"'

# Usage and failures.
run
ok "no input: usage error 2" '[ $rc -eq 2 ]'
run --frobnicate x
ok "unknown option: 2" '[ $rc -eq 2 ] && has "unknown option"'
run --dontcare-share 2 x
ok "bad --dontcare-share: 2" '[ $rc -eq 2 ]'
run --encoding ebcdic x
ok "bad --encoding: 2" '[ $rc -eq 2 ]'
run --from nosuchformat x
ok "unknown format: 2" '[ $rc -eq 2 ]'
run "$tmp/does-not-exist.txt"
ok "missing input: 3" '[ $rc -eq 3 ]'
run --images "$tmp/no-dir" "$D/ccw"
ok "missing image dir: 3" '[ $rc -eq 3 ]'
"$T" validate --help > "$tmp/out"; rc=$?
ok "--help exits 0" '[ $rc -eq 0 ] && hasout "^usage: textloc validate "'

[ $fail -eq 0 ] && echo "validate.sh: $n checks passed"
exit $fail
