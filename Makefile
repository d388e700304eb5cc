# proctel: a plain Makefile.  Every .c in a folder is picked up, so adding a
# module needs no edit here.
#   make            build/proctel-agent, build/proctel-collector
#   make test       deps, build, every unit and integration test
#   make check      the same tests built with ASan and UBSan (build/check/)
#   make fuzz       libFuzzer targets with clang, FUZZ_SECONDS each
#   make bench      side-by-side benchmarks (bench/)
#   make demo       deps, build, run an agent and poll it once
#   make deps       install missing Debian packages
#   make deb        proctel-agent and proctel-collector .debs in build/deb

CC	?= cc
BUILD	?= build
SANITIZE ?=
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
CLANG	?= clang

# The one place the version is written; `make deb PROCTEL_VERSION=X`
# builds packages of another version (the upgrade test does).
PROCTEL_VERSION := $(shell cat VERSION 2>/dev/null)
ifeq ($(PROCTEL_VERSION),)
$(error VERSION: missing or empty)
endif
VERSION_H = $(BUILD)/gen/proctel_version.h

WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wcast-qual -Wformat=2
CFLAGS	?= -O2 -g
# Debian builds with _FORTIFY_SOURCE (dpkg-buildflags); so does every plain
# build, so that what it warns about fails here first.  Not with the
# sanitizers, which replace the same checks.
ifeq ($(SANITIZE),)
CPPFLAGS ?= -D_FORTIFY_SOURCE=2
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CPPFLAGS) $(CFLAGS) -I. \
	     -I$(BUILD)/gen -MMD -MP
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=$(SANITIZE)
endif

YAML_LIBS	= -lyaml
SNMP_LIBS	= -lnetsnmp
SQLITE_LIBS	= -lsqlite3
# SNMPv3's cryptography (snmp/usm.c): Nettle, not OpenSSL, for the agent's
# memory budget (DESIGN.md "SNMPv3 in the agent").  Any program that loads
# agent.yaml or answers v3 needs it.  The agent links it statically: the
# shared library adds 0.3 MB to its peak RSS (agent_walk.sh's VmHWM, 2.8
# against 2.5 MB), the archive nothing measurable, under a 3 MB budget.
NETTLE_LIBS	= -lnettle
NETTLE_STATIC	= -Wl,-Bstatic -lnettle -Wl,-Bdynamic
# The remote sinks: HTTP, the remote-write protobuf and its compression.
REMOTE_LIBS	= -lcurl -lprotobuf-c -lsnappy
COLL_LIBS	= $(YAML_LIBS) $(SNMP_LIBS) $(SQLITE_LIBS) $(REMOTE_LIBS) -lm

