#!/bin/sh
# Collector benchmark: proctel-collector --once against 10,000 loopback
# targets, side by side in one run with the usual ways of polling a fleet:
# an snmpget-per-target loop (xargs -P 16), braa (mass SNMP scanner) and
# Prometheus snmp_exporter scraped by bench/scrape with as many scrapes in
# flight as the collector polls targets at once (CONCURRENCY).  Same agent,
# same four OIDs in one GET per target, SNMP v2c, timeout 1 s and 2 retries
# everywhere.  Then the collector alone under packet loss inside a network
# namespace this script creates (root only), and against dead targets.  It
# ends with a Markdown table of this run, ready to paste into README.md.
#
# The targets are 127.1.x.y addresses: one proctel-agent bound to 0.0.0.0
# answers on every 127.0.0.0/8 address and replies from the address asked.
# Traffic goes only to loopback or to the namespace.  Every load is bounded
# in count and time.  Not a test: it prints figures and ratios and asserts
# nothing; the "target" figures are the issue's goals, for the reader.
#
# Environment: BUILD (default build), BENCH_TARGETS (10000),
# BENCH_SNMPGET_TARGETS (1000: the snmpget loop runs on a subset and is
# scaled), BENCH_LOSS_TARGETS (1000), BENCH_COLLECTOR_RUNS (3).
BENCH=$(cd "$(dirname "$0")" && pwd)
. "$BENCH/lib.sh"
N=${BENCH_TARGETS:-10000}
NSG=${BENCH_SNMPGET_TARGETS:-1000}
NLOSS=${BENCH_LOSS_TARGETS:-1000}
RUNS=${BENCH_COLLECTOR_RUNS:-3}
TIMEOUT_MS=1000
RETRIES=2
CONCURRENCY=1000
OIDS="1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.1.5.0 1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0 1.3.6.1.4.1.8072.9999.9999.1.1.1.6.0"
ZOID=1.3.6.1.4.1.8072.9999.9999.1.1.1.6.0

tmp=$(mktemp -d /tmp/proctel-cbench.XXXXXX)
pids=""
ns=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for f in "$BUILD/proctel-agent" "$BUILD/proctel-collector" "$BUILD/bench/scrape"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f missing (make bench builds it); collector benchmark skipped"
		exit 0
	fi
done

# The collector holds one socket per target for the whole run (it refuses to
# start otherwise), so make room for N of them when the hard limit allows.
fds=$(ulimit -n)
if [ "$fds" != unlimited ] && [ "$fds" -lt $((N + 100)) ]; then
	ulimit -n $((N + 100)) 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
	fds=$(ulimit -n)
fi

uport() { udp_port 0.0.0.0; }
hz=$(getconf CLK_TCK)
# hosts FILE COUNT SUBNET PORT: COUNT addresses 127.SUBNET.x.1..250.
hosts() {
	awk -v n="$2" -v s="$3" -v p="$4" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "127.%d.%d.%d:%d\n", s, int(i / 250), i % 250 + 1, p
	}' >"$1"
}
# conf FILE HOSTSFILE: a collector config polling the four OIDs.
conf() {
	cat >"$1" <<EOC
defaults: {version: 2c, community: public, timeout_ms: $TIMEOUT_MS, retries: $RETRIES}
concurrency: $CONCURRENCY
deadline_s: 50
targets:
  - {file: $(basename "$2")}
metrics:
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3.0}
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
  - {name: processes, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0}
  - {name: zombies, oid: $ZOID}
lock_file: $1.lock
EOC
}
# timed NAME CMD...: run CMD, leave "wall user sys maxrss rc" in $tmp/NAME.t.
# GNU time when there is one: a child forked from python inherits python's
# RSS as its ru_maxrss high-water mark, which would skew the small runs.
if [ -x /usr/bin/time ] && /usr/bin/time -f %x true >/dev/null 2>&1; then
	timed() {
		n=$1; shift
		t0=$(date +%s.%N)
		echo "$t0" >"$tmp/$n.t0"
		/usr/bin/time -f '%U %S %M %x' -o "$tmp/$n.r" "$@"
		t1=$(date +%s.%N)
		echo "$(calc "printf \"%.3f\", $t1 - $t0") $(tail -n 1 "$tmp/$n.r")" >"$tmp/$n.t"
	}
