#!/bin/sh
# datasets, stats and crop from the command line, and conversions of the dataset
# formats' samples (tests/data/ds6, written from docs/formats.md). Needs nothing
# outside the checkout.
set -u
T=${TEXTLOC:-build/textloc}
S=tests/data/ds6
W=$(mktemp -d /tmp/tl_ds6cli.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }

# --- datasets
"$T" datasets >"$W/list" 2>&1; rc=$?
check "datasets lists icdar2015 and totaltext" '[ $rc -eq 0 ] && grep -q "^icdar2015 " "$W/list" && grep -q "^totaltext " "$W/list"'
"$T" datasets icdar2015 >"$W/desc" 2>&1
check "datasets NAME shows folders and patterns" 'grep -q "gt_img_{N}.txt" "$W/desc" && grep -q "CC BY 4.0" "$W/desc"'
"$T" datasets --json >"$W/json" 2>&1
check "datasets --json is a JSON list" 'head -c1 "$W/json" | grep -q "\["'
"$T" datasets no-such-set >/dev/null 2>&1; rc=$?
check "unknown dataset exits 2" '[ $rc -eq 2 ]'
"$T" datasets --check "$W" >/dev/null 2>&1; rc=$?
check "--check without NAME exits 2" '[ $rc -eq 2 ]'
mkdir -p "$W/ic15/train_images" "$W/ic15/train_gt"
for i in 1 2; do : >"$W/ic15/train_images/img_$i.jpg"; printf '1,1,5,1,5,5,1,5,A\r\n' >"$W/ic15/train_gt/img_$i.jpg.txt"; done
"$T" datasets --check "$W/ic15" --split train icdar2015 >"$W/chk" 2>&1; rc=$?
check "--check reports the incomplete copy (exit 1)" '[ $rc -eq 1 ] && grep -q "2 of 1000 images present" "$W/chk" && grep -q "not the official gt_img_N.txt" "$W/chk"'

# gzip-compressed inputs (HierText ships validation.jsonl.gz) read as their content
gzip -c "$S/hiertext/validation.jsonl" > "$W/validation.jsonl.gz"
"$T" convert -q --to textloc -o "$W/gz.txt" "$W/validation.jsonl.gz" 2>/dev/null; rc=$?
"$T" convert -q --to textloc -o "$W/plain.txt" "$S/hiertext/validation.jsonl" 2>/dev/null
check "a .jsonl.gz reads as the .jsonl" '[ $rc -eq 0 ] && cmp -s "$W/gz.txt" "$W/plain.txt"'
head -c 200 "$W/validation.jsonl.gz" > "$W/trunc.jsonl.gz"
"$T" convert --to ufo -o "$W/trunc.json" "$W/trunc.jsonl.gz" >"$W/trunc.err" 2>&1; rc=$?
check "a truncated .gz is an error naming the file (exit 1, nothing written)" '[ $rc -eq 1 ] && grep -q "trunc.jsonl.gz: error: truncated gzip data" "$W/trunc.err" && [ ! -e "$W/trunc.json" ]'

# --encoding latin1 decodes once (the byte 0xE9 is e-acute), in every line format
printf '1,1,5,1,5,5,1,5,caf\351\r\n' > "$W/000.csv"
printf '1,1,5,1,5,5,1,5,caf\351\r\n' > "$W/img1.jpg.txt"
for f in "sroie $W/000.csv" "totaltext $W/img1.jpg.txt" "icdar2015 $W/img1.jpg.txt"; do
	set -- $f
	"$T" convert -q --from $1 --encoding latin1 --to textloc -o "$W/l1.txt" --force "$2" 2>/dev/null
	check "$1 --encoding latin1 reads caf\\351 as café" 'grep -q "\"text\": \"café\"" "$W/l1.txt"'
done
# HierText round trips keep what a same-format rewrite can hold (found by fuzzing):
# a non-object in a "lines" list, and an illegible line that has a text
cat > "$W/ht.jsonl" <<'EOF'
{"info": {"date": "2022"}, "annotations": [{"image_id": "a", "image_width": 100, "image_height": 80,
 "paragraphs": [{"vertices": [[1,1],[90,1],[90,70],[1,70]], "legible": true, "lines": [[5, 5],
  {"vertices": [[2,2],[80,2],[80,30],[2,30]], "text": "XY", "legible": false, "words": [
   {"vertices": [[2,2],[80,2],[80,30],[2,30]], "text": "XY", "legible": false}]}]}]}]}