SNMP_SRC	= $(wildcard snmp/*.c)
LIB_SRC		= $(wildcard lib/*.c)
CONFIG_SRC	= $(wildcard config/*.c)
AGENT_SRC	= $(filter-out agent/main.c,$(wildcard agent/*.c))
COLL_SRC	= $(filter-out collector/main.c,$(wildcard collector/*.c))
# C generated from collector/*.proto by protoc-c at build time, never
# committed; its objects join the collector library.
PROTO_SRC	= $(wildcard collector/*.proto)
PROTO_GEN	= $(patsubst %.proto,$(BUILD)/gen/%.pb-c.c,$(PROTO_SRC))
UNIT_SRC	= $(wildcard tests/unit/test_*.c)
TOOL_SRC	= $(wildcard tests/tools/*.c)
BENCH_SRC	= $(wildcard bench/*.c)
FUZZ_SRC	= $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

CORE_LIBS = $(BUILD)/libpt_config.a $(BUILD)/libpt_snmp.a $(BUILD)/libpt_lib.a
AGENT_BIN = $(BUILD)/proctel-agent
COLL_BIN  = $(BUILD)/proctel-collector
UNIT_BIN  = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TOOL_BIN  = $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))
BENCH_BIN = $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all test check fuzz bench demo deps clean tools deb FORCE
all: $(AGENT_BIN) $(COLL_BIN) tools

# The bench tools build with everything else, so the tests that check them
# (tests/integration/bench_tools.sh) and -Werror see them.
tools: $(TOOL_BIN) $(BENCH_BIN)

$(BUILD)/obj/%.o: %.c | $(VERSION_H)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(BUILD)/gen -c -o $@ $<

# Rewritten only when the version changes, so that only the objects that
# include it (the .d files know which) are rebuilt.
$(VERSION_H): FORCE
	@mkdir -p $(dir $@)
	@printf '#define PROCTEL_VERSION\t"%s"\n' '$(PROCTEL_VERSION)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/libpt_snmp.a: $(call obj,$(SNMP_SRC))
$(BUILD)/libpt_lib.a: $(call obj,$(LIB_SRC))
$(BUILD)/libpt_config.a: $(call obj,$(CONFIG_SRC))
$(BUILD)/libpt_agent.a: $(call obj,$(AGENT_SRC))
$(BUILD)/libpt_collector.a: $(call obj,$(COLL_SRC)) \
    $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(PROTO_GEN))

$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: %.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --c_out=$(BUILD)/gen $<

# protoc-c's initialisers cast away const; that is its code, not ours.
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Wcast-qual,$(ALL_CFLAGS)) -I$(BUILD)/gen -c -o $@ $<

# Sources that include a generated header wait for it.
$(call obj,$(COLL_SRC)) $(call obj,$(UNIT_SRC)): $(PROTO_GEN:.c=.h)
$(BUILD)/%.a:
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(AGENT_BIN): $(call obj,agent/main.c) $(BUILD)/libpt_agent.a $(CORE_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(NETTLE_STATIC)

$(COLL_BIN): $(call obj,collector/main.c) $(BUILD)/libpt_collector.a $(CORE_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(COLL_LIBS)

# Unit tests and fuzz targets link every library of ours and every system
# library; only the differential tests use net-snmp.
ALL_PT_LIBS	= $(BUILD)/libpt_agent.a $(BUILD)/libpt_collector.a $(CORE_LIBS)
ALL_SYS_LIBS	= $(YAML_LIBS) $(SNMP_LIBS) $(SQLITE_LIBS) $(REMOTE_LIBS) \
		  $(NETTLE_LIBS) -lm
$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(ALL_PT_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_SYS_LIBS)

$(BUILD)/tools/%: $(call obj,tests/tools/%.c) $(CORE_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(NETTLE_LIBS)

$(BUILD)/bench/%: $(call obj,bench/%.c) $(BUILD)/libpt_agent.a $(CORE_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(SNMP_LIBS) $(NETTLE_LIBS) -lm

deps:
	@dist/deps.sh

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@BUILD=$(BUILD) tests/run.sh

check: deps
	@$(MAKE) --no-print-directory BUILD=build/check \
	    SANITIZE=address,undefined all \
	    $(patsubst $(BUILD)/%,build/check/%,$(UNIT_BIN))
	@BUILD=build/check TIMEOUT_SCALE=3 \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run.sh

# libFuzzer: our libraries are built once more with clang, the sanitizers
# and libFuzzer's coverage (build/fuzz/lib), and each target is linked
# against all of them, then run FUZZ_SECONDS.
FUZZ_LIB = build/fuzz/lib
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_LIB) CC=$(CLANG) \
	    SANITIZE=address,undefined \
	    CFLAGS="-g -O1 -fsanitize=fuzzer-no-link -Wno-unknown-warning-option" \
	    $(patsubst $(BUILD)/%,$(FUZZ_LIB)/%,$(ALL_PT_LIBS))
	@FUZZ_SECONDS=$(FUZZ_SECONDS) CLANG=$(CLANG) FUZZ_FLAGS="$(FUZZ_FLAGS)" \
	    FUZZ_LINK="$(patsubst $(BUILD)/%,$(FUZZ_LIB)/%,$(ALL_PT_LIBS)) $(ALL_SYS_LIBS)" \
	    tests/fuzz/run.sh

bench: all $(BENCH_BIN)
	@BENCH_DEPS=1 dist/deps.sh
	@BUILD=$(BUILD) bench/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) dist/demo.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# make install [PREFIX=/usr/local] [DESTDIR=...]: the programs, man pages,
# MIB (with its stubs), example configs, crontab and systemd units (whose
# /usr/sbin and /usr/bin paths, the package's, become PREFIX's).
PREFIX	?= /usr/local
MAN_VERSION = sed 's/^\(\.TH .*"proctel \)[^"]*"/\1$(PROCTEL_VERSION)"/'
UNIT_PATHS = sed -e 's|/usr/sbin/proctel-agent|$(PREFIX)/sbin/proctel-agent|g' \
	    -e 's|/usr/bin/proctel-collector|$(PREFIX)/bin/proctel-collector|g'
EXAMPLES = $(DESTDIR)$(PREFIX)/share/proctel/examples
.PHONY: install
install: $(AGENT_BIN) $(COLL_BIN)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(PREFIX)/share/proctel/mibs/stubs \
	    $(DESTDIR)$(PREFIX)/share/proctel/examples
	install -m 755 $(AGENT_BIN) $(DESTDIR)$(PREFIX)/sbin/
	install -m 755 $(COLL_BIN) $(DESTDIR)$(PREFIX)/bin/
	$(MAN_VERSION) docs/proctel-collector.1 \
	    >$(DESTDIR)$(PREFIX)/share/man/man1/proctel-collector.1
	$(MAN_VERSION) docs/proctel.yaml.5 \
	    >$(DESTDIR)$(PREFIX)/share/man/man5/proctel.yaml.5
	$(MAN_VERSION) docs/proctel-agent.8 \
	    >$(DESTDIR)$(PREFIX)/share/man/man8/proctel-agent.8
	install -m 644 mibs/PROCTEL-MIB.txt $(DESTDIR)$(PREFIX)/share/proctel/mibs/
	install -m 644 mibs/stubs/*.txt $(DESTDIR)$(PREFIX)/share/proctel/mibs/stubs/
	install -m 644 config/agent.yaml config/collector.yaml \
	    dist/crontab.example dist/proctel-agent-agentx.conf $(EXAMPLES)/
	for u in dist/proctel-agent.service dist/proctel-collector.service \
	    dist/proctel-collector.timer; do \
		$(UNIT_PATHS) $$u >$(EXAMPLES)/$${u#dist/} || exit 1; \
	done

# make deb [DEB_OUT=build/deb] [PROCTEL_VERSION=...]: dist/mkdeb.sh builds
# both packages with dpkg-buildpackage in a copy of the tree.
DEB_OUT	?= $(BUILD)/deb
deb:
	@dist/mkdeb.sh '$(DEB_OUT)' '$(PROCTEL_VERSION)'