else
	echo "bench: no GNU time, using collector_time.py; peak RSS of small runs includes python's"
	timed() { n=$1; shift; python3 "$BENCH/collector_time.py" "$tmp/$n.t" "$@"; }
fi
field() { awk -v i="$2" '{ print $i }' "$tmp/$1.t"; }
# row LABEL TARGETS ANSWERED WALL USER SYS RSS: one line of the table.
row() {
	awk -v l="$1" -v t="$2" -v a="$3" -v w="$4" -v u="$5" -v s="$6" -v m="$7" 'BEGIN {
		printf "%-26s %7d %8d %7.3f %7.3f %7.3f %8d %9.0f %8.1f\n",
		    l, t, a, w, u, s, m, (w > 0 ? a / w : 0), (t > 0 ? (u + s) * 1e6 / t : 0)
	}'
}
header() {
	printf "%-26s %7s %8s %7s %7s %7s %8s %9s %8s\n" tool targets answered \
	    wall_s user_s sys_s rss_KiB targets/s cpu_us/t
}
# collector NAME CONF [NETNS]: one --once run, jsonl and sqlite sinks.
collector() {
	rm -f "$tmp/$1.jsonl" "$tmp/$1.db"
	if [ -n "$3" ]; then
		timed "$1" ip netns exec "$3" "$BUILD/proctel-collector" -c "$2" --once \
		    -o "jsonl:$tmp/$1.jsonl" -o "sqlite:$tmp/$1.db" 2>"$tmp/$1.err"
	else
		timed "$1" "$BUILD/proctel-collector" -c "$2" --once \
		    -o "jsonl:$tmp/$1.jsonl" -o "sqlite:$tmp/$1.db" 2>"$tmp/$1.err"
	fi
	ok=$(grep -c '"status":"ok"' "$tmp/$1.jsonl" 2>/dev/null)
	ok=${ok:-0}
	sum=$(grep 'run:' "$tmp/$1.err" | tail -1 | sed 's/.*run: //')
	retries=$(echo "$sum" | sed -n 's/.* \([0-9]*\) retries.*/\1/p')
	poll=$(echo "$sum" | sed -n 's/.* \([0-9.]*\) s$/\1/p')
	rows=n/a
	command -v sqlite3 >/dev/null &&
	    rows=$(sqlite3 "$tmp/$1.db" 'select count(distinct target) from samples' 2>/dev/null)
	if [ "$(field "$1" 5)" -gt 1 ] || [ -z "$sum" ]; then
		echo "  !! $1: exit $(field "$1" 5); stderr:"
		tail -5 "$tmp/$1.err" | sed 's/^/  !!   /'
	fi
}
wait_up() {	# wait_up ADDR [NETNS]
	i=0
	while [ $i -lt 50 ]; do
		if [ -n "$2" ]; then
			ip netns exec "$2" snmpget -v2c -c public -t 0.2 -r 0 "$1" \
			    1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && return 0
		else
			snmpget -v2c -c public -t 0.2 -r 0 "$1" 1.3.6.1.2.1.1.3.0 \
			    >/dev/null 2>&1 && return 0
		fi
		sleep 0.1; i=$((i + 1))
	done
	echo "bench: nothing answers on $1" >&2
	return 1
}
parse_errs() { snmpget -v2c -c public -t 1 -r 1 -Oqv "127.0.0.1:$pa" 1.3.6.1.2.1.11.6.0 2>/dev/null || echo 0; }

pa=$(uport)
cat >"$tmp/agent.yaml" <<EOC
listen: ["0.0.0.0:$pa"]
communities: [{name: public, allow: ["127.0.0.0/8"]}]
log: {target: stderr, level: warn}
EOC
"$BUILD/proctel-agent" -c "$tmp/agent.yaml" & ap=$!; pids="$pids $ap"
wait_up "127.1.0.1:$pa" || exit 1
hosts "$tmp/hosts.txt" "$N" 1 "$pa"
head -n 10 "$tmp/hosts.txt" >"$tmp/tiny.txt"
head -n "$NSG" "$tmp/hosts.txt" >"$tmp/sg.txt"
conf "$tmp/all.yaml" "$tmp/hosts.txt"
conf "$tmp/tiny.yaml" "$tmp/tiny.txt"
last=$(tail -n 1 "$tmp/hosts.txt")
echo "== $N targets 127.1.0.1..${last%:*} on one proctel-agent (0.0.0.0:$pa), $(nproc) CPUs"
echo "   OIDs: sysUpTime.0 sysName.0 ptProcesses.0 ptZombies.0; v2c; timeout ${TIMEOUT_MS} ms, $RETRIES retries"
echo "   fd limit $fds (the collector needs about one per target)"
echo "   wall/user/sys/rss are the poller's own processes; targets/s = answered / wall"
header

