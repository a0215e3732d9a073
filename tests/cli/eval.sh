#!/bin/sh
# textloc eval on the small fixtures in tests/data/eval (figures worked out by hand):
# gt_img_1: two care boxes and a don't-care box; res_img_1: one exact hit, one box
# shifted by a pixel (IoU 190/200), one box inside the don't-care region, one stray.
# gt_img_2: two care boxes (one transcription quoted with a comma); res_img_2 hits one.
# gt_img_3: one care box, no result file. So: 3 matches of 5 care GT, 4 care detections.
set -u
T=${TEXTLOC:-build/textloc}
D=tests/data/eval
fail=0
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }

out=$("$T" eval "$D/gt" "$D/det"); rc=$?
check "summary exits 0" '[ $rc -eq 0 ]'
check "summary: 5 care GT, 4 care det, 3 matched" 'echo "$out" | grep -q "gt care     5   det care 4   matched 3"'
check "summary: precision 3/4" 'echo "$out" | grep -q "^precision   0.750000"'
check "summary: recall 3/5" 'echo "$out" | grep -q "^recall      0.600000"'

"$T" eval --json "$D/gt" "$D/det" >"$tmp/a.json"; rc=$?
check "json exits 0" '[ $rc -eq 0 ]'
check "json: accepted" 'grep -q "\"accepted\": true" "$tmp/a.json"'
check "json: image 1 pairs and don't care" 'grep -q "\"1\": {.*\"pairs\": \[{\"gt\": 0, \"det\": 0}, {\"gt\": 1, \"det\": 1}\], \"gtDontCare\": \[2\], \"detDontCare\": \[2\]" "$tmp/a.json"'

out=$("$T" eval --per-image "$D/gt" "$D/det")
first=$(echo "$out" | sed -n '/^image /{n;p;}' | cut -d' ' -f1)
check "per-image: worst image (3, no result file) first, got '$first'" '[ "$first" = 3 ]'

"$T" eval "$D/gt" "$D/det_ccw" >/dev/null 2>"$tmp/err"; rc=$?
check "counter-clockwise quad refused with exit 1" '[ $rc -eq 1 ]'
check "refusal names file and line" 'grep -q "det_ccw/res_img_2.txt:1:" "$tmp/err"'
check "refusal says how to proceed" 'grep -q -- "--lenient" "$tmp/err"'
"$T" eval --json "$D/gt" "$D/det_ccw" >"$tmp/r.json" 2>/dev/null
check "refusal in JSON carries the reference text" 'grep -q "\"error\": \"Line in sample not valid. Sample: 2 Line: 0,0,0,10,10,10,10,0 Error: Points are not clockwise." "$tmp/r.json"'
out=$("$T" eval --lenient "$D/gt" "$D/det_ccw"); rc=$?
check "--lenient accepts it (3 of 5 matched)" '[ $rc -eq 0 ] && echo "$out" | grep -q "matched 3"'

"$T" eval "$D/gt" "$D/det_conf" >/dev/null 2>&1; rc=$?
check "a confidence column without --confidences is refused" '[ $rc -eq 1 ]'
out=$("$T" eval -c "$D/gt" "$D/det_conf")
# care detections by confidence: 0.9 hit, 0.6 miss, 0.4 hit; AP = (1 + 2/3) / 5
check "AP with confidences" 'echo "$out" | grep -q "^AP          0.333333"'
out=$("$T" eval -c --sweep "$D/gt" "$D/det_conf")
check "sweep marks a best threshold" 'echo "$out" | grep -q "best hmean"'

"$T" eval "$D/gt" "$D/det_badname" >/dev/null 2>"$tmp/err"; rc=$?
check "stray entry refused" '[ $rc -eq 1 ] && grep -q "ZIP entry not valid: readme.txt" "$tmp/err"'

