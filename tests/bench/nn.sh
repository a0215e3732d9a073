#!/bin/sh
# Inference speed: textloc's engine against ONNX Runtime (tools/ort/ort.js, npm
# onnxruntime-node) on the same model, the same deterministic input and the same thread
# count, in one run: for each size and thread count both engines run NN_RUNS times
# (default 10) after NN_WARMUP warm-up runs (default 2), and the medians are compared.
#
# Reports per case: medians, ratio textloc/ORT (goal <= 1.0), MACs, GMAC/s, the fraction of
# the CPU's peak FP32 throughput, and peak RSS of both processes.
# Peak assumption (state it, it is not measured): each core retires 2 FMA instructions per
# cycle on 16-lane (AVX-512) vectors, i.e. 2 x 16 x 2 = 64 flops/cycle, at the clock in
# /proc/cpuinfo ("cpu MHz"). (On AMD Zen 4, 512-bit FMAs are double-pumped, so 32
# flops/cycle is the practical ceiling: the fractions below are halved by this choice.)
#
# Each case is measured in NN_ROUNDS rounds (default 3), textloc and ORT alternating, and
# the median of the rounds' medians is reported: on a shared machine one process can
# land on a slower share of the CPU for its whole life (30% apart here between two
# identical runs), which one round alone would read as a difference of the engines.
#
# Env: TEXTLOC, MODEL, NN_SIZES (default "544x960 960x960 1600x1600"), NN_THREADS
# (default "1 2"), NN_RUNS, NN_WARMUP, NN_ROUNDS.
set -u
T=${TEXTLOC:-build/textloc}
MODEL=${MODEL:-models/ch_PP-OCRv4_det_infer.onnx}
RUNS=${NN_RUNS:-10}
WARM=${NN_WARMUP:-2}
[ -f "$MODEL" ] || { echo "nn.sh: skipped: $MODEL absent (make model)"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "nn.sh: skipped: python3 absent"; exit 0; }
have_ort=1
if ! command -v node >/dev/null 2>&1; then have_ort=0; fi
if [ $have_ort = 1 ] && [ ! -d tools/ort/node_modules/onnxruntime-node ]; then
	(cd tools/ort && npm install --ignore-scripts --no-audit --no-fund onnxruntime-node >/dev/null 2>&1) || have_ort=0
fi
[ $have_ort = 1 ] || echo "nn.sh: ONNX Runtime unavailable: textloc timings only"
mhz=$(sed -n 's/^cpu MHz[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "nn.sh: $(nproc 2>/dev/null) cores, ${mhz:-?} MHz, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null); runs $RUNS after $WARM warm-up, median of ${NN_ROUNDS:-3} alternating rounds"
for size in ${NN_SIZES:-544x960 960x960 1600x1600}; do
	for th in ${NN_THREADS:-1 2}; do
		ok=1; r=1
		while [ $r -le "${NN_ROUNDS:-3}" ]; do
			"$T" model bench --size "$size" --threads "$th" --runs "$RUNS" --warmup "$WARM" "$MODEL" >"$tmp/tl.$r.json" ||
				{ echo "nn.sh: textloc failed at $size"; ok=0; break; }
			if [ $have_ort = 1 ]; then
				node tools/ort/ort.js "$MODEL" --size "$size" --threads "$th" --runs "$RUNS" --warmup "$WARM" >"$tmp/ort.$r.json" ||
					echo '{}' >"$tmp/ort.$r.json"
			else
				echo '{}' >"$tmp/ort.$r.json"
			fi
			r=$((r + 1))
		done
		[ $ok = 1 ] || continue
		python3 - "$tmp" "${NN_ROUNDS:-3}" "${mhz:-0}" >>"$tmp/rows" <<'PY'
import json, sys
rounds = int(sys.argv[2]); mhz = float(sys.argv[3] or 0)
tl = [json.load(open("%s/tl.%d.json" % (sys.argv[1], r))) for r in range(1, rounds + 1)]
ort = [json.load(open("%s/ort.%d.json" % (sys.argv[1], r))) for r in range(1, rounds + 1)]
def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
t = dict(tl[0]); t["median_ms"] = median([x["median_ms"] for x in tl])
t["max_rss_kib"] = max(x["max_rss_kib"] for x in tl)
o = {}
if all("median_ms" in x for x in ort):
    o = {"median_ms": median([x["median_ms"] for x in ort]),
         "max_rss_kib": max(x["max_rss_kib"] for x in ort)}
macs = t["macs"]; th = t["threads"]; med = t["median_ms"]
gmacs = macs / (med / 1e3) / 1e9
peak = 64 * mhz * 1e6 * th          # flops/s
frac = 2 * macs / (med / 1e3) / peak if peak else float("nan")
om = o.get("median_ms")
ratio = med / om if om else float("nan")
print("%-10s %2d  %9.1f %9s %6s  %6.2f G %7.1f %6.1f%%  %6.0f %6s" % (
    "%dx%d" % (t["h"], t["w"]), th, med, "%.1f" % om if om else "-", "%.2f" % ratio if om else "-",
    macs / 1e9, gmacs, 100 * frac, t["max_rss_kib"] / 1024.0,
    "%.0f" % (o["max_rss_kib"] / 1024.0) if om else "-"))
PY
	done
done
echo "size    threads  textloc_ms    ort_ms  ratio    MACs   GMAC/s  %peak  RSS_MiB ORT_RSS"
cat "$tmp/rows" 2>/dev/null
