#!/bin/sh
# textloc validate over the real data in ../shared/data: ICDAR 2015 train and test
# ground truth, mqhs, SROIE and the UFO file. The counts asserted here were
# checked independently (winding sums and don't-care overlaps recomputed with a
# separate script, and the flagged lines read by hand); they are facts about the
# data, so a change in them means a change in a reader or a rule.
set -u
T=${TEXTLOC:-build/textloc}
D=../shared/data
if [ ! -d "$D" ]; then
	echo "validate corpus: SKIP ($D not found; the tests need the shared data beside the checkout)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl_validate_corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
n=0
run() { "$T" validate "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
ok() {
	n=$((n + 1))
	if eval "$2"; then :; else
		echo "FAIL: $1"; sed 's/^/    /' "$tmp/out"; head -5 "$tmp/err" | sed 's/^/    /'; fail=1
	fi
}
hasout() { grep -q -- "$1" "$tmp/out"; }
count() { sed -n "s/^  $1  *$2  *\([0-9]*\)$/\1/p" "$tmp/out"; }

# ICDAR 2015 training GT: BOM + CRLF, files named img_N.jpg.txt.
run "$D/icdar2015/train_gt"
ok "train GT: exit 0" '[ $rc -eq 0 ]'
ok "train GT: every region read, no errors" 'hasout "^1000 images, 11886 regions (icdar2015): 0 errors"'
ok "train GT: 1000 unmapped names" '[ "$(count warning unmapped-name)" = 1000 ]'
ok "train GT: 17 don't-care overlaps" '[ "$(count warning dontcare-overlap)" = 17 ]'
ok "train GT: a known overlap (INTO inside ###)" 'grep -q "img_136.jpg.txt:21:1: warning: the don.t-care region at line 22 covers 98%" "$tmp/err"'
run --images "$D/icdar2015/train_images" "$D/icdar2015/train_gt"
ok "train GT + images: the 900 images not shipped are missing" '[ "$(count error missing-image)" = 900 ]'
ok "train GT + images: nothing outside 1280x720" '[ -z "$(count warning outside-image)" ]'

# ICDAR 2015 test GT, as a directory and as the zip the official script reads.
run "$D/icdar2015/test_gt"
cp "$tmp/out" "$tmp/dir.out"
ok "test GT: 5230 regions, no errors" 'hasout "^500 images, 5230 regions (icdar2015): 0 errors"'
run "$D/icdar2015/test_gt.zip"
ok "test GT zip: same summary as the directory" 'cmp -s "$tmp/out" "$tmp/dir.out"'

# mqhs: 40 of 305 quads are wound TL, BL, BR, TR (counter-clockwise).
run "$D/mqhs/test_gts"
ok "mqhs: exit 1" '[ $rc -eq 1 ]'
ok "mqhs: 305 regions" 'hasout "^79 images, 305 regions (icdar2015): 40 errors"'
ok "mqhs: 40 ccw-order" '[ "$(count error ccw-order)" = 40 ]'
ok "mqhs: a known one" 'grep -q "gt_img_10.txt:1:1: error: points are counter-clockwise on screen (S = 62220 > 0" "$tmp/err"'
run --fix "$tmp/mqhs_fixed" "$D/mqhs/test_gts"
ok "mqhs --fix: 40 rings reversed, 1 rotated to start at the top-left" 'hasout "^41 changes written to" && [ $(grep -c "reversed a counter-clockwise" "$tmp/err") -eq 40 ]'
run "$tmp/mqhs_fixed"
ok "mqhs fixed copy: no errors" '[ $rc -eq 0 ] && [ -z "$(count error ccw-order)" ]'
run --images "$D/mqhs/test_images" "$D/mqhs/test_gts"
ok "mqhs + images: no missing image, nothing outside" '[ -z "$(count error missing-image)" ] && [ -z "$(count warning outside-image)" ]'

# SROIE word boxes (ICDAR-like quads + text with commas), with their images.
run --images "$D/sroie/img" "$D/sroie/box"
ok "sroie: 1200 regions, clean" '[ $rc -eq 0 ] && hasout "^20 images, 1200 regions (sroie): 0 errors, 0 warnings"'
run --from icdar2015 "$D/sroie/box"
ok "sroie as icdar2015: RRC names flagged, no errors" '[ $rc -eq 0 ] && [ "$(count warning unmapped-name)" = 20 ]'

# The UFO file: 4078 words, 470 illegible.
run "$D/ufo_icdar17_korean/ufo/train.json"
ok "ufo: 4078 regions, no errors" '[ $rc -eq 0 ] && hasout "^536 images, 4078 regions (ufo): 0 errors"'
ok "ufo: 8 don't-care overlaps" '[ "$(count warning dontcare-overlap)" = 8 ]'
# img_4058.jpg words "3" and "39": the same word drawn twice, legible and illegible.
ok "ufo: the same word legible and illegible" '[ $(grep -c "covers 100% of this cared-for region" "$tmp/err") -eq 1 ]'
ok "ufo: ### and illegibility agree" '[ -z "$(count warning dontcare-mismatch)" ]'

# The golden submissions: validate finds an error exactly where the official
# ICDAR 2015 script refused the submission (golden eval/icdar2015/NAME.json), except
# the confidence column, which it refuses only in its default configuration.
G=../shared/golden/eval
if [ -d "$G/subs" ]; then
	for z in "$G"/subs/*.zip; do
		name=$(basename "$z" .zip)
		run --from rrc "$z"
		if grep -q '"accepted": *false' "$G/icdar2015/$name.json"; then
			if [ "$name" = conf ]; then
				ok "golden $name: confidence column flagged" '[ $rc -eq 0 ] && [ "$(count warning rrc-confidence)" = 1 ]'
			else
				ok "golden $name: refused, and so an error here" '[ $rc -eq 1 ] && [ -n "$(count error ccw-order)" ]'
			fi
		else
			ok "golden $name: accepted, and no error here" '[ $rc -eq 0 ]'
		fi
	done
	run --from rrc "$G/subs/bowtie.zip"
	ok "golden bowtie: the very line the script named (sample 195)" 'grep -q "bowtie.zip#res_img_195.txt:7:1: error: points are counter-clockwise on screen (S = 114 > 0" "$tmp/err"'
	run --from rrc "$G/subs/reversed_ccw.zip"
	ok "golden reversed_ccw: every one of the 2077 quads" '[ "$(count error ccw-order)" = 2077 ]'
else
	echo "validate corpus: golden submissions not found, those checks skipped"
fi

# --dataset: the real state of this copy (train GT named img_N.jpg.txt, 100 of 1000
# train images), each split validated on its own (img_1.jpg is in both).
if [ -d "$D/icdar2015" ]; then
	run --dataset icdar2015 "$D/icdar2015"
	ok "--dataset icdar2015: exit 1 (incomplete copy)" '[ $rc -eq 1 ]'
	ok "--dataset icdar2015: 100 of 1000 train images" 'grep -q "train: 100 of 1000 images present" "$tmp/err"'
	ok "--dataset icdar2015: naming noted" 'grep -q "named img_N.jpg.txt, not the official gt_img_N.txt" "$tmp/err"'
	ok "--dataset icdar2015: one error, the count" '[ "$(count error dataset-count)" = 1 ] && ! grep -q duplicate-image "$tmp/out"'
	ok "--dataset icdar2015: 1500 images, 17116 regions" 'grep -q "^1500 images, 17116 regions" "$tmp/out"'
fi

[ $fail -eq 0 ] && echo "validate corpus: $n checks passed"
exit $fail
