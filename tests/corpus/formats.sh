#!/bin/sh
# The real annotation files of ../shared/data in the issue-2 formats: each set reads
# without error and round-trips through its own format with identical geometry,
# text and flags (compared as textloc's lossless dump), and ICDAR 2015 test GT ->
# UFO -> ICDAR 2015 gives the same lines (BOM and line ends aside).
set -u
T=${TEXTLOC:-build/textloc}
D=../shared/data
if [ ! -d "$D" ]; then
	echo "formats corpus: $D not found; skipped"
	exit 0
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tl_fcorpus.XXXXXX")
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
norm() { sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' -e '/^$/d' "$1"; }

# name format input [output suffix [format the probe may name instead]]
roundtrip() {
	name=$1 fmt=$2 in=$3 ext=${4:-} alt=${5:-$2}
	out=$W/$name$ext
	if ! "$T" convert -q --from "$fmt" --to textloc -o "$W/$name.a" "$in" 2>"$W/$name.err"; then
		echo "FAIL: $name: reading gives errors"; head -n 5 "$W/$name.err"; fail=1; return
	fi
	[ -s "$W/$name.err" ] && { echo "note: $name: diagnostics on reading:"; head -n 3 "$W/$name.err"; }
	"$T" convert -q --from "$fmt" --to "$fmt" -o "$out" "$in" 2>>"$W/$name.err" &&
	"$T" convert -q --from "$fmt" --to textloc -o "$W/$name.b" "$out" 2>>"$W/$name.err"
	check "$name ($fmt): $(grep -c '"image"' "$W/$name.a") images, $(grep -o '"text"' "$W/$name.a" | wc -l) regions round-trip unchanged" \
		'cmp -s "$W/$name.a" "$W/$name.b"'
	# and probing finds the same format without --from
	"$T" convert --to textloc -o "$W/$name.p" "$in" 2>"$W/$name.perr"
	check "$name: probed as $fmt or $alt" 'grep -q "read ($fmt)\|read ($alt)" "$W/$name.perr"'
}

roundtrip ic15_test_gt icdar2015 "$D/icdar2015/test_gt"
roundtrip ic15_test_zip icdar2015 "$D/icdar2015/test_gt.zip"
roundtrip ic15_train_gt icdar2015 "$D/icdar2015/train_gt"
roundtrip mqhs icdar2015 "$D/mqhs/test_gts"
roundtrip sroie_box icdar2015 "$D/sroie/box" "" sroie
roundtrip east_detections rrc "$D/icdar2015/east_detections"
roundtrip paddle_test paddleocr "$D/icdar2015/paddleocr/test_icdar2015_label.txt" .txt
roundtrip paddle_train paddleocr "$D/icdar2015/paddleocr/train_icdar2015_label.txt" .txt
roundtrip ufo_korean ufo "$D/ufo_icdar17_korean/ufo/train.json" .json

# regression numbers of formats.md §4.2 and the data README
check "test GT: 5230 regions" '[ $(grep -o "\"text\"" "$W/ic15_test_gt.a" | wc -l) -eq 5230 ]'
check "test GT: 3153 don't care" '[ $(grep -o "\"dontcare\": true" "$W/ic15_test_gt.a" | wc -l) -eq 3153 ]'
check "test GT zip = test GT folder" 'cmp -s "$W/ic15_test_gt.a" "$W/ic15_test_zip.a"'
check "UFO: 4078 words, 470 illegible" \
	'[ $(grep -o "\"text\"" "$W/ufo_korean.a" | wc -l) -eq 4078 ] && [ $(grep -o "\"dontcare\": true" "$W/ufo_korean.a" | wc -l) -eq 470 ]'

# ICDAR 2015 test GT -> UFO -> ICDAR 2015: the same lines
"$T" convert -q --to ufo -o "$W/gt.json" "$D/icdar2015/test_gt" &&
"$T" convert -q --to icdar2015 -o "$W/gt_back" "$W/gt.json"
same=0 differ=0
for f in "$D"/icdar2015/test_gt/*.txt; do
	b=$(basename "$f")
	if [ "$(norm "$f")" = "$(norm "$W/gt_back/$b")" ]; then same=$((same + 1)); else differ=$((differ + 1)); fi
done
check "ICDAR 2015 -> UFO -> ICDAR 2015: $same files the same, $differ differ" '[ $same -eq 500 ] && [ $differ -eq 0 ]'

# --images: sizes from the JPEG headers of the test images
"$T" convert -q --to ufo --images "$D/icdar2015/test_images" -o "$W/sized.json" "$D/icdar2015/test_gt"
check "--images reads 500 image sizes (1280x720)" \
	'[ $(grep -o "\"img_h\": 720, \"img_w\": 1280" "$W/sized.json" | wc -l) -eq 500 ]'

# UFO written back is the same JSON tree as the original (python3 compares them)
if command -v python3 >/dev/null 2>&1; then
	check "UFO written back is the same JSON" \
		"python3 -c 'import json,sys; sys.exit(json.load(open(\"$D/ufo_icdar17_korean/ufo/train.json\")) != json.load(open(\"$W/ufo_korean.json\")))'"
fi
exit $fail