EOF
for lv in hiertext hiertext-lines; do
	"$T" convert -q --from $lv --to $lv -o "$W/ht1.json" --force "$W/ht.jsonl" 2>/dev/null
	"$T" convert -q --from $lv --to $lv -o "$W/ht2.json" --force "$W/ht1.json" 2>/dev/null
	check "$lv: a rewrite keeps [5, 5] in lines and the illegible text" 'cmp -s "$W/ht1.json" "$W/ht2.json" && grep -q "\[5,5\]" "$W/ht1.json" && grep -q "\"text\":\"XY\"" "$W/ht1.json"'
done

cat > "$W/ht2.jsonl" <<'EOF'
{"annotations": [{"image_id": "b", "paragraphs": [{"vertices": [[1,1],[9,1],[9,9],[1,9]], "legible": true,
 "l": false, "@p": 7, "lines": [{"vertices": [[1,1],[9,1],[9,9],[1,9]], "text": "A", "legible": true, "l": 3,
  "words": [{"vertices": [[1,1],[9,1],[9,9],[1,9]], "text": "A", "legible": true, "@l": "x"}]}]}]}]}
EOF
for lv in hiertext hiertext-lines hiertext-paragraphs; do
	"$T" convert -q --from $lv --to $lv -o "$W/h1.json" --force "$W/ht2.jsonl" 2>/dev/null
	"$T" convert -q --from $lv --to $lv -o "$W/h2.json" --force "$W/h1.json" 2>/dev/null
	check "$lv: members named l, @p, @l survive a rewrite" 'cmp -s "$W/h1.json" "$W/h2.json" && grep -q "\"l\":false" "$W/h1.json" && grep -q "\"@p\":7" "$W/h1.json" && grep -q "\"l\":3" "$W/h1.json" && grep -q "\"@l\":\"x\"" "$W/h1.json"'
done
printf '{"annotations": [{"image_id": "c", "paragraphs": [{"vertices": [[1,1],[9,1],[9,9],[1,9]], "legible": true, "legible": false, "lines": [], "lines": [{"vertices": [[1,1],[9,1],[9,9],[1,9]], "text": "B", "legible": true, "words": []}]}]}]}' > "$W/ht3.jsonl"
for lv in hiertext hiertext-lines; do
	"$T" convert -q --from $lv --to textloc -o "$W/d1.txt" --force "$W/ht3.jsonl" 2>/dev/null
	"$T" convert -q --from $lv --to $lv -o "$W/h3.json" --force "$W/ht3.jsonl" 2>/dev/null
	"$T" convert -q --from $lv --to textloc -o "$W/d2.txt" --force "$W/h3.json" 2>/dev/null
	check "$lv: repeated member names read as their first; a rewrite reads back the same" 'cmp -s "$W/d1.txt" "$W/d2.txt"'
done
# totaltext-legacy reads the flattened form too; a rewrite keeps it (no invented ornt)
printf '0,0,0,10,10,10,10,0\n' > "$W/flat/img9.jpg.txt" 2>/dev/null || { mkdir -p "$W/flat"; printf '0,0,0,10,10,10,10,0\n' > "$W/flat/img9.jpg.txt"; }
"$T" convert -q --from totaltext-legacy --to totaltext-legacy -o "$W/flat_out" --force "$W/flat/img9.jpg.txt" 2>/dev/null
check "totaltext-legacy rewrites a flattened file in the flattened form" '[ "$(cat "$W/flat_out/"*)" = "0,0,0,10,10,10,10,0," ]'
# mmocr: a bbox derived from the polygon is written exactly (cJSON alone keeps 15 digits)
printf '{"metainfo": {}, "data_list": [{"img_path": "a.jpg", "instances": [{"polygon": [1, 2, 8.888888888888889e+24, 2, 8.888888888888889e+24, 5, 1, 5], "ignore": false}]}]}' > "$W/mm.json"
"$T" convert -q --from mmocr --to mmocr -o "$W/mm1.json" --force "$W/mm.json" 2>/dev/null
"$T" convert -q --from mmocr --to mmocr -o "$W/mm2.json" --force "$W/mm1.json" 2>/dev/null
check "mmocr: a computed bbox reads back as the polygon's bounds" 'cmp -s "$W/mm1.json" "$W/mm2.json" && grep -q "\"bbox\":\[1,2,8.888888888888889e+24,5\]" "$W/mm1.json"'

