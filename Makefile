# proctel: a plain Makefile.  Every .c in a folder is picked up, so adding a
# module needs no edit here.
#   make            build/proctel-agent, build/proctel-collector
#   make test       deps, build, every unit and integration test
#   make check      the same tests built with ASan and UBSan (build/check/)
#   make fuzz       libFuzzer targets with clang, FUZZ_SECONDS each
#   make bench      side-by-side benchmarks (bench/)
#   make demo       deps, build, run an agent and poll it once
#   make deps       install missing Debian packages

CC	?= cc
BUILD	?= build
SANITIZE ?=
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
CLANG	?= clang

WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wcast-qual -Wformat=2
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -I. -MMD -MP
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=$(SANITIZE)
endif

YAML_LIBS	= -lyaml
SNMP_LIBS	= -lnetsnmp
SQLITE_LIBS	= -lsqlite3

SNMP_SRC	= $(wildcard snmp/*.c)
LIB_SRC		= $(wildcard lib/*.c)
CONFIG_SRC	= $(wildcard config/*.c)
AGENT_SRC	= $(filter-out agent/main.c,$(wildcard agent/*.c))
COLL_SRC	= $(filter-out collector/main.c,$(wildcard collector/*.c))
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

.PHONY: all test check fuzz bench demo deps clean tools
all: $(AGENT_BIN) $(COLL_BIN) tools

tools: $(TOOL_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libpt_snmp.a: $(call obj,$(SNMP_SRC))
$(BUILD)/libpt_lib.a: $(call obj,$(LIB_SRC))
$(BUILD)/libpt_config.a: $(call obj,$(CONFIG_SRC))
$(BUILD)/libpt_agent.a: $(call obj,$(AGENT_SRC))
$(BUILD)/libpt_collector.a: $(call obj,$(COLL_SRC))
$(BUILD)/%.a:
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(AGENT_BIN): $(call obj,agent/main.c) $(BUILD)/libpt_agent.a $(CORE_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS)

$(COLL_BIN): $(call obj,collector/main.c) $(BUILD)/libpt_collector.a $(CORE_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(SNMP_LIBS) $(SQLITE_LIBS) -lm

# Unit tests link every library; only the differential tests use net-snmp.
$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(BUILD)/libpt_agent.a \
    $(BUILD)/libpt_collector.a $(CORE_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(SNMP_LIBS) $(SQLITE_LIBS) -lm

$(BUILD)/tools/%: $(call obj,tests/tools/%.c) $(CORE_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS)

$(BUILD)/bench/%: $(call obj,bench/%.c) $(BUILD)/libpt_agent.a $(CORE_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(SNMP_LIBS) -lm

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

# libFuzzer: each target is compiled with the sources it needs (listed in
# its first line as "// fuzz-sources: a.c b.c") and run FUZZ_SECONDS.
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) CLANG=$(CLANG) FUZZ_FLAGS="$(FUZZ_FLAGS)" \
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
# MIB (with its stubs), example configs and the systemd unit.
PREFIX	?= /usr/local
.PHONY: install
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(PREFIX)/share/proctel/mibs/stubs \
	    $(DESTDIR)$(PREFIX)/share/proctel/examples
	install -m 755 $(AGENT_BIN) $(DESTDIR)$(PREFIX)/sbin/
	install -m 755 $(COLL_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/proctel-collector.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/proctel.yaml.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 docs/proctel-agent.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 mibs/PROCTEL-MIB.txt $(DESTDIR)$(PREFIX)/share/proctel/mibs/
	install -m 644 mibs/stubs/*.txt $(DESTDIR)$(PREFIX)/share/proctel/mibs/stubs/
	install -m 644 config/agent.yaml config/collector.yaml \
	    dist/proctel-agent.service dist/crontab.example \
	    $(DESTDIR)$(PREFIX)/share/proctel/examples/