# the same GT as a PaddleOCR label file (read through the format readers)
out=$("$T" eval "$D/gt_paddle.txt" "$D/det"); rc=$?
check "PaddleOCR-label GT gives the RRC figures" '[ $rc -eq 0 ] && echo "$out" | grep -q "gt care     5   det care 4   matched 3"'
"$T" eval "$D/gt_paddle.txt" "$D/det_extra" >/dev/null 2>"$tmp/err"; rc=$?
check "outside the RRC rules a result without GT is listed, not fatal" '[ $rc -eq 0 ] && grep -q "1 result image(s) have no ground truth.*: 9" "$tmp/err"'
"$T" eval "$D/gt" "$D/det_extra" >/dev/null 2>"$tmp/err"; rc=$?
check "under the RRC rules it refuses the submission" '[ $rc -eq 1 ] && grep -q "The sample 9 not present in GT" "$tmp/err"'
# identity: GT scored against itself gives 1 under every protocol (What users hit #19)
for p in icdar2015 tiou deteval deteval-poly paddleocr-iou mmocr-hmean ufo-deteval cleval; do
	out=$("$T" eval -p $p "$D/gt_paddle.txt" "$D/gt_paddle.txt")
	check "$p: GT against itself scores 1" 'echo "$out" | grep -q "^hmean       1.000000"'
done
"$T" eval -p paddleocr-iou "$D/gt" "$D/det_badname" >/dev/null 2>"$tmp/err"; rc=$?
check "Shapely-tool protocols skip a stray entry and say so" '[ $rc -eq 0 ] && grep -q "1 result entry not named res_img_<N>.txt was skipped" "$tmp/err"'
"$T" eval --gt-format nosuch "$D/gt" "$D/det" >/dev/null 2>&1; rc=$?
check "unknown --gt-format is a usage error" '[ $rc -eq 2 ]'

"$T" eval -p nosuch "$D/gt" "$D/det" >/dev/null 2>&1; rc=$?
check "unknown protocol is a usage error" '[ $rc -eq 2 ]'
"$T" eval "$D/gt" >/dev/null 2>&1; rc=$?
check "one operand is a usage error" '[ $rc -eq 2 ]'
"$T" eval "$D/gt" "$D/nosuch" >/dev/null 2>&1; rc=$?
check "missing input exits 3" '[ $rc -eq 3 ]'

# shards merged = one run, for every protocol that reads these files
for p in icdar2015 tiou paddleocr-iou deteval-poly mmocr-hmean cleval; do
	"$T" eval -p $p --json "$D/gt" "$D/det" | sed -n '/"method"/p' >"$tmp/one"
	"$T" eval -p $p --json --partial --shard 0/2 "$D/gt" "$D/det" >"$tmp/p0.json"
	"$T" eval -p $p --json --partial --shard 1/2 "$D/gt" "$D/det" >"$tmp/p1.json"
	"$T" eval --merge --json "$tmp/p0.json" "$tmp/p1.json" | sed -n '/"method"/p' >"$tmp/two"
	check "$p: merged shards give the one-run figures" 'cmp -s "$tmp/one" "$tmp/two"'
done
"$T" eval --merge "$tmp/p0.json" "$tmp/p0.json" >/dev/null 2>&1; rc=$?
check "merging the same part twice is refused" '[ $rc -eq 1 ]'

"$T" eval --report "$tmp/rep" "$D/gt" "$D/det" >/dev/null; rc=$?
check "--report exits 0" '[ $rc -eq 0 ]'
check "--report writes the index, worst image first" 'grep -q "img_3.png" "$tmp/rep/index.html" && [ "$(grep -o "href=\"img_[0-9]*.png" "$tmp/rep/index.html" | head -n 1)" = "href=\"img_3.png" ]'
check "--report draws every image as PNG" 'for k in 1 2 3; do head -c 8 "$tmp/rep/img_$k.png" | od -c | grep -q "P   N   G" || exit 1; done'

"$T" eval --report "$tmp/rep2" "$D/gt_paddle.txt" "$D/det" >/dev/null; rc=$?
check "--report with GT read through the formats" '[ $rc -eq 0 ] && [ -f "$tmp/rep2/img_2.png" ] && [ -f "$tmp/rep2/index.html" ]'

"$T" eval -o "$tmp/out.txt" "$D/gt" "$D/det"
check "-o writes the file" 'grep -q "^hmean" "$tmp/out.txt"'
"$T" eval -o "$tmp/out.txt" "$D/gt" "$D/det" 2>/dev/null; rc=$?
check "-o keeps an existing file without -f" '[ $rc -ne 0 ]'
"$T" eval -f -o "$tmp/out.txt" "$D/gt" "$D/det"; rc=$?
check "-f overwrites" '[ $rc -eq 0 ]'
exit $fail