# proctel-collector: a tiny run for the memory baseline, then RUNS full runs.
collector tiny "$tmp/tiny.yaml"
row "collector 10 (baseline)" 10 "$ok" $(cut -d' ' -f1-4 "$tmp/tiny.t")
rss0=$(field tiny 4)
r=1
while [ "$r" -le "$RUNS" ]; do
	a0=$(ticks "$ap")
	collector "c$r" "$tmp/all.yaml"
	a1=$(ticks "$ap")
	row "collector --once #$r" "$N" "$ok" $(cut -d' ' -f1-4 "$tmp/c$r.t")
	echo "    poll phase $poll s, $retries retries, sqlite targets $rows, agent cpu $(calc "printf \"%.2f\", ($a1 - $a0) / $hz") s"
	echo "$(field "c$r" 1) $r $poll $ok" >>"$tmp/cruns"
	r=$((r + 1))
done
# The median run by wall time stands for the collector in the ratios.
med=$(sort -n "$tmp/cruns" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }')
cr=$(echo "$med" | cut -d' ' -f2)
cpoll=$(echo "$med" | cut -d' ' -f3)
cok=$(echo "$med" | cut -d' ' -f4)
cwall=$(field "c$cr" 1)
crate=$(calc "print $cok / $cwall")
ccpu=$(calc "print ($(field "c$cr" 2) + $(field "c$cr" 3)) * 1e6 / $N")
crss=$(field "c$cr" 4)

# braa: one query line per target, all four OIDs, v2c (-2; braa's default
# is v1, which the agent also answers), -t 1 and -r 2 as the others'
# timeout and retries.  braa idles for its -t timeout after its last pass
# when a query is still unanswered (and exits at once when every one is),
# so its wall time can hold up to a second that is not work.  Its rate is
# timed to the last answer it prints instead: stdbuf -oL makes it write each
# answer line as it arrives (a write each, counted in braa's CPU) and
# bench/stamp.py notes when the last one came.  The idle wait itself is
# shown by a 10-target run (all answer) and a 1-target run at a closed port
# (nothing answers).
if command -v braa >/dev/null; then
	braa_q() { sed 's/^\(.*\)$/public@\1:.'"$(echo "$OIDS" | sed 's/ /,./g')"'/' "$1"; }
	braa_q "$tmp/hosts.txt" >"$tmp/braa.q"
	braa_q "$tmp/tiny.txt" >"$tmp/braat.q"
	echo "public@127.1.0.1:$(uport):.1.3.6.1.2.1.1.3.0" >"$tmp/braad.q"
	timed braat braa -2 -t 1 -r "$RETRIES" -f "$tmp/braat.q" >/dev/null 2>&1
	timed braad braa -2 -t 1 -r "$RETRIES" -f "$tmp/braad.q" >/dev/null 2>&1
	bt0=$(date +%s.%N)
	timed braa stdbuf -oL braa -2 -t 1 -r "$RETRIES" -f "$tmp/braa.q" 2>"$tmp/braa.err" |
	    python3 "$BENCH/stamp.py" "$tmp/braa.out" >"$tmp/braa.stamp"
	bok=$(grep '^127\.' "$tmp/braa.out" | cut -d: -f1 | sort | uniq -c | awk '$1 >= 4' | wc -l)
	# From braa's start (GNU time's, else ours) to its last line, never
	# past its exit (the reader may see the last line a little late).
	[ -s "$tmp/braa.t0" ] && bt0=$(cat "$tmp/braa.t0")
	blast=$(awk -v t0="$bt0" -v w="$(field braa 1)" '{
		t = ($2 > 0) ? $2 - t0 : w; if (t > w) t = w; printf "%.3f", t }' "$tmp/braa.stamp")
	row "braa -2 (to last answer)" "$N" "$bok" "$blast" $(cut -d' ' -f2-4 "$tmp/braa.t")
	echo "    wall to exit $(field braa 1) s, to its last answer $blast s; idle wait: 10 answering targets $(field braat 1) s, 1 closed port $(field braad 1) s"
	echo "    braa sleeps about 250 us per query sent (seen with strace), which caps its send rate"
	brate=$(calc "print $bok / $blast")
	bcpu=$(calc "print ($(field braa 2) + $(field braa 3)) * 1e6 / $N")
	brss=$(field braa 4)
