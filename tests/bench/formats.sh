#!/bin/sh
# Annotation reading and writing throughput (issue 2 aims at >= 50 MB/s of
# annotation text): in memory with tests/bench/formats_bench.c, then end to end
# through `textloc convert` (files, probing, atomic writes).
set -u
B=${BUILD:-build}
T=${TEXTLOC:-$B/textloc}
D=../shared/data
if [ ! -d "$D" ]; then echo "formats bench: $D not found; skipped"; exit 0; fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tl_fbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -Ilib/include -o "$W/formats_bench" tests/bench/formats_bench.c \
	"$B/libtextloc.a" -lpng -ltiff -ljpeg -lcjson -lz -lm -pthread || exit 1
SECS=${BENCH_SECONDS:-3}
"$W/formats_bench" icdar2015 "$SECS" "$D/icdar2015/test_gt"
"$W/formats_bench" ufo "$SECS" "$D/ufo_icdar17_korean/ufo/train.json"
"$W/formats_bench" paddleocr "$SECS" "$D/icdar2015/paddleocr/train_icdar2015_label.txt"
# end to end, best of 3
e2e() {
	name=$1; shift
	best=
	for i in 1 2 3; do
		rm -rf "$W/o" "$W/o.json"
		s=$(date +%s.%N); "$T" convert -q "$@" 2>/dev/null; e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l 2>/dev/null || awk "BEGIN{print $e - $s}")
		best=$(awk -v a="${best:-1e9}" -v b="$t" 'BEGIN{print (b < a) ? b : a}')
	done
	echo "convert $name: best of 3 = ${best}s"
}
e2e "ICDAR 2015 test GT -> icdar2015 (500 files)" --to icdar2015 -o "$W/o" "$D/icdar2015/test_gt"
e2e "UFO -> ufo" --to ufo -o "$W/o.json" "$D/ufo_icdar17_korean/ufo/train.json"
