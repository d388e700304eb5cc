#!/bin/sh
# dist/mkdeb.sh OUTDIR VERSION: build the proctel-agent and proctel-collector
# binary packages (and their -dbgsym) into OUTDIR, at VERSION.
#
# dpkg-buildpackage writes its results beside the source tree and debhelper
# its scratch files inside debian/, so the build runs in a copy,
# OUTDIR/proctel: the work tree gets neither.  In the copy, dist/debian
# becomes debian/, the VERSION file is rewritten (the programs' --version
# comes from it) and debian/changelog is generated from it.
#
# The copy is kept and brought up to date (changed files by mtime, removed
# ones removed), and the build skips dpkg-buildpackage's pre-clean, so the
# next `make deb` recompiles only what changed: for another version, the
# few objects that include the version header.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 OUTDIR VERSION" >&2; exit 2; }
out=$1
version=$2
case "$version" in
[0-9]*) ;;
*) echo "mkdeb: version '$version' must start with a digit" >&2; exit 2 ;;
esac
case "$version" in
*[!0-9A-Za-z.+~]*) echo "mkdeb: version '$version': bad character" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$out/" in
"$top"/build/*) ;;
"$top"/*) echo "mkdeb: OUTDIR inside the tree must be under build/" >&2; exit 2 ;;
esac
stage=$out/proctel

# Everything but build outputs and git metadata ($out may lie inside the
# tree, under build/).  tar keeps the mtimes, so make sees what changed.
mkdir -p "$stage"
(cd "$top" && tar -cf - --exclude=./build --exclude=./.git \
    --exclude='*.o' --exclude='*.d' --exclude='*.db' .) |
    (cd "$stage" && tar -xf -)
# Files gone from the tree go from the copy (the Makefile compiles every
# .c it finds).
(cd "$stage" && find . -path ./build -prune -o -path ./debian -prune -o \
    -type f -print) | while IFS= read -r f; do
	[ -e "$top/$f" ] || rm -f "$stage/$f"
done
rm -rf "$stage/debian"
cp -R "$top/dist/debian" "$stage/debian"
[ "$(cat "$stage/VERSION")" = "$version" ] ||
    printf '%s\n' "$version" >"$stage/VERSION"

# The changelog: one entry for this version, dated by the last commit so
# that the same tree builds the same packages.
maint=$(sed -n 's/^Maintainer: *//p' "$stage/debian/control")
date=$(git -C "$top" log -1 --format=%cD 2>/dev/null || true)
[ -n "$date" ] || date=$(date -R)
cat >"$stage/debian/changelog" <<CHANGELOG
proctel ($version) unstable; urgency=medium

  * proctel $version, built from the VERSION file by make deb.

 -- $maint  $date
CHANGELOG

# Both cores by default; DEB_BUILD_OPTIONS from the caller wins.
: "${DEB_BUILD_OPTIONS:=parallel=$(nproc 2>/dev/null || echo 1)}"
export DEB_BUILD_OPTIONS
cd "$stage"
dpkg-buildpackage -b --no-sign --no-pre-clean
cd "$out"
ls -1 proctel-agent_"$version"_*.deb proctel-collector_"$version"_*.deb