else
	echo "braa not installed: skipped"
	brate=0; bcpu=0; blast=0; bok=0; brss=0
fi

# snmpget loop: one process per target, 16 at a time, on a subset.
timed sg sh -c 'xargs -P 16 -I{} snmpget -v2c -c public -t 1 -r "$1" -On {} $2 <"$3"' \
    sh "$RETRIES" "$OIDS" "$tmp/sg.txt" >"$tmp/sg.out" 2>"$tmp/sg.err"
sok=$(grep -c "^\.$ZOID = " "$tmp/sg.out")
row "snmpget, xargs -P 16" "$NSG" "$sok" $(cut -d' ' -f1-4 "$tmp/sg.t")
srate=$(calc "print $sok / $(field sg 1)")
scpu=$(calc "print ($(field sg 2) + $(field sg 3)) * 1e6 / $NSG")
echo "    run on $NSG targets, not $N: at this rate $N would take $(calc "printf \"%.1f\", $N / $srate") s"

# snmp_exporter, scraped once per target by bench/scrape with CONCURRENCY
# scrapes in flight, as many as the collector's targets at once.  The
# exporter (0.21 in Debian 12) has no setting that caps concurrent scrapes
# (see --help-long); what could cap them is its open-file limit (Go raises
# the soft limit to the hard one; this script raised both for the
# collector) and the listen backlog (net.core.somaxconn), both printed.
# Its CPU and memory are read from /proc; the client's are printed apart.
if command -v prometheus-snmp-exporter >/dev/null; then
	ep=$(tcp_port)
	prometheus-snmp-exporter --config.file="$BENCH/collector_snmp.yaml" \
	    --web.listen-address="127.0.0.1:$ep" --log.level=warn \
	    >"$tmp/exp.log" 2>&1 & xp=$!; pids="$pids $xp"
	i=0
	until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$ep/', timeout=1)" 2>/dev/null; do
		i=$((i + 1)); [ $i -ge 50 ] && break; sleep 0.1
	done
	pe0=$(parse_errs)
	x0=$(ticks "$xp")
	timed scrape "$BUILD/bench/scrape" "127.0.0.1:$ep" proctel \
	    "$tmp/hosts.txt" "$CONCURRENCY" 60 >"$tmp/scrape.out"
	x1=$(ticks "$xp")
	pe1=$(parse_errs)
	xok=$(sed -n 's/.*answered \([0-9]*\).*/\1/p' "$tmp/scrape.out")
	xok=${xok:-0}
	xwall=$(sed -n 's/.*wall \([0-9.]*\).*/\1/p' "$tmp/scrape.out")
	xwall=${xwall:-$(field scrape 1)}
	xcpu=$(calc "print ($x1 - $x0) / $hz")
	xrss=$(hwm "$xp")
	row "snmp_exporter (exporter)" "$N" "$xok" "$xwall" "$xcpu" 0 "$xrss"
	row "  + bench/scrape ($CONCURRENCY)" "$N" "$xok" $(cut -d' ' -f1-4 "$tmp/scrape.t")
	echo "    exporter user_s is its user+sys; $(cat "$tmp/scrape.out")"
	echo "    exporter limits: $(awk '/Max open files/ { print "open files " $4 " (soft), " $5 " (hard)" }' "/proc/$xp/limits"), net.core.somaxconn $(cat /proc/sys/net/core/somaxconn)"
	echo "    agent snmpInASNParseErrs +$((pe1 - pe0)) during the scrapes"
	xrate=$(calc "print $xok / $xwall")
	xcput=$(calc "print $xcpu * 1e6 / $N")
	xccput=$(calc "print ($(field scrape 2) + $(field scrape 3)) * 1e6 / $N")
else
	echo "prometheus-snmp-exporter not installed: skipped"
	xrate=0; xcput=0; xccput=0; xok=0; xwall=0; xrss=0
fi

