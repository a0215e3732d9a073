#!/bin/sh
# Benchmark: the 500 ICDAR 2015 test images end to end (decode -> boxes -> result
# files) with --jobs 2, against ONNX Runtime's inference alone on the same input
# size (544x960, what every 1280x720 test image becomes) in the same run.
# Prints images per second (wall clock), CPU seconds per image (user + system,
# which a busy machine distorts less than the wall clock) and peak RSS.
set -u
T=${TEXTLOC:-build/textloc}
M=${MODEL:-models/ch_PP-OCRv4_det_infer.onnx}
D=../shared/data/icdar2015/test_images
JOBS=${JOBS:-2}
RUNS=${RUNS:-20}
if [ ! -d "$D" ]; then echo "SKIP: $D absent"; exit 0; fi
if [ ! -f "$M" ]; then echo "SKIP: model $M absent (make model)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(ls "$D" | grep -c '\.jpg$')
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$T" detect -q -m "$M" -j "$JOBS" -o "$tmp/res" "$D" || exit 1
read -r secs user sys rss < "$tmp/time"
awk -v n="$n" -v s="$secs" -v u="$user" -v y="$sys" -v r="$rss" -v j="$JOBS" 'BEGIN {
	printf "textloc detect end to end, %d images, --jobs %d: %.1f s, %.2f images/s, %.3f CPU s/image, peak RSS %.0f MiB\n",
	       n, j, s, n / s, (u + y) / n, r / 1024 }'

ORT=tools/ort/ort.js
if ! command -v node >/dev/null 2>&1 || [ ! -d tools/ort/node_modules/onnxruntime-node ]; then
	echo "SKIP: ONNX Runtime comparison (node or tools/ort/node_modules absent; see tools/ort)"
	exit 0
fi
for threads in 1 2; do
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/ortime" node "$ORT" "$M" --threads "$threads" --runs "$RUNS" \
		--warmup 3 --size 544x960 > "$tmp/ort.json" || continue
	read -r secs user sys rss < "$tmp/ortime"
	tr ',{}' '\n\n\n' < "$tmp/ort.json" | awk -F: -v t="$threads" -v runs="$RUNS" -v u="$user" -v y="$sys" '
		/"median_ms"/ { ms = $2 } /"max_rss_kib"/ { rss = $2 }
		END { printf "ONNX Runtime inference alone, 544x960, %d thread(s): median %.1f ms, %.2f images/s, <= %.3f CPU s/inference (incl. start-up), peak RSS %.0f MiB\n",
		      t, ms, 1000 / ms, (u + y) / (runs + 3), rss / 1024 }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
