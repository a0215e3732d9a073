#!/bin/sh
# textloc detect from the command line: usage errors, then (when the model is
# there) a run on the project's own sample image in each output mode.
set -u
T=${TEXTLOC:-build/textloc}
M=models/ch_PP-OCRv4_det_infer.onnx
S=datasets/samples/sample.png
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check "--help first line" '"$T" detect --help | head -n 1 | grep -q "^usage: textloc detect \[options\] IMAGE\.\.\.$"'
for args in "" "--jobs 0 x.png" "--shape circle x.png" "--shard 3/2 x.png" "--thresh 1.5 x.png" \
	"--limit-type mid x.png" "--format nosuchformat -o o x.png" "--format ufo x.png" "--bogus"; do
	rc=0; "$T" detect $args >/dev/null 2>&1 || rc=$?
	check "detect $args exits 2 (got $rc)" '[ $rc -eq 2 ]'
done

if [ ! -f "$M" ]; then
	echo "SKIP: $M absent (make model): no detection runs"
	exit $fail
fi
# One image: result lines with a score on stdout.
"$T" detect -m "$M" "$S" > "$tmp/out.txt"; rc=$?
check "sample exits 0" '[ $rc -eq 0 ]'
n=$(grep -c '^[0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*,0\.[0-9]\{6\}$' "$tmp/out.txt")
check "sample: five text lines found (got $n)" '[ "$n" -eq 5 ]'
check "every line well formed" '[ "$n" -eq "$(wc -l < "$tmp/out.txt")" ]'
# The big title line: its box covers x 18..347, y 11..54 give or take a pixel or two.
check "title box" 'awk -F, "\$1 < 30 && \$2 < 20 && \$5 > 335 && \$6 > 40 && \$6 < 70 { f = 1 } END { exit !f }" "$tmp/out.txt"'

# Without -m the model is found next to the build (build*/textloc -> models/).
case $T in
build*/textloc)
	"$T" detect "$S" > "$tmp/default.txt" 2>/dev/null
	check "default model found from the executable's place" 'cmp -s "$tmp/default.txt" "$tmp/out.txt"' ;;
esac
TEXTLOC_MODEL=/nonexistent/model.onnx "$T" detect "$S" >/dev/null 2>&1; rc=$?
check "TEXTLOC_MODEL is used (missing model exits 3, got $rc)" '[ $rc -eq 3 ]'

# Several images, -o DIR, --draw, --prob; a missing file fails alone.
cp "$S" "$tmp/a.png"; cp "$S" "$tmp/b.png"
rc=0; "$T" detect -q -m "$M" -j 2 -o "$tmp/res" --draw "$tmp/draw" --prob "$tmp/prob" \
	"$tmp/a.png" "$tmp/missing.png" "$tmp/b.png" 2> "$tmp/err" || rc=$?
check "a missing input makes exit 1 (got $rc)" '[ $rc -eq 1 ]'
check "the missing input is named" 'grep -q "missing.png" "$tmp/err"'
check "res_a.txt and res_b.txt written" '[ -s "$tmp/res/res_a.txt" ] && cmp -s "$tmp/res/res_a.txt" "$tmp/res/res_b.txt"'
check "res_a.txt equals stdout output" 'cmp -s "$tmp/res/res_a.txt" "$tmp/out.txt"'
check "overlay written" '[ -s "$tmp/draw/a.png" ] && [ -s "$tmp/draw/b.png" ]'
check "heatmap written" '[ -s "$tmp/prob/a_prob.png" ]'
rc=0; "$T" detect -q -m "$M" -o "$tmp/res" "$tmp/a.png" 2>/dev/null || rc=$?
check "existing result kept without --force (got $rc)" '[ $rc -ne 0 ]'
rc=0; "$T" detect -q -m "$M" --force -o "$tmp/res" "$tmp/a.png" || rc=$?
check "--force overwrites" '[ $rc -eq 0 ]'

# A directory, a list file and shards select the same images.
"$T" detect -q -m "$M" "$tmp" > "$tmp/dir.txt" 2>/dev/null
check "directory: two blocks" '[ "$(grep -c "^# " "$tmp/dir.txt")" -eq 2 ]'
printf '%s\n' "$tmp/a.png" "" "# comment" "$tmp/b.png" > "$tmp/list"
"$T" detect -q -m "$M" --list "$tmp/list" --shard 1/2 > "$tmp/shard.txt"
check "--list with --shard 1/2 takes b only" 'grep -q "^# .*b.png" "$tmp/shard.txt" && ! grep -q "a.png" "$tmp/shard.txt"'

# A dataset format with confidences, polygons.
rc=0; "$T" detect -q -m "$M" --shape poly --format ufo -o "$tmp/det.json" "$tmp/a.png" || rc=$?
check "--format ufo exits 0 (got $rc)" '[ $rc -eq 0 ] && grep -q "a.png" "$tmp/det.json"'

# Garbage instead of an image.
printf 'not an image' > "$tmp/bad.png"
rc=0; "$T" detect -q -m "$M" "$tmp/bad.png" >/dev/null 2>&1 || rc=$?
check "corrupt image exits 1 (got $rc)" '[ $rc -eq 1 ]'
rc=0; "$T" detect -q -m "$tmp/bad.png" "$S" >/dev/null 2>&1 || rc=$?
check "broken model exits 3 (got $rc)" '[ $rc -eq 3 ]'
exit $fail