rb=$(ratio "$crate" "$brate" 1); rs=$(ratio "$crate" "$srate" 1); rx=$(ratio "$crate" "$xrate" 1)
mpt=$(calc "printf \"%.2f\", ($crss - $rss0) / $N")
echo "== ratios (collector: median run #$cr)"
echo "rate: collector $(calc "printf \"%.0f\", $crate")/s; vs braa ${rb}x (target >= 4: $(verdict "$rb" '>=' 4)), vs snmpget loop ${rs}x (target >= 30: $(verdict "$rs" '>=' 30)), vs snmp_exporter ${rx}x"
echo "CPU per target: collector $(calc "printf \"%.1f\", $ccpu") us, braa $(calc "printf \"%.1f\", $bcpu") us, snmpget $(calc "printf \"%.0f\", $scpu") us, snmp_exporter $(calc "printf \"%.1f\", $xcput") us (without its client)"
echo "memory per target: ($crss - $rss0) KiB / $N = $mpt KiB (target <= 4: $(verdict "$mpt" '<=' 4))"
echo "all $N within 1 s: process wall $cwall s ($(verdict "$cwall" '<=' 1)), poll phase $cpoll s ($(verdict "$cpoll" '<=' 1)); answered $cok/$N"

# Dead targets: nothing listens on that port, loopback answers with ICMP
# port unreachable; the collector still spends its timeout budget on them.
budget=$(calc "t = $TIMEOUT_MS / 1000; b = 0; for (i = 0; i <= $RETRIES; i++) { b += t; t *= 2 }; print b")
dp=$(uport)
hosts "$tmp/dead.txt" "$NLOSS" 3 "$dp"
conf "$tmp/dead.yaml" "$tmp/dead.txt"
echo "== $NLOSS dead targets 127.3.x.y:$dp (port closed; timeout budget: $TIMEOUT_MS ms doubling, $((RETRIES + 1)) attempts = $budget s)"
collector dead "$tmp/dead.yaml"
echo "answered $ok/$NLOSS, retries $retries, wall $(field dead 1) s (budget $budget s), cpu $(calc "print $(field dead 2) + $(field dead 3)") s, rss $(field dead 4) KiB"
echo "$(thousands "$NLOSS") dead targets (port closed): $ok answered in $(field dead 1) s" >>"$tmp/loss.sum"
grep -m1 -o '"error":"[^"]*"' "$tmp/dead.jsonl" | sed 's/^/    first record: /'

# Packet loss inside a namespace of our own.
loss_runs() {
	if [ "$(id -u)" != 0 ]; then
		echo "== loss runs skipped: need root for ip netns and nft" | tee -a "$tmp/loss.sum"
		return
	fi
	if ! command -v nft >/dev/null; then
		echo "== loss runs skipped: nft not installed" | tee -a "$tmp/loss.sum"
		return
	fi
	ns=ptbench$$
	if ! ip netns add "$ns" 2>"$tmp/ns.err"; then
		echo "== loss runs skipped: ip netns add: $(cat "$tmp/ns.err")" | tee -a "$tmp/loss.sum"
		ns=""
		return
	fi
	ip -n "$ns" link set lo up
	ip netns exec "$ns" "$BUILD/proctel-agent" -c "$tmp/agent.yaml" & nap=$!; pids="$pids $nap"
	wait_up "127.1.0.1:$pa" "$ns" || return
	hosts "$tmp/loss.txt" "$NLOSS" 1 "$pa"
	conf "$tmp/loss.yaml" "$tmp/loss.txt"
	# loss MOD: drop one UDP datagram in MOD in the input hook.  On loopback
	# every datagram, request or reply, crosses the input hook once, so each
	# direction loses 1/MOD and a request/reply round trip 1-(1-1/MOD)^2, as in
	# tests/integration/collector_loss.sh.
	loss() {
		ip netns exec "$ns" nft delete table inet ptloss 2>/dev/null
		ip netns exec "$ns" nft -f - <<-EON
	table inet ptloss {
		chain input { type filter hook input priority 0; policy accept; meta l4proto udp numgen random mod $1 0 drop; }
	}
	EON
	}
	for m in 10 5; do
		pct=$((100 / m))
		echo "== $NLOSS targets, $pct% UDP loss each way (netns $ns), retries $RETRIES"
		loss "$m" || { echo "nft failed: loss run skipped"; continue; }
		collector "loss$m" "$tmp/loss.yaml" "$ns"
		e=$(calc "s = (1 - 1 / $m) ^ 2; printf \"%.0f\", $NLOSS * (1 - (1 - s) ^ ($RETRIES + 1))")
		echo "model: a round trip is lost with $(calc "printf \"%.0f\", 100 * (1 - (1 - 1 / $m) ^ 2)")%; $((RETRIES + 1)) independent attempts answer ~$e"
		echo "answered $ok/$NLOSS, retries $retries, wall $(field "loss$m" 1) s (poll $poll s, budget $budget s), cpu $(calc "print $(field "loss$m" 2) + $(field "loss$m" 3)") s"
		echo "$(thousands "$NLOSS") targets, $pct% loss each way: $ok answered (model ~$e) in $(field "loss$m" 1) s" >>"$tmp/loss.sum"
		echo "    attempts: $(grep -o '"status":"[a-z]*","attempts":[0-9]*\|"status":"[a-z]*","error":"[^"]*","attempts":[0-9]*' "$tmp/loss$m.jsonl" |
		    sed 's/"status":"\([a-z]*\)".*"attempts":\([0-9]*\)/\1@\2/' | sort | uniq -c | awk '{ printf "%s %s  ", $2, $1 }')"
	done

	# Black-hole targets: every UDP datagram dropped, no ICMP comes back.
	echo "== $NLOSS black-hole targets (netns, 100% UDP drop, no ICMP)"
	if loss 1; then
		collector hole "$tmp/loss.yaml" "$ns"
		echo "answered $ok/$NLOSS, retries $retries, wall $(field hole 1) s (budget $budget s), cpu $(calc "print $(field hole 2) + $(field hole 3)") s"
		echo "$(thousands "$NLOSS") black-hole targets (no reply, no ICMP): $ok answered in $(field hole 1) s" >>"$tmp/loss.sum"
	fi
}
loss_runs

