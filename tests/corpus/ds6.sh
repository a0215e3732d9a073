#!/bin/sh
# The dataset formats, datasets, stats and crop against the real data in
# ../shared/data (skipped when it is absent).
set -u
T=${TEXTLOC:-build/textloc}
D=../shared/data
if [ ! -d "$D" ]; then echo "ds6 corpus: $D not found, skipped"; exit 0; fi
W=$(mktemp -d /tmp/tl_ds6corpus.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }
# field of the stats --json summary
count() { "$T" stats --json "$@" 2>/dev/null | sed -n 's/.*"regions": \([0-9]*\), "care": \([0-9]*\), "dontcare": \([0-9]*\).*/\1 \2 \3/p'; }

check "Total-Text test GT: 2546 regions, 331 don't care" '[ "$(count --from totaltext $D/totaltext/test_gts)" = "2546 2215 331" ]'
check "MSRA-TD500: 231 lines, 30 difficult" '[ "$(count --from msra-td500 $D/msra_td500)" = "231 201 30" ]'
check "SROIE boxes: 1200 words" '[ "$(count --from sroie $D/sroie/box)" = "1200 1200 0" ]'
check "WildReceipt: 86 boxes" '[ "$(count --from wildreceipt $D/wildreceipt/data.txt)" = "86 86 0" ]'
check "mmocr 1.x: 82 instances, 61 ignored" '[ "$(count --from mmocr $D/mmocr_toy/det_toy_dataset_v1/textdet_test.json)" = "82 21 61" ]'
check "mmocr 0.x COCO: 82, 61 iscrowd" '[ "$(count --from mmocr-coco $D/mmocr_toy/toy_dataset_v0/instances_test.json)" = "82 21 61" ]'
check "mmocr 0.x JSON lines: 82, 61 iscrowd" '[ "$(count --from mmocr-jsonl $D/mmocr_toy/toy_dataset_v0/instances_test.txt)" = "82 21 61" ]'
check "LabelMe: 82 shapes" '[ "$(count --from labelme $D/mmocr_toy/toy_dataset_v0/labelme)" = "82 21 61" ]'
check "CTW1500 detections: 3342 polygons" '[ "$(count --from ctw1500 $D/ctw1500_detections)" = "3342 3342 0" ]'

# same-format round trips give the files back
"$T" convert --from totaltext --to ufo -o "$W/tt.json" $D/totaltext/test_gts >/dev/null 2>&1
"$T" convert --from ufo --to totaltext -o "$W/tt" "$W/tt.json" >/dev/null 2>&1
n=0; for f in $D/totaltext/test_gts/*.txt; do cmp -s "$f" "$W/tt/$(basename "$f")" || n=$((n+1)); done
check "Total-Text -> UFO -> Total-Text: all 300 files identical ($n differ)" '[ $n -eq 0 ]'
"$T" convert --from msra-td500 --to msra-td500 -o "$W/msra" $D/msra_td500 >/dev/null 2>&1
n=0; for f in $D/msra_td500/*.gt; do cmp -s "$f" "$W/msra/$(basename "$f")" || n=$((n+1)); done
check "MSRA-TD500 rewrite: all 50 files identical, CRLF and radians included ($n differ)" '[ $n -eq 0 ]'
"$T" convert --from sroie --to sroie -o "$W/sroie" $D/sroie/box >/dev/null 2>&1
n=0; for f in $D/sroie/box/*.csv; do tr -d '\r' <"$f" | cmp -s - "$W/sroie/$(basename "$f")" || n=$((n+1)); done
check "SROIE rewrite: all 20 files identical up to line ends ($n differ)" '[ $n -eq 0 ]'
"$T" convert --from wildreceipt --to icdar2015 -o "$W/wr" $D/wildreceipt/data.txt >/dev/null 2>&1
check "WildReceipt to ICDAR 2015: boxes turned clockwise from the top-left" 'head -n 1 "$W/wr/gt_1.txt" | grep -q "^550,104,937,104,937,190,550,190,SAFEWAY"'
"$T" convert --from mmocr --to mmocr -o "$W/m.json" $D/mmocr_toy/det_toy_dataset_v1/instances_test.json >/dev/null 2>&1
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(a!=b)" \
	$D/mmocr_toy/det_toy_dataset_v1/instances_test.json "$W/m.json" 2>/dev/null; rc=$?
check "mmocr 1.x rewrite: same JSON value" '[ $rc -eq 0 ]'

# the ICDAR 2015 copy: what is really there
"$T" datasets --check $D/icdar2015 icdar2015 >"$W/chk" 2>&1; rc=$?
check "icdar2015 copy reported incomplete (exit 1)" '[ $rc -eq 1 ]'
check "train GT named img_N.jpg.txt" 'grep -q "train: annotation files named img_N.jpg.txt, not the official gt_img_N.txt (1000 files)" "$W/chk"'
check "100 of 1000 train images" 'grep -q "train: 100 of 1000 images present (missing img_101.jpg" "$W/chk"'
check "test split complete with its 5230 regions" 'grep -q "test: 500 images in .*test_images, 500 annotation files in .*test_gt (icdar2015, 5230 regions)" "$W/chk"'
check "no test errors" '! grep -q "error: test" "$W/chk"'
"$T" convert -q --dataset icdar2015 $D/icdar2015 --split test --to ufo -o "$W/ds.json" 2>/dev/null; rc=$?
"$T" convert -q --images $D/icdar2015/test_images --to ufo -o "$W/dir.json" $D/icdar2015/test_gt 2>/dev/null
check "convert --dataset: the test split with its image sizes" '[ $rc -eq 0 ] && cmp -s "$W/ds.json" "$W/dir.json"'
"$T" eval --dataset icdar2015 $D/icdar2015 $D/icdar2015/east_detections >"$W/e1" 2>&1; rc=$?
"$T" eval $D/icdar2015/test_gt $D/icdar2015/east_detections >"$W/e2" 2>&1
check "eval --dataset scores the EAST results on the test split (hmean 0.806541)" '[ $rc -eq 0 ] && cmp -s "$W/e1" "$W/e2" && grep -q "^hmean       0.806541" "$W/e1"'
check "stats over the test split: 5230 regions, 2077 care" '[ "$(count --dataset icdar2015 $D/icdar2015 --split test)" = "5230 2077 3153" ]'

# crop the test split's care words
"$T" crop --dataset icdar2015 $D/icdar2015 --split test --shard 0/10 --height 32 -o "$W/crop" >/dev/null 2>&1; rc=$?
check "crop of a tenth of the test split" '[ $rc -eq 0 ] && [ $(wc -l <"$W/crop/labels.txt") -gt 100 ]'
exit $fail
