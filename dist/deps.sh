#!/bin/sh
# Install the Debian packages proctel needs to build, test and demo, and the
# base MIB modules smilint needs (npm package net-snmp, into a cache outside
# the tree).  Checks first, so it is quick when everything is there.  As
# non-root it prints the command to run instead.
# chromium and chromium-driver: the report tests open the page headless.
PKGS="build-essential pkg-config libyaml-dev libsnmp-dev nettle-dev snmp snmpd \
libsqlite3-dev sqlite3 clang libclang-rt-14-dev smitools nftables iproute2 \
procps python3 npm prometheus-snmp-exporter chromium chromium-driver \
influxdb prometheus \
libcurl4-openssl-dev libprotobuf-c-dev protobuf-c-compiler libsnappy-dev \
victoria-metrics openssl curl"
# SNMPv3 tests: pysnmp as a second v3 manager, tshark to decrypt captures.
PKGS="$PKGS python3-pysnmp4 tshark"
# make deb, and the package tests (tests/integration/deb_*.sh): debhelper
# and lintian, systemd for systemd-analyze, Debian's ansible-core with
# python3-apt for its apt module.
PKGS="$PKGS debhelper lintian systemd ansible-core python3-apt python3-yaml"
[ -n "${BENCH_DEPS:-}" ] && PKGS="$PKGS braa"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
# npm may come with node from elsewhere; do not ask apt for it then.
if command -v npm >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ npm\b//')
fi
if [ -n "$missing" ]; then
	cmd="apt-get install -y --no-install-recommends$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "proctel: missing packages; run as root:"
		echo "  apt-get update && $cmd"
		exit 1
	fi
	echo "proctel: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq </dev/null >/dev/null || exit 1
	$cmd </dev/null >/dev/null || exit 1
fi

# The IETF base modules for smilint (SNMPv2-SMI, -TC, -CONF), never
# committed: RFC text is not ours to ship.
cache=${PROCTEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/proctel}
if [ ! -f "$cache/ietf-mibs/SNMPv2-SMI" ]; then
	mkdir -p "$cache/npm" "$cache/ietf-mibs"
	if (cd "$cache/npm" && npm pack net-snmp@3 --silent >/dev/null 2>&1 &&
	    tar xzf net-snmp-*.tgz); then
		for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF; do
			cp "$cache/npm/package/lib/mibs/$m.mib" "$cache/ietf-mibs/$m"
		done
	else
		echo "proctel: could not fetch npm net-snmp; MIB lint tests will skip"
	fi
fi
exit 0
