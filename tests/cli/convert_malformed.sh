#!/bin/sh
# Hostile input, generated here: every file gives diagnostics (or is read as what
# it is) and exit 0 or 1 — never a crash (status >= 128), never a hang, never a
# silent success on garbage.
set -u
T=${TEXTLOC:-build/textloc}
W=$(mktemp -d "${TMPDIR:-/tmp}/tl_malformed.XXXXXX")
trap 'rm -rf "$W"' EXIT
fail=0
TO=120   # seconds per run; a hang is a failure
tmo() { if command -v timeout >/dev/null 2>&1; then timeout "$TO" "$@"; else "$@"; fi; }

# expect NAME FORMAT WANT_STATUS FILE [grep pattern for stderr]
expect() {
	name=$1 fmt=$2 want=$3 file=$4 pat=${5:-}
	if [ "$fmt" = probe ]; then set -- ; else set -- --from "$fmt"; fi
	tmo "$T" convert -q "$@" --to textloc -o "$W/out.jsonl" --force "$file" >/dev/null 2>"$W/err"
	rc=$?
	if [ $rc -ge 124 ]; then
		echo "FAIL: $name: crashed or hung (status $rc)"; head -n 3 "$W/err"; fail=1; return
	fi
	if [ $rc -ne "$want" ]; then
		echo "FAIL: $name: status $rc, wanted $want"; head -n 3 "$W/err"; fail=1; return
	fi
	if [ -n "$pat" ] && ! grep -q -- "$pat" "$W/err"; then
		echo "FAIL: $name: no diagnostic matching '$pat'"; head -n 3 "$W/err"; fail=1
	fi
}

d=$W/gt_img_1.txt
printf '1,2,3,4,5,6,7' >"$d";                         expect truncated icdar2015 1 "$d" ":1:14: error: expected 8 coordinates, found 7"
printf '1,2,3,4,5,6,7,\n' >"$d";                      expect "empty coordinate" icdar2015 1 "$d" ":1:15: error: expected 8 coordinates, found 7"
printf '1,2,3,4,5,6,7,8' >"$d";                       expect "no transcription" icdar2015 1 "$d" "missing transcription"
printf '1,2,3,4,5,6,7,1e308,x\n' >"$d";               expect 1e308 icdar2015 1 "$d" "not an integer"
printf '1,2,3,4,5,6,7,1e308,x\n' >"$d"
tmo "$T" convert -q --lenient --from icdar2015 --to textloc "$d" >/dev/null 2>"$W/err"
[ $? -eq 1 ] && grep -q "out of range" "$W/err" || { echo "FAIL: lenient 1e308"; fail=1; }
printf '1,2,3,4,5,6,7,NaN,x\n' >"$d";                 expect NaN icdar2015 1 "$d" "NaN or infinite"
printf '1,2,3,4,5,6,7,-inf,x\n' >"$d";                expect inf icdar2015 1 "$d" "NaN or infinite"
printf '1,2,3,4,5,6,7,99999999999999999999,x\n' >"$d"; expect overflow icdar2015 1 "$d" "out of range"
printf '1,2,3,4,5,6,7,0x10,x\n' >"$d";                expect hex icdar2015 1 "$d" "not a number"
printf '1,2,3,4,5,6,7,8,caf\351\n' >"$d";             expect "invalid UTF-8" icdar2015 1 "$d" "invalid UTF-8 at byte 19"
printf '1,2,3,4,5,6,7,8,a\000b\n' >"$d";              expect "NUL byte" icdar2015 1 "$d" "NUL byte at byte 17"
: >"$d";                                              expect "empty file" icdar2015 0 "$d"
printf '\r\n\n\r' >"$d";                              expect "only line ends" icdar2015 0 "$d"
printf '   \n' >"$d";                                 expect "blank line" icdar2015 1 "$d" "line of white space"
# binary junk: bytes 0..255 repeated, no format fits it
awk 'BEGIN { for (k = 0; k < 64; k++) for (i = 1; i < 256; i++) printf "%c", i }' >"$W/junk.bin" 2>/dev/null
expect "binary junk (probe)" probe 1 "$W/junk.bin" "error:"
expect "binary junk as icdar2015" icdar2015 1 "$W/junk.bin" "error:"
expect "binary junk as ufo" ufo 1 "$W/junk.bin" "error:"
expect "binary junk as paddleocr" paddleocr 1 "$W/junk.bin" "error:"
expect "binary junk as mlt" mlt 1 "$W/junk.bin" "error:"
expect "binary junk as icdar2013" icdar2013 1 "$W/junk.bin" "error:"
expect "binary junk as rrc" rrc 1 "$W/junk.bin" "error:"
# JSON formats
printf '{"images": {"a.jpg": {"words": {"1": {"points": [[1,2],[3,4],[5' >"$W/u.json"
expect "truncated UFO" ufo 1 "$W/u.json" "invalid JSON"
printf '{"images": {"a.jpg": {"words": {"1": {"points": [[1,2],[3,4]]}}}}}' >"$W/u.json"
expect "two-point word" ufo 1 "$W/u.json" "fewer than 3 points"
printf '{"images": {"a.jpg": {"words": {"1": {"points": [[1,2],[3,4],[5,1e999]]}}}}}' >"$W/u.json"
expect "UFO 1e999" ufo 1 "$W/u.json" "not a finite number"
printf '{"images": []}' >"$W/u.json";                 expect "UFO images array" ufo 1 "$W/u.json" "images"
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "["; }' >"$W/deep.json"
expect "deep nesting" ufo 1 "$W/deep.json" "invalid JSON"
printf 'a.jpg\t[{"transcription": "x", "points": [[1, 2], [3, 4], [5, NaN]]}]\n' >"$W/p.txt"
expect "paddle NaN" paddleocr 1 "$W/p.txt" "invalid JSON"
printf 'a.jpg [no tab]\n' >"$W/p.txt";               expect "paddle no tab" paddleocr 1 "$W/p.txt" "TAB"
# millions of points: 2 million is over the per-polygon limit, 300 thousand is fine
awk 'BEGIN { printf "a.jpg\t[{\"transcription\": \"x\", \"points\": ["; for (i = 0; i < 2000000; i++) printf "%s[%d, %d]", (i ? ", " : ""), i % 1000, i % 7; print "]}]" }' >"$W/p.txt"
expect "2M points" paddleocr 1 "$W/p.txt" "too many points"
awk 'BEGIN { printf "a.jpg\t[{\"transcription\": \"x\", \"points\": ["; for (i = 0; i < 300000; i++) printf "%s[%d, %d]", (i ? ", " : ""), i, (i % 2) * 5; print "]}]" }' >"$W/p.txt"
expect "300k points" paddleocr 0 "$W/p.txt"
# a 100 MB line: one number too long, then a 100 MB transcription (valid)
head -c 100000000 /dev/zero | tr '\0' '7' >"$d"
expect "100 MB number" icdar2015 1 "$d" "number too long"
{ printf '1,2,3,4,5,6,7,8,'; head -c 100000000 /dev/zero | tr '\0' 'a'; printf '\r\n'; } >"$d"
expect "100 MB transcription" icdar2015 0 "$d"
exit $fail
