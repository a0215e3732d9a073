#!/bin/sh
# tests/fuzz/run.sh — runs libFuzzer harnesses for a fixed time each.
#
#   sh tests/fuzz/run.sh SECONDS JOBS [name...]     (names without fuzz_; default: all)
#
# Builds them (make fuzz), seeds each corpus with what the project ships, the same
# sample written in the harness's format by textloc itself, and small files of
# ../shared/data when it is there, then runs JOBS harnesses at a time. Corpora and
# logs stay in build-fuzz/ between runs; a finding leaves build-fuzz/crash-* and
# makes the script exit non-zero.
set -u
secs=${1:?usage: run.sh SECONDS JOBS [name...]}; jobs=${2:?usage: run.sh SECONDS JOBS [name...]}; shift 2
make -s fuzz || exit 1
make -s BUILD=build bin >/dev/null || exit 1
[ $# -gt 0 ] || set -- $(ls tests/fuzz/fuzz_*.c | sed 's|tests/fuzz/fuzz_||; s|\.c$||')
shared=../shared/data

# seed NAME FILE: the harness's first byte picks the read options; 0 = strict.
seed() { { printf '\000'; cat "$2"; } > "build-fuzz/corpus/$1/seed-$(basename "$2")-$(cksum < "$2" | cut -d' ' -f1)"; }

prepare() {
	n=$1; mkdir -p build-fuzz/corpus/$n
	fmt=$(sed -n 's/^#define FUZZ_FORMAT "\(.*\)"/\1/p' tests/fuzz/fuzz_$n.c)
	for f in $(find tests/data -type f -size -64k 2>/dev/null); do seed $n "$f"; done
	if [ -n "$fmt" ]; then
		out=build-fuzz/seed-$n; rm -rf "$out"
		if build/textloc convert -q --from icdar2015 --to "$fmt" -o "$out" --force tests/data/formats/icdar2015 >/dev/null 2>&1; then
			for f in $(find "$out" -type f); do seed $n "$f"; done
		fi
	fi
	[ -d "$shared" ] && for f in $(find "$shared" -type f -size -64k \( -name '*.txt' -o -name '*.json' -o -name '*.csv' -o -name '*.gt' -o -name '*.xml' -o -name '*.jsonl' \) | sort | awk 'NR % 40 == 1'); do seed $n "$f"; done
	return 0
}

run() {
	n=$1
	./build-fuzz/fuzz_$n -max_total_time=$secs -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
		-artifact_prefix=build-fuzz/crash-$n- build-fuzz/corpus/$n > build-fuzz/log-$n.txt 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' build-fuzz/log-$n.txt)
	echo "fuzz_$n: ${secs}s, ${runs:-?} runs, exit $rc"
	return $rc
}

for n in "$@"; do prepare $n; done
# JOBS lanes, each running its share of the harnesses one after the other.
lane=0; : > build-fuzz/failed
while [ $lane -lt "$jobs" ]; do
	( i=0; for n in "$@"; do
		[ $((i % jobs)) = $lane ] && { run $n || echo $n >> build-fuzz/failed; }
		i=$((i + 1)); done ) &
	lane=$((lane + 1))
done
wait
[ -s build-fuzz/failed ] && { echo "fuzz: FINDINGS in $(tr '\n' ' ' < build-fuzz/failed)(build-fuzz/crash-*)"; exit 1; }
echo "fuzz: no finding"
