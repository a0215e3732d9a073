#!/bin/sh
# Benchmark: the 500 ICDAR 2015 test images end to end (decode -> boxes -> result
# files) with --jobs 2, against ONNX Runtime's inference alone on the same input
# size (544x960, what every 1280x720 test image becomes) in the same run.
# Prints images per second and peak RSS of each.
set -u
T=${TEXTLOC:-build/textloc}
M=${MODEL:-models/ch_PP-OCRv4_det_infer.onnx}
D=../shared/data/icdar2015/test_images
JOBS=${JOBS:-2}
if [ ! -d "$D" ]; then echo "SKIP: $D absent"; exit 0; fi
if [ ! -f "$M" ]; then echo "SKIP: model $M absent (make model)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(ls "$D" | grep -c '\.jpg$')

/usr/bin/time -f '%e %M' -o "$tmp/time" "$T" detect -q -m "$M" -j "$JOBS" -o "$tmp/res" "$D" || exit 1
read -r secs rss < "$tmp/time"
awk -v n="$n" -v s="$secs" -v r="$rss" -v j="$JOBS" 'BEGIN {
	printf "textloc detect end to end, %d images, --jobs %d: %.1f s, %.2f images/s, peak RSS %.0f MiB\n",
	       n, j, s, n / s, r / 1024 }'

ORT=tools/ort/ort.js
if ! command -v node >/dev/null 2>&1 || [ ! -d tools/ort/node_modules/onnxruntime-node ]; then
	echo "SKIP: ONNX Runtime comparison (node or tools/ort/node_modules absent; see tools/ort)"
	exit 0
fi
for threads in 1 2; do
	out=$(node "$ORT" "$M" --threads "$threads" --runs 20 --warmup 3 --size 544x960) || continue
	echo "$out" | tr ',{}' '\n\n\n' | awk -F: -v t="$threads" '
		/"median_ms"/ { ms = $2 } /"max_rss_kib"/ { rss = $2 }
		END { printf "ONNX Runtime inference alone, 544x960, %d thread(s): median %.1f ms, %.2f images/s, peak RSS %.0f MiB\n",
		      t, ms, 1000 / ms, rss / 1024 }'
done
