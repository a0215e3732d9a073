#!/bin/sh
# textloc draw: overlays from annotations, image lookup, errors, exit codes.
# Self-contained: the test image is a 48x32 PNG made by textloc itself (below).
set -u
T=${TEXTLOC:-build/textloc}
W=$(mktemp -d "${TMPDIR:-/tmp}/tl_draw.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }

mkdir -p "$W/img" "$W/gt"
base64 -d > "$W/img/img_1.png" <<'B64'
iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAAQ0lEQVRYhe3OMQ3AQBDAsDup/DE8
iIIorELw+kOsAMh+79mZe3pm5yoNSUPSkDQkDUlD0pA0JA1JQ9KQNCQNSUPSkPwhXALos1N2BQAA
AABJRU5ErkJggg==
B64
printf '2,2,30,2,30,14,2,14,Hi\r\n4,18,40,18,40,30,4,30,###\r\n' > "$W/gt/gt_img_1.txt"

"$T" draw --from icdar2015 "$W/gt/gt_img_1.txt" --images "$W/img" -o "$W/out" > "$W/stdout" 2> "$W/stderr"; rc=$?
check "draws one image (rc $rc: $(cat "$W/stderr"))" '[ $rc -eq 0 ]'
check "lists the file written" 'grep -q "out/img_1.png$" "$W/stdout"'
check "output is a PNG" '[ "$(head -c 4 "$W/out/img_1.png" | tail -c 3)" = PNG ]'
check "overlay differs from the image" '! cmp -s "$W/out/img_1.png" "$W/img/img_1.png"'

# Probing the format, and finding the image next to the annotations.
cp "$W/img/img_1.png" "$W/gt/"
"$T" draw "$W/gt/gt_img_1.txt" -o "$W/out2" -q > "$W/stdout" 2>&1; rc=$?
check "image found next to the annotation (rc $rc)" '[ $rc -eq 0 ] && [ -f "$W/out2/img_1.png" ]'
check "-q prints nothing" '[ ! -s "$W/stdout" ]'

# Existing output is kept without --force.
"$T" draw "$W/gt/gt_img_1.txt" --images "$W/img" -o "$W/out" >/dev/null 2>&1; rc=$?
check "existing PNG without --force fails with 3 (rc $rc)" '[ $rc -eq 3 ]'
"$T" draw "$W/gt/gt_img_1.txt" --images "$W/img" -o "$W/out" --force --no-labels --thickness 3 --fill 80 >/dev/null 2>&1; rc=$?
check "--force overwrites (rc $rc)" '[ $rc -eq 0 ]'

# A missing image: reported, exit 1, the others still drawn.
printf '1,1,5,1,5,5,1,5,x\n' > "$W/gt/gt_img_2.txt"
"$T" draw "$W/gt/gt_img_1.txt" "$W/gt/gt_img_2.txt" --images "$W/img" -o "$W/out3" > /dev/null 2> "$W/stderr"; rc=$?
check "missing image exits 1 (rc $rc)" '[ $rc -eq 1 ]'
check "missing image named" 'grep -q "img_2.*not found" "$W/stderr"'
check "the other image still drawn" '[ -f "$W/out3/img_1.png" ]'

# A corrupt image and a too-large one.
printf '\211PNG\r\n\032\n\000\000\000\015IHDRjunk' > "$W/img/img_2.png"
"$T" draw "$W/gt/gt_img_2.txt" --images "$W/img" -o "$W/out4" > /dev/null 2> "$W/stderr"; rc=$?
check "corrupt image exits 1 (rc $rc)" '[ $rc -eq 1 ]'
check "corrupt image message names the file" 'grep -q "img_2.png" "$W/stderr"'
"$T" draw "$W/gt/gt_img_1.txt" --images "$W/img" -o "$W/out5" --max-pixels 100 > /dev/null 2> "$W/stderr"; rc=$?
check "--max-pixels refuses (rc $rc)" '[ $rc -eq 1 ] && grep -q "exceeds" "$W/stderr"'

# Images whose names differ only in the suffix get distinct overlays; a PaddleOCR
# label file names them (the decoder goes by content, so a.jpg may hold PNG bytes).
cp "$W/img/img_1.png" "$W/img/a.png"; cp "$W/img/img_1.png" "$W/img/a.jpg"
printf 'a.png\t[{"transcription": "x", "points": [[1, 1], [10, 1], [10, 10], [1, 10]]}]\na.jpg\t[{"transcription": "y", "points": [[2, 2], [12, 2], [12, 12], [2, 12]]}]\n' > "$W/pp.txt"
"$T" draw --from paddleocr "$W/pp.txt" --images "$W/img" -o "$W/out6" > "$W/stdout" 2> "$W/stderr"; rc=$?
check "suffix-only name clash drawn twice (rc $rc: $(cat "$W/stderr"))" '[ $rc -eq 0 ] && [ -f "$W/out6/a.png" ] && [ -f "$W/out6/a.jpg.png" ]'

# Parallel drawing: same files, listed in input order.
for k in 1 2 3 4 5 6; do cp "$W/img/img_1.png" "$W/img/p$k.png"; printf 'p%s.png\t[{"transcription": "t%s", "points": [[1, 1], [20, 1], [20, 9], [1, 9]]}]\n' $k $k; done > "$W/many.txt"
"$T" draw --from paddleocr "$W/many.txt" --images "$W/img" -o "$W/j1" -j 1 > "$W/o1" 2>&1; rc1=$?
"$T" draw --from paddleocr "$W/many.txt" --images "$W/img" -o "$W/j3" --jobs 3 > "$W/o3" 2>&1; rc3=$?
check "-j 1 and -j 3 succeed ($rc1, $rc3)" '[ $rc1 -eq 0 ] && [ $rc3 -eq 0 ]'
check "-j 3 lists the files in input order" '[ "$(sed "s|.*/||" "$W/o3" | tr "\n" " ")" = "p1.png p2.png p3.png p4.png p5.png p6.png " ]'
same() { for k in 1 2 3 4 5 6; do cmp -s "$W/j1/p$k.png" "$W/j3/p$k.png" || return 1; done; }
check "-j 3 draws what -j 1 draws" same
"$T" draw -j 0 -o "$W/x" "$W/gt/gt_img_1.txt" >/dev/null 2>&1; rc=$?
check "bad --jobs exits 2" '[ $rc -eq 2 ]'

# Usage errors.
"$T" draw "$W/gt/gt_img_1.txt" >/dev/null 2>&1; rc=$?
check "no -o exits 2" '[ $rc -eq 2 ]'
"$T" draw -o "$W/x" >/dev/null 2>&1; rc=$?
check "no input exits 2" '[ $rc -eq 2 ]'
"$T" draw --thickness 0 -o "$W/x" "$W/gt/gt_img_1.txt" >/dev/null 2>&1; rc=$?
check "bad --thickness exits 2" '[ $rc -eq 2 ]'
"$T" draw --from nosuchformat -o "$W/x" "$W/gt/gt_img_1.txt" >/dev/null 2>&1; rc=$?
check "unknown format exits 2" '[ $rc -eq 2 ]'
"$T" draw --help | head -n 1 | grep -q "^usage: textloc draw" || { echo "FAIL: --help"; fail=1; }
exit $fail