# probing: polygon lines are not ICDAR 2015 quads with a numeric "transcription"
printf '10,10,50,10,90,12,90,40,50,42,10,40,SALE\n5,5,20,5,20,20,5,20,#\n' > "$W/gt_img1.txt"
"$T" convert -q --to textloc -o "$W/p1.txt" "$W/gt_img1.txt" 2>/dev/null
check "Total-Text gt_img1.txt with a 6-point polygon probes as totaltext" 'head -1 "$W/p1.txt" | grep -q "\"format\": \"totaltext\""'
printf '10,10,50,10,90,12,90,40,50,42,10,40,12,50,14,60,20,70,22,80,30,90,40,99\n' > "$W/0001.txt"
"$T" convert -q --to textloc -o "$W/p2.txt" "$W/0001.txt" 2>/dev/null
check "a CTW1500 detection line without #### probes as ctw1500" 'head -1 "$W/p2.txt" | grep -q "\"format\": \"ctw1500\""'
cp "$W/gt_img1.txt" "$W/gt_img_1.txt"
"$T" convert -q --to textloc -o "$W/p3.txt" "$W/gt_img_1.txt" 2>/dev/null
check "the same lines named gt_img_1.txt stay icdar2015 (the ICDAR name decides a tie)" 'head -1 "$W/p3.txt" | grep -q "\"format\": \"icdar2015\""'

# binary files given as annotations are named for what they are
printf 'MATLAB 5.0 MAT-file, Platform: GLNXA64\000\001' > "$W/poly_gt_img1.mat"
"$T" convert --to ufo -o "$W/m.json" "$W/poly_gt_img1.mat" >"$W/mat.err" 2>&1; rc=$?
check "a .mat file: a clear error, exit 1" '[ $rc -eq 1 ] && grep -q "poly_gt_img1.mat: error: this is a MATLAB .mat file" "$W/mat.err"'

# --dataset on convert and eval: a test split under its official names beside it
mkdir -p "$W/ic15/Challenge4_Test_Task1_GT" "$W/ic15/ch4_test_images"
cp tests/data/formats/icdar2015/gt_img_*.txt "$W/ic15/Challenge4_Test_Task1_GT/"
"$T" convert --dataset icdar2015 "$W/ic15" --to ufo -o "$W/both.json" >"$W/conv" 2>&1; rc=$?
check "convert --dataset with two splits present asks for one (exit 2)" '[ $rc -eq 2 ] && grep -q "splits train, test: pick one with --split" "$W/conv"'
"$T" convert -q --dataset icdar2015 "$W/ic15" --split test --to ufo -o "$W/test.json" 2>"$W/conv"; rc=$?
"$T" convert -q --to ufo -o "$W/plain.json" tests/data/formats/icdar2015 2>/dev/null
check "convert --dataset --split test equals converting the folder" '[ $rc -eq 0 ] && cmp -s "$W/test.json" "$W/plain.json"'
"$T" convert -q --dataset icdar2015 "$W/ic15" --split train --to icdar2015 -o "$W/train_out" 2>/dev/null; rc=$?
check "convert --dataset reads the re-distribution names img_N.jpg.txt" '[ $rc -eq 0 ] && [ "$(ls "$W/train_out" | wc -l)" -eq 2 ]'
"$T" convert --dataset icdar2015 "$W/ic15" --split val --to ufo -o "$W/x.json" >/dev/null 2>&1; rc=$?
check "convert --split of no such split exits 2" '[ $rc -eq 2 ]'
mkdir -p "$W/det"
for f in tests/data/formats/icdar2015/gt_img_*.txt; do
	n=$(basename "$f" | sed 's/^gt_//'); cut -d, -f1-8 "$f" | tr -d '\r' > "$W/det/res_$n"; done
"$T" eval --dataset icdar2015 "$W/ic15" "$W/det" >"$W/ev1" 2>&1; rc1=$?
"$T" eval tests/data/formats/icdar2015 "$W/det" >"$W/ev2" 2>&1
check "eval --dataset scores against the test split like the folder itself" '[ $rc1 -eq 0 ] && grep -q "^hmean" "$W/ev1" && cmp -s "$W/ev1" "$W/ev2"'
"$T" eval --dataset icdar2015 --split train "$W/ic15" "$W/det" >"$W/ev3" 2>&1; rc=$?
check "eval --dataset --split train reads img_N.jpg.txt by format" '[ $rc -eq 0 ] && grep -q "^images      2" "$W/ev3"'
"$T" eval --split test "$W/ic15" "$W/det" >/dev/null 2>&1; rc=$?
check "eval --split without --dataset exits 2" '[ $rc -eq 2 ]'

# --- conversions of the samples: a same-format rewrite is stable (the samples are
# pretty-printed, the writers compact, so compare the second write with the first)
rt() { # format input
	"$T" convert --from "$1" --to "$1" -o "$W/rt1" --force "$2" >/dev/null 2>&1 &&
	"$T" convert --from "$1" --to "$1" -o "$W/rt2" --force "$W/rt1" >/dev/null 2>&1 &&
	cmp -s "$W/rt1" "$W/rt2"
}
for f in "art $S/art/train_labels.json" "lsvt $S/art/train_full_labels.json" \
	 "hiertext $S/hiertext/validation.jsonl" "cocotext $S/cocotext/cocotext.v2.json"; do
	set -- $f
	fmt=$1 inp=$2
	check "$fmt same-format rewrite is stable" 'rt $fmt $inp'
