#!/bin/sh
# make bench: every benchmark, one after the other, each under a time limit
# (BENCH_TIMEOUT seconds, default 900), then the Markdown summary tables of
# this run together, ready to paste into README.md.  Figures, not verdicts:
# the machine may be shared, so run it twice and show both.
cd "$(dirname "$0")/.." || exit 1
limit=${BENCH_TIMEOUT:-900}
out=$(mktemp /tmp/proctel-bench-run.XXXXXX)
trap 'rm -f "$out" "$out.rc"' EXIT
for b in bench/agent.sh bench/agent_v3.sh bench/agent_latency.sh bench/agentx.sh \
    bench/collector.sh bench/remote.sh; do
	[ -f "$b" ] || continue
	echo "######## $b"
	{ timeout --foreground "$limit" sh "$b"; echo $? >"$out.rc"; } | tee -a "$out"
	[ "$(cat "$out.rc")" = 124 ] && echo "######## $b: stopped after $limit s"
done
echo
echo "######## summaries (each script's, from '== summary' to '== end of summary')"
sed -n '/^== summary/,/^== end of summary/p' "$out"
