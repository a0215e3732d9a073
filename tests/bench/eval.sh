#!/bin/sh
# Benchmark of `textloc eval`, single-threaded:
#  1. the 500-image ICDAR 2015 test set under each protocol (in-process, best and median
#     of 20 runs, loading and parsing the zips included; goal icdar2015 <= 20 ms);
#  2. a synthetic 100,000-image submission through the command line (summary mode),
#     wall time and peak RSS, next to a 10,000-image run to show that memory is flat.
set -u
T=${TEXTLOC:-build/textloc}
B=${BUILD:-build}
S=../shared
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
$CC -O2 -std=c11 -D_GNU_SOURCE -Ilib/include -o "$tmp/eval_bench" tests/bench/eval_bench.c \
	"$B/libtextloc.a" -lpng -ltiff -ljpeg -lcjson -lz -lm -pthread || exit 3

GT=$S/data/icdar2015/test_gt.zip
G=$S/golden/eval/subs
if [ -f "$GT" ] && [ -d "$G" ]; then
	echo "ICDAR 2015 test set, 500 images, submission jitter5 (5230 GT regions):"
	for p in icdar2015 tiou paddleocr-iou deteval-poly mmocr-hmean cleval; do
		"$tmp/eval_bench" time "$GT" "$G/jitter5.zip" $p 20
	done
	"$tmp/eval_bench" time "$G/rect-ltrb/gt_ic13style.zip" "$G/rect-ltrb/jitter5.zip" deteval 20
	if [ -d "$S/data/icdar2015/east_detections" ]; then
		echo "real EAST detections (496 files):"
		"$tmp/eval_bench" time "$GT" "$S/data/icdar2015/east_detections" icdar2015 20
	fi
else
	echo "eval.sh: SKIP the ICDAR 2015 timings: $GT not found"
fi

TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=
for n in 10000 100000; do
	mkdir -p "$tmp/s$n"
	"$tmp/eval_bench" gen "$tmp/s$n" $n || exit 3
	if [ -n "$TIME" ]; then
		$TIME -f "synthetic $n images: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
			"$T" eval --lenient "$tmp/s$n/gt" "$tmp/s$n/det" >"$tmp/out" 2>"$tmp/time"
		tail -n 1 "$tmp/time"
	else
		start=$(date +%s.%N)
		"$T" eval --lenient "$tmp/s$n/gt" "$tmp/s$n/det" >"$tmp/out"
		echo "synthetic $n images: $(echo "$(date +%s.%N) - $start" | bc) s wall (no /usr/bin/time for RSS)"
	fi
	grep -E "^(gt care|hmean)" "$tmp/out" | tr '\n' ' '; echo
	rm -rf "$tmp/s$n"
done
