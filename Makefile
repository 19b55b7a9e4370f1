# corral - Makefile
#
#   make            build everything into build/
#   make run        install missing Debian packages, build, run the daemon
#   make check      unit + end-to-end tests, plain and under ASan+UBSan
#   make install    PREFIX=/usr/local DESTDIR= (bin/, libexec/corral/, etc)
#   make clean
#
# SAN=1 builds the sanitizer variant into build-san/.

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBEXECDIR	?= $(PREFIX)/libexec/corral
SYSCONFDIR	?= $(PREFIX)/etc/corral
MANDIR		?= $(PREFIX)/share/man
VERSION		:= $(shell cat VERSION 2>/dev/null || echo 0.0.0)

CC		?= cc
PKG_CONFIG	?= pkg-config
PKGS		:= libevent libcjson libcap-ng libcrypto

ifeq ($(SAN),1)
BUILD		?= build-san
SANFLAGS	:= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=undefined
else
BUILD		?= build
SANFLAGS	:=
endif

WARN		:= -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		   -Wmissing-prototypes -Wstrict-prototypes -Wformat=2
CFLAGS		?= -O2 -g
CPPFLAGS	+= -D_GNU_SOURCE -Icommon \
		   -DCORRAL_VERSION='"$(VERSION)"' \
		   -DCORRAL_LIBEXECDIR='"$(LIBEXECDIR)"' \
		   -DCORRAL_SYSCONFDIR='"$(SYSCONFDIR)"'
ALL_CFLAGS	:= -std=c11 $(WARN) $(CFLAGS) $(SANFLAGS) \
		   $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS_ALL	:= $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CHECK_LIBS	:= $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
LDFLAGS		+= $(SANFLAGS)

