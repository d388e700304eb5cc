#!/bin/sh
# make bench: every benchmark, one after the other.  Figures, not verdicts.
cd "$(dirname "$0")/.." || exit 1
for b in bench/agent.sh bench/agent_latency.sh bench/collector.sh; do
	[ -x "$b" ] || continue
	echo "######## $b"
	sh "$b"
done