done
for f in "doctr $S/doctr/labels.json" "cocotext $S/cocotext/cocotext.v2.json" \
	 "textocr $S/textocr/TextOCR_sample.json"; do
	set -- $f
	"$T" convert --from "$1" --to ufo -o "$W/u.json" --force "$2" >/dev/null 2>&1; rc=$?
	check "$1 sample converts to UFO" '[ $rc -eq 0 ] && [ -s "$W/u.json" ]'
	rm -f "$W/u.json"
done
"$T" convert --to totaltext -o "$W/tt" --force $S/ctw1500/0000042.txt >/dev/null 2>&1; rc=$?
check "CTW1500 test GT probes and converts to Total-Text" '[ $rc -eq 0 ] && grep -q "^95,230,.*,GRAND$" "$W/tt/0042.jpg.txt" && grep -q ",###$" "$W/tt/0042.jpg.txt"'

# --- stats
if "$T" stats --help >/dev/null 2>&1; then
	"$T" stats --from ctw1500-xml $S/ctw1500/0042.xml >"$W/st" 2>&1; rc=$?
	check "stats prints counts" '[ $rc -eq 0 ] && grep -q "regions *2" "$W/st"'
	"$T" stats --json --from hiertext $S/hiertext/validation.jsonl >"$W/st.json" 2>&1; rc=$?
	check "stats --json" '[ $rc -eq 0 ] && grep -q "\"regions\": 4" "$W/st.json" && grep -q "\"dontcare\": 1" "$W/st.json"'
	"$T" stats --shard 1/2 --from hiertext $S/hiertext/validation.jsonl >"$W/sh" 2>&1; rc=$?
	check "stats --shard 1/2 takes the second image" '[ $rc -eq 0 ] && grep -q "images *1" "$W/sh" && grep -q "regions *0" "$W/sh"'
	"$T" stats --json --shard 0/2 --from hiertext $S/hiertext/validation.jsonl >"$W/s0.json" 2>/dev/null
	"$T" stats --json --shard 1/2 --from hiertext $S/hiertext/validation.jsonl >"$W/s1.json" 2>/dev/null
	"$T" stats --json --merge "$W/s0.json" "$W/s1.json" >"$W/sm.json" 2>&1; rc=$?
	check "stats --merge of two shards equals the whole" '[ $rc -eq 0 ] && cmp -s "$W/sm.json" "$W/st.json"'
	"$T" stats --merge "$W/sh" >/dev/null 2>&1; rc=$?
	check "stats --merge refuses a table" '[ $rc -eq 1 ]'
	"$T" stats --plot "$W/plots" --from ctw1500-xml $S/ctw1500/0042.xml >/dev/null 2>&1; rc=$?
	check "stats --plot writes PNG histograms" '[ $rc -eq 0 ] && [ -s "$W/plots/height.png" ] && head -c 4 "$W/plots/angle.png" | grep -q PNG'
	"$T" stats --shard 2/2 $S/art >/dev/null 2>&1; rc=$?
	check "stats --shard 2/2 is a usage error" '[ $rc -eq 2 ]'
fi
# --- crop (the sample page of datasets/samples, boxes in tests/data/ds6/sample)
if "$T" crop --help >/dev/null 2>&1 && [ -f datasets/samples/sample.png ]; then
	"$T" crop --from totaltext --images datasets/samples -o "$W/crop" --height 32 --pad 0.1 \
		$S/sample/sample.png.txt >/dev/null 2>&1; rc=$?
	check "crop writes 3 care words and a label file" '[ $rc -eq 0 ] && [ $(wc -l <"$W/crop/labels.txt") -eq 3 ] && grep -q "^images/sample_3.png	OPEN$" "$W/crop/labels.txt" && [ -s "$W/crop/images/sample_1.png" ]'
	"$T" crop --from totaltext --images datasets/samples -o "$W/crop" \
		$S/sample/sample.png.txt >/dev/null 2>&1; rc=$?
	check "crop refuses to overwrite without --force" '[ $rc -eq 1 ]'
	"$T" crop --layout mmocr --dontcare --from totaltext --images datasets/samples \
		-o "$W/crop2" $S/sample/sample.png.txt >/dev/null 2>&1; rc=$?
	check "crop --layout mmocr --dontcare" '[ $rc -eq 0 ] && grep -q "\"text\": \"###\"" "$W/crop2/textrecog.json" && grep -q TextRecogDataset "$W/crop2/textrecog.json"'
	"$T" crop -o "$W/c3" --pad -1 x >/dev/null 2>&1; rc=$?
	check "crop --pad -1 is a usage error" '[ $rc -eq 2 ]'
fi
exit $fail