# The summary: one Markdown table from this run.
kib_mb() { calc "printf \"%.1f MB\", $1 / 1000"; }
us() { calc "printf \"%.0f us\", $1"; }
echo
echo "== summary (Markdown, this run; \`make bench\`, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| tool, as run | wall | targets/s | CPU per target | peak RSS | answered |"
echo "|---|---|---|---|---|---|"
echo "| proctel-collector --once (median of $RUNS runs), concurrency $(thousands "$CONCURRENCY"), JSON Lines + SQLite sinks | $cwall s | $(thousands "$crate") | $(us "$ccpu") | $(kib_mb "$crss") | $(thousands "$cok")/$(thousands "$N") |"
if [ "$brate" != 0 ]; then
	echo "| braa -2 -t 1 -r $RETRIES (paces its own sends; text to a file); timed to its last answer, $(field braa 1) s to exit | $blast s | $(thousands "$brate") | $(us "$bcpu") | $(kib_mb "$brss") | $(thousands "$bok")/$(thousands "$N") |"
fi
echo "| snmpget -t 1 -r $RETRIES, \`xargs -P 16\` (16 in flight), $(thousands "$NSG") targets scaled to $(thousands "$N") | $(calc "printf \"%.1f\", $N / $srate") s | $(thousands "$srate") | $(thousands "$scpu") us | $(kib_mb "$(field sg 4)") each | $(thousands "$sok")/$(thousands "$NSG") |"
if [ "$xrate" != 0 ]; then
	echo "| snmp_exporter $(prometheus-snmp-exporter --version 2>&1 | sed -n 's/.*version \([0-9.]*\).*/\1/p'), $(thousands "$CONCURRENCY") scrapes in flight (bench/scrape), module timeout 1 s, $RETRIES retries | $xwall s | $(thousands "$xrate") | $(us "$xcput") exporter, $(us "$xccput") client | $(kib_mb "$xrss") | $(thousands "$xok")/$(thousands "$N") |"
fi
echo
echo "- rate: $(ratio "$crate" "$brate" 1)x braa's (target >= 4x, $(verdict "$rb" '>=' 4)), ${rs}x the snmpget loop's (target >= 30x, $(verdict "$rs" '>=' 30)), ${rx}x snmp_exporter's"
echo "- memory per target: ($(thousands "$crss") - $(thousands "$rss0")) KiB / $(thousands "$N") = $mpt KiB (target <= 4 KiB, $(verdict "$mpt" '<=' 4))"
echo "- all $(thousands "$N") targets within 1 s: process wall $cwall s ($(verdict "$cwall" '<=' 1)), poll phase $cpoll s"
sed 's/^/- /' "$tmp/loss.sum"
echo '== end of summary'
