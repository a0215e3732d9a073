#!/bin/sh
# Golden parity of `textloc eval`: every case under ../shared/golden/eval (the figures,
# pairs, don't-care lists and refusals of the reference scripts) must be reproduced.
# Tolerances: exact for icdar2015*, 1e-9 tiou, 1e-12 deteval-ic13/deteval-poly/paddleocr-iou.
set -u
T=${TEXTLOC:-build/textloc}
S=../shared
G=$S/golden/eval
GT=$S/data/icdar2015/test_gt.zip
if [ ! -d "$G" ] || [ ! -f "$GT" ]; then
	echo "eval.sh: SKIP: $G or $GT not found (the shared data lives beside the repository)"
	exit 0
fi
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
$CC -O2 -std=c11 -o "$tmp/eval_compare" tests/corpus/eval_compare.c -lcjson -lm || exit 3

fail=0 n=0
for dir in "$G"/*/; do
	proto=$(basename "$dir")
	[ "$proto" = subs ] && continue
	gt=$GT opts= tol=0 noap= subdir=$G/subs
	case $proto in
	icdar2015) opts="-p icdar2015" ;;
	icdar2015-confidence) opts="-p icdar2015 --confidences" ;;
	icdar2015-lenient) opts="-p icdar2015 --lenient"; noap=--no-ap ;;
	tiou) opts="-p tiou"; tol=1e-9 ;;
	deteval-ic13) opts="-p deteval"; tol=1e-12; gt=$G/subs/rect-ltrb/gt_ic13style.zip
		subdir=$G/subs/rect-ltrb ;;
	deteval-poly) opts="-p deteval-poly"; tol=1e-12 ;;
	paddleocr-iou) opts="-p paddleocr-iou"; tol=1e-12 ;;
	*) echo "eval.sh: unknown golden protocol folder $proto"; fail=1; continue ;;
	esac
	for golden in "$dir"*.json; do
		sub=$(basename "$golden" .json)
		n=$((n + 1))
		# shellcheck disable=SC2086
		"$T" eval $opts --json -n "$sub" "$gt" "$subdir/$sub.zip" >"$tmp/out.json" 2>"$tmp/err"
		rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
			echo "FAIL: $proto/$sub: exit $rc: $(cat "$tmp/err")"; fail=1; continue
		fi
		if "$tmp/eval_compare" "$golden" "$tmp/out.json" $tol $noap >"$tmp/diff"; then
			:
		else
			echo "FAIL: $proto/$sub"; sed 's/^/    /' "$tmp/diff"; fail=1
		fi
	done
done
# sharded runs merged must give the golden figures too
for pc in "icdar2015-confidence conf -p icdar2015 --confidences" "tiou jitter5 -p tiou" \
	  "deteval-poly merge -p deteval-poly"; do
	set -- $pc
	proto=$1 sub=$2; shift 2
	tol=0; [ "$proto" = tiou ] && tol=1e-9; [ "$proto" = deteval-poly ] && tol=1e-12
	for i in 0 1 2; do
		"$T" eval "$@" --json --partial --shard $i/3 "$GT" "$G/subs/$sub.zip" >"$tmp/p$i.json"
	done
	"$T" eval --merge --json "$tmp/p0.json" "$tmp/p1.json" "$tmp/p2.json" >"$tmp/m.json"
	n=$((n + 1))
	if ! "$tmp/eval_compare" "$G/$proto/$sub.json" "$tmp/m.json" $tol >"$tmp/diff"; then
		echo "FAIL: $proto/$sub merged from 3 shards"; sed 's/^/    /' "$tmp/diff"; fail=1
	fi
done
# the same GT in three layouts gives the same figures on the real EAST detections
E=$S/data/icdar2015/east_detections
if [ -d "$E" ]; then
	"$T" eval --lenient "$GT" "$E" >"$tmp/a" 2>/dev/null
	"$T" eval --lenient "$S/data/icdar2015/test_gt" "$E" >"$tmp/b" 2>/dev/null
	"$T" eval --lenient "$S/data/icdar2015/paddleocr/test_icdar2015_label.txt" "$E" >"$tmp/c" 2>/dev/null
	n=$((n + 1))
	if ! grep -q "gt care     2077" "$tmp/a" || ! cmp -s "$tmp/a" "$tmp/b" || ! cmp -s "$tmp/a" "$tmp/c"; then
		echo "FAIL: test_gt.zip, test_gt/ and the PaddleOCR labels disagree on EAST"; fail=1
	fi
fi
# Total-Text polygons (up to 19 points) scored against themselves: 1 under the
# polygon protocols, with the 2214 care regions of protocols.md §13.8
TT=$S/data/totaltext/test_gts
if [ -d "$TT" ]; then
	for p in deteval-poly paddleocr-iou; do
		n=$((n + 1))
		out=$("$T" eval -p $p --gt-format auto --det-format auto "$TT" "$TT" 2>&1)
		if ! echo "$out" | grep -q "gt care     2214" || ! echo "$out" | grep -q "^hmean       1.000000"; then
			echo "FAIL: Total-Text identity under $p"; echo "$out" | sed 's/^/    /'; fail=1
		fi
	done
fi
echo "eval.sh: $n cases checked"
exit $fail