COMMON_SRCS	:= $(wildcard common/*.c)
MASTER_SRCS	:= $(filter-out master/main.c,$(wildcard master/*.c))
HTTP_SRCS	:= $(filter-out workers/http/main.c,$(wildcard workers/http/*.c))
CTL_SRCS	:= $(filter-out ctl/main.c,$(wildcard ctl/*.c))
# the store and the offline CLI (corral secrets ...), linked into corral
SECRETS_SRCS	:= workers/secrets/store.c workers/secrets/store_crypt.c \
		   workers/secrets/store_file.c workers/secrets/secrets_cli.c \
		   workers/secrets/secrets_cli_cmd.c workers/secrets/secrets_check.c
# the secrets worker's own files (not the CLI's); the store is in LIB_SECRETS
SECRETSW_SRCS	:= $(filter-out workers/secrets/secrets_cli%.c $(SECRETS_SRCS), \
		   $(wildcard workers/secrets/secrets_*.c))
# the gpu worker's files but its main
GPU_SRCS	:= $(filter-out workers/gpu/main.c,$(wildcard workers/gpu/*.c))
# the engines worker's files but its main (eng_http*.c: the Docker API client)
ENGINES_SRCS	:= $(filter-out workers/engines/main.c,$(wildcard workers/engines/*.c))
# the mcp worker's files but its main; mcp_conf.c is linked into corral too
# (check-config reads the MCP servers file)
MCP_SRCS	:= $(filter-out workers/mcp/main.c,$(wildcard workers/mcp/*.c))
# the skills worker's files but its main; skill_manifest.c, skill_registry.c
# and skill_agent.c are linked into corral too (check-config reads skills_dir)
SKILLS_SRCS	:= $(filter-out workers/skills/main.c,$(wildcard workers/skills/*.c))
UNIT_SRCS	:= $(wildcard tests/unit/*.c)
FAKE_SRCS	:= $(wildcard tests/e2e/fake-*.c)

obj		= $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB_COMMON	:= $(BUILD)/lib/libcorral-common.a
LIB_MASTER	:= $(BUILD)/lib/libcorral-master.a
LIB_HTTP	:= $(BUILD)/lib/libcorral-http.a
LIB_CTL		:= $(BUILD)/lib/libcorral-ctl.a
LIB_SECRETS	:= $(BUILD)/lib/libcorral-secrets.a
LIB_SECRETSW	:= $(BUILD)/lib/libcorral-secretsw.a
LIB_GPU		:= $(BUILD)/lib/libcorral-gpu.a
LIB_ENGINES	:= $(BUILD)/lib/libcorral-engines.a
LIB_MCP		:= $(BUILD)/lib/libcorral-mcp.a
LIB_SKILLS	:= $(BUILD)/lib/libcorral-skills.a
# runs.db: only the skills worker (and the unit tests) link SQLite
SQLITE_LIBS	:= $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null || echo -lsqlite3)

BIN_CORRAL	:= $(BUILD)/bin/corral
BIN_CTL		:= $(BUILD)/bin/corralctl
WORKERS		:= http secrets gpu engines mcp skills
BIN_WORKERS	:= $(addprefix $(BUILD)/libexec/corral/,$(WORKERS))
BIN_FAKES	:= $(patsubst tests/e2e/%.c,$(BUILD)/tests/%,$(FAKE_SRCS))
BIN_UNIT	:= $(BUILD)/tests/check_main
# stand-ins for libnvidia-ml.so.1 (tests/fake-nvml): the second one's
# nvmlInit fails. Built without sanitizers: dlopen'ed by plain and
# sanitized workers alike.
FAKE_NVML	:= $(BUILD)/tests/libfake-nvml.so $(BUILD)/tests/libfake-nvml-fail.so

.SECONDARY:

.PHONY: all run check check-unit check-e2e deps test-deps install clean fuzz

all: $(BIN_CORRAL) $(BIN_CTL) $(BIN_WORKERS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# tests may look inside every module
$(BUILD)/obj/tests/%.o: CPPFLAGS += -Imaster -Iworkers/http -Ictl \
		   -Iworkers/secrets -Iworkers/gpu -Iworkers/engines \
		   -Iworkers/mcp -Iworkers/skills
$(BUILD)/obj/master/main.o: CPPFLAGS += -Iworkers/secrets -Iworkers/engines \
		   -Iworkers/mcp -Iworkers/skills

$(LIB_COMMON): $(call obj,$(COMMON_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_MASTER): $(call obj,$(MASTER_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_HTTP): $(call obj,$(HTTP_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^

$(LIB_CTL): $(call obj,$(CTL_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_SECRETS): $(call obj,$(SECRETS_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_SECRETSW): $(call obj,$(SECRETSW_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_GPU): $(call obj,$(GPU_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_ENGINES): $(call obj,$(ENGINES_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_MCP): $(call obj,$(MCP_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^
$(LIB_SKILLS): $(call obj,$(SKILLS_SRCS))
	@mkdir -p $(dir $@)
	@$(AR) rcs $@ $^

# the engines file is checked at start (check-config too): eng_profile*.c
$(BIN_CORRAL): $(call obj,master/main.c) $(LIB_MASTER) $(LIB_SECRETS) $(LIB_ENGINES) \
		$(LIB_MCP) $(LIB_SKILLS) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BIN_CTL): $(call obj,ctl/main.c) $(LIB_CTL) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libexec/corral/http: $(call obj,workers/http/main.c) $(LIB_HTTP) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libexec/corral/secrets: $(call obj,workers/secrets/main.c) $(LIB_SECRETSW) $(LIB_SECRETS) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libexec/corral/gpu: $(call obj,workers/gpu/main.c) $(LIB_GPU) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libexec/corral/engines: $(call obj,workers/engines/main.c) $(LIB_ENGINES) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libexec/corral/mcp: $(call obj,workers/mcp/main.c) $(LIB_MCP) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libexec/corral/skills: $(call obj,workers/skills/main.c) $(LIB_SKILLS) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL) $(SQLITE_LIBS)

$(BUILD)/tests/libfake-nvml.so: tests/fake-nvml/fake_nvml.c
	@mkdir -p $(dir $@)
	@echo "  SO      $@"
	@$(CC) -std=c11 $(WARN) -O2 -g -shared -fPIC -o $@ $<
$(BUILD)/tests/libfake-nvml-fail.so: tests/fake-nvml/fake_nvml.c
	@mkdir -p $(dir $@)
	@echo "  SO      $@"
	@$(CC) -std=c11 $(WARN) -O2 -g -shared -fPIC -DFAKE_FAIL_INIT -o $@ $<

$(BUILD)/tests/fake-%: $(call obj,tests/e2e/fake-%.c) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BIN_UNIT): $(call obj,$(UNIT_SRCS)) $(LIB_MASTER) $(LIB_HTTP) $(LIB_CTL) \
		$(LIB_SECRETSW) $(LIB_SECRETS) $(LIB_GPU) $(LIB_ENGINES) $(LIB_MCP) \
		$(LIB_SKILLS) $(LIB_COMMON)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL) $(SQLITE_LIBS) $(CHECK_LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

deps:
	@sh scripts/deps.sh build

test-deps:
	@sh scripts/deps.sh test

# run: the daemon in the foreground on its built-in defaults. Started as
# root it drops to CORRAL_USER; make run keeps the invoking user's uid (with
# no capabilities) so ./var stays reachable wherever the checkout lives.
run: deps
	@$(MAKE) --no-print-directory all
	exec env CORRAL_USER=$${CORRAL_USER:-$$(id -un)} ./$(BIN_CORRAL)

tests-bin: all $(BIN_FAKES) $(BIN_UNIT) $(FAKE_NVML)

check: test-deps
	@$(MAKE) --no-print-directory tests-bin
	@$(MAKE) --no-print-directory SAN=1 tests-bin
	@$(MAKE) --no-print-directory fuzz-bin
	@sh tests/run-checks.sh $(BUILD) build-san

check-unit: tests-bin
	$(BIN_UNIT)

check-e2e: tests-bin
	@sh tests/e2e/run-all.sh $(BUILD)

# libFuzzer targets (clang, ASan+UBSan); make check replays each corpus
# once, make fuzz runs each for FUZZ_TIME seconds. Each tests/fuzz/fuzz_X.c
# is a target with its seed corpus in tests/fuzz/corpus/X/:
#   frame		the frame decoder (common/frame.c)
#   routes		the routes file (common/routes.c)
#   config		corral.conf through config_load and config_check
#   demux		Docker's log stream demuxer (engines worker)
#   engine_request	an engine launch request (engines worker)
#   http_body		the http worker's own parsing of bodies and queries
#   http_response	the engines worker's HTTP/1.1 response parser
#   mcp_jsonrpc		the MCP stdio transport: line splitter, JSON-RPC
#			classifier, and the MCP servers file (mcp worker)
#   skill_manifest	a skill's skill.json and a run's input (skills worker)
# frame, routes and config use the generic rule, which links common/ but
# worker.c and sandbox.c; the dedicated rules below say what the others add.
FUZZ_TIME	?= 60
FUZZ_SRCS	:= $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS	:= $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRCS))
FUZZ_CFLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 $(WARN) \
		   $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(COMMON_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(filter-out common/worker.c common/sandbox.c,$(COMMON_SRCS)) \
		$(LDLIBS_ALL)

# fuzz_demux also needs the engines worker's demuxer
build-fuzz/fuzz_demux: tests/fuzz/fuzz_demux.c workers/engines/eng_demux.c \
		workers/engines/eng_demux.h $(COMMON_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CPPFLAGS) -Iworkers/engines $(FUZZ_CFLAGS) -o $@ $< \
		workers/engines/eng_demux.c \
		$(filter-out common/worker.c common/sandbox.c,$(COMMON_SRCS)) \
		$(LDLIBS_ALL)

# the engines worker's HTTP response parser, alone: it needs nothing else
# (not libevent, not common/)
build-fuzz/fuzz_http_response: tests/fuzz/fuzz_http_response.c \
		workers/engines/eng_http_parse.c workers/engines/eng_http_parse.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CPPFLAGS) -Iworkers/engines $(FUZZ_CFLAGS) -o $@ $< \
		workers/engines/eng_http_parse.c

# the mcp worker's pure parts: the JSON-RPC lines and the servers file
FUZZ_MCP_SRCS	:= $(addprefix workers/mcp/,mcp_jsonrpc.c mcp_conf.c \
		   mcp_conf_member.c)
build-fuzz/fuzz_mcp_jsonrpc: tests/fuzz/fuzz_mcp_jsonrpc.c $(FUZZ_MCP_SRCS) \
		$(wildcard workers/mcp/mcp_jsonrpc.h workers/mcp/mcp_conf*.h) \
		$(COMMON_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CPPFLAGS) -Iworkers/mcp $(FUZZ_CFLAGS) -o $@ $< \
		$(FUZZ_MCP_SRCS) \
		$(filter-out common/worker.c common/sandbox.c,$(COMMON_SRCS)) \
		$(LDLIBS_ALL)

# a skill's manifest and a run's input checked against it
FUZZ_SKILL_SRCS	:= $(addprefix workers/skills/,skill_manifest.c skill_input.c \
		   skill_agent.c)
build-fuzz/fuzz_skill_manifest: tests/fuzz/fuzz_skill_manifest.c $(FUZZ_SKILL_SRCS) \
		$(wildcard workers/skills/skill_manifest*.h workers/skills/skill_agent.h) \
		$(COMMON_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CPPFLAGS) -Iworkers/skills $(FUZZ_CFLAGS) -o $@ $< \
		$(FUZZ_SKILL_SRCS) \
		$(filter-out common/worker.c common/sandbox.c,$(COMMON_SRCS)) \
		$(LDLIBS_ALL)

# the engine launch request: the spec and the profiles it is checked against
FUZZ_ENGREQ_SRCS := $(addprefix workers/engines/,eng_spec.c eng_spec_body.c \
		   eng_profile.c eng_profile_file.c eng_check.c)
build-fuzz/fuzz_engine_request: tests/fuzz/fuzz_engine_request.c \
		$(FUZZ_ENGREQ_SRCS) $(COMMON_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CPPFLAGS) -Iworkers/engines $(FUZZ_CFLAGS) -o $@ $< \
		$(FUZZ_ENGREQ_SRCS) \
		$(filter-out common/worker.c common/sandbox.c,$(COMMON_SRCS)) \
		$(LDLIBS_ALL)

# the http worker's request parsers: their files also hold the handlers,
# which reach the whole worker (bus, calls, server), so it links every
# file of the worker but main.c, the worker runtime, and libevent
build-fuzz/fuzz_http_body: tests/fuzz/fuzz_http_body.c $(HTTP_SRCS) \
		$(wildcard workers/http/*.h) $(COMMON_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CPPFLAGS) -Iworkers/http $(FUZZ_CFLAGS) \
		$(shell $(PKG_CONFIG) --cflags libevent 2>/dev/null) -o $@ $< \
		$(HTTP_SRCS) $(COMMON_SRCS) $(LDLIBS_ALL)

fuzz-bin: $(FUZZ_BINS)

fuzz: fuzz-bin
	@for f in $(FUZZ_BINS); do \
		n=$${f#build-fuzz/fuzz_}; mkdir -p build-fuzz/corpus-$$n; \
		echo "== $$f for $(FUZZ_TIME) s"; \
		$$f -max_total_time=$(FUZZ_TIME) build-fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(BIN_CORRAL) $(BIN_CTL) $(DESTDIR)$(BINDIR)/
	install -m 0755 $(BIN_WORKERS) $(DESTDIR)$(LIBEXECDIR)/
	install -m 0644 conf/corral.conf $(DESTDIR)$(SYSCONFDIR)/corral.conf.example
	install -m 0644 docs/corralctl.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 docs/corral.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 docs/corral.8 $(DESTDIR)$(MANDIR)/man8/

clean:
	rm -rf build build-san build-fuzz

# bench: corral against its peers on this machine, in one run (issue 7).
# Installs the peers (scripts/deps.sh bench), builds the plain build/ and
# the tools under build/bench/, runs bench/run.sh: bench/results/latest.json,
# a markdown table on stdout and in docs/performance.md. Not part of check.
# BENCH_KILLS (default 50) and BENCH_HTTP_SECS (default 10) shorten it.
# The gpu harness links the gpu worker's files; if it cannot be built the
# gpu row says so and the rest still runs.
BENCH_TOOLS	:= restart startready pingpong sleeper svlisten busping
BENCH_BINS	:= $(addprefix build/bench/,$(BENCH_TOOLS))

.PHONY: bench bench-bin

bench:
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory SAN=0 BUILD=build all bench-bin
	@if [ -d workers/gpu ]; then \
		$(MAKE) --no-print-directory SAN=0 BUILD=build \
		    build/bench/gpusample build/tests/libfake-nvml.so || \
		echo "bench: no gpu harness; the gpu row will say so"; \
	fi
	@bash bench/run.sh build

bench-bin: $(BENCH_BINS)

build/obj/bench/%.o: CPPFLAGS += -Ibench -Iworkers/gpu
build/bench/%: build/obj/bench/%.o build/obj/bench/bench_util.o build/lib/libcorral-common.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)
build/bench/gpusample: build/obj/bench/gpusample.o build/obj/bench/bench_util.o \
		build/lib/libcorral-gpu.a build/lib/libcorral-common.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# chaos: kill -9 of the workers at random under load (issue 7). Installs
# wrk & co (scripts/deps.sh chaos), builds the plain build/ and the fake
# NVML the gpu worker loads, runs bench/chaos.sh: wrk on /healthz and
# /v1/runtime, a prober on each, at least CHAOS_KILLS (200) kills in
# CHAOS_SECS (100) seconds, then the checks (master alive, all ready, no
# zombie, same fd count, failures only while http was down). Prints the
# counts, writes bench/results/chaos.json and the counts in
# docs/performance.md. Not part of check.
.PHONY: chaos

chaos:
	@sh scripts/deps.sh chaos
	@$(MAKE) --no-print-directory SAN=0 BUILD=build all build/tests/libfake-nvml.so
	@bash bench/chaos.sh build
