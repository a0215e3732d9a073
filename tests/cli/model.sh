#!/bin/sh
# textloc model: usage errors, refusal of broken models, and (when the default model has
# been fetched with `make model`) info, run and bench on it.
set -u
T=${TEXTLOC:-build/textloc}
MODEL=models/ch_PP-OCRv4_det_infer.onnx
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM

"$T" model --help | head -n 1 | grep -q '^usage: textloc model info|run|bench'; rc=$?
check "--help starts with the usage line" '[ $rc -eq 0 ]'
"$T" model >/dev/null 2>&1; rc=$?
check "no arguments: exit 2" '[ $rc -eq 2 ]'
"$T" model frob x.onnx >/dev/null 2>&1; rc=$?
check "unknown subcommand: exit 2" '[ $rc -eq 2 ]'
"$T" model bench x.onnx >/dev/null 2>&1; rc=$?
check "bench without --size: exit 2" '[ $rc -eq 2 ]'
"$T" model info --size 12 x.onnx >/dev/null 2>&1; rc=$?
check "bad --size: exit 2" '[ $rc -eq 2 ]'

printf 'this is not a protobuf at all' >"$tmp/bad.onnx"
"$T" model info "$tmp/bad.onnx" >/dev/null 2>"$tmp/err"; rc=$?
check "garbage model: exit 3" '[ $rc -eq 3 ]'
check "garbage model: message names the file" 'grep -q "bad.onnx" "$tmp/err"'
"$T" model info "$tmp/missing.onnx" >/dev/null 2>&1; rc=$?
check "missing model: exit 3" '[ $rc -eq 3 ]'

if [ -f "$MODEL" ]; then
	out=$("$T" model info --size 544x960 "$MODEL")
	check "info: operators listed" 'echo "$out" | grep -q "ConvTranspose *2"'
	check "info: output shape at the size" 'echo "$out" | grep -q "1x1x544x960"'
	check "info: MACs" 'echo "$out" | grep -q "MACs:  *2934937344"'
	"$T" model info --json "$MODEL" | grep -q '"Conv":62'; rc=$?
	check "info --json: operator counts" '[ $rc -eq 0 ]'
	"$T" model bench --size 64x96 --runs 2 --warmup 0 "$MODEL" >"$tmp/b.json"; rc=$?
	check "bench: exit 0" '[ $rc -eq 0 ]'
	check "bench: JSON line" 'grep -q "\"median_ms\":" "$tmp/b.json"'
	# a 1x3x32x64 tensor of zeros: header, then 6144 floats
	python3 - "$tmp/z.npy" <<'PY' 2>/dev/null || printf '' >"$tmp/z.npy"
import sys, struct
h = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 32, 64), }"
h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
open(sys.argv[1], "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + bytes(4 * 3 * 32 * 64))
PY
	if [ -s "$tmp/z.npy" ]; then
		"$T" model run "$MODEL" "$tmp/z.npy" "$tmp/p.npy"; rc=$?
		check "run: exit 0" '[ $rc -eq 0 ]'
		check "run: output .npy of 1x1x32x64" 'head -c 128 "$tmp/p.npy" | grep -q "(1, 1, 32, 64)"'
		"$T" model run "$MODEL" "$tmp/z.npy" "$tmp/p.npy" 2>/dev/null; rc=$?
		check "run: existing output kept without --force" '[ $rc -ne 0 ]'
		head -c 100 "$tmp/z.npy" >"$tmp/t.npy"
		"$T" model run "$MODEL" "$tmp/t.npy" "$tmp/q.npy" 2>/dev/null; rc=$?
		check "run: truncated tensor is an input error (exit 1)" '[ $rc -eq 1 ]'
	fi
else
	echo "model.sh: $MODEL absent (make model): info/run/bench checks skipped"
fi
exit $fail
