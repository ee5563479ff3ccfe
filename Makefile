# ticketed — plain GNU make. `make V=1` shows the commands.
#
#   make            build build/bin/ticketed and build/bin/ticketd
#   make demo       start ticketd on a free loopback port and open ticket 900
#   make check      every test, in parallel (TEST_JOBS=N, default: 3 per CPU);
#                   ends with "N passed, N failed, N skipped"
#   make asan       the whole suite under AddressSanitizer + UBSan
#   make bench      printed figures (never asserted)
#   make deps       install the Debian 12 packages the build needs
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share/ticketed
MANDIR    ?= $(PREFIX)/share/man
BUILD     ?= build

PKGS      := ncursesw libcurl libcjson libmicrohttpd
TEST_PKGS := cmocka

CC        ?= cc
CFLAGS    ?= -O2 -g
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wwrite-strings -Wno-unused-parameter
ifeq ($(CI),true)
WARN      += -Werror
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# ticketed opens libcurl on first use (src/net/curl_dl.c): not linked with it.
TICKETED_LIBS = $(shell pkg-config --libs ncursesw libcjson 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude $(PKG_CFLAGS) \
             -DTICKETED_VERSION='"$(VERSION)"' -DTICKETED_DATADIR='"$(DATADIR)"' \
             -MMD -MP $(SAN) $(CFLAGS)
# Bind symbols at start-up (no lazy-binding trampoline spilling registers
# that held a secret onto the stack) and make the GOT read-only.
ALL_LDFLAGS = $(SAN) -Wl,-z,now -Wl,-z,relro $(LDFLAGS)

ifeq ($(V),1)
Q :=
else
Q := @
endif

CORE_SRC   := $(wildcard src/core/*.c)
NET_SRC    := $(wildcard src/net/*.c)
UI_SRC     := $(wildcard src/ui/*.c)
APP_SRC    := $(wildcard src/app/*.c)
SERVER_SRC := $(wildcard src/server/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
TOOL_SRC   := $(wildcard tests/tools/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

CORE_OBJ   := $(call obj,$(CORE_SRC))
NET_OBJ    := $(call obj,$(NET_SRC))
UI_OBJ     := $(call obj,$(UI_SRC))
APP_OBJ    := $(call obj,$(APP_SRC))
SERVER_OBJ := $(call obj,$(SERVER_SRC))

TICKETED   := $(BUILD)/bin/ticketed
TICKETD    := $(BUILD)/bin/ticketd
UNIT_BIN   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TOOL_BIN   := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))

.PHONY: all check demo bench asan deps install uninstall clean fuzz soak have-deps
.DEFAULT_GOAL := all

all: $(TICKETED) $(TICKETD)

$(BUILD)/lib/libcore.a: $(CORE_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libnet.a: $(NET_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(TICKETED): $(APP_OBJ) $(UI_OBJ) $(BUILD)/lib/libnet.a $(BUILD)/lib/libcore.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(APP_OBJ) $(UI_OBJ) $(BUILD)/lib/libnet.a $(BUILD)/lib/libcore.a $(TICKETED_LIBS) -ldl -lm

$(TICKETD): $(SERVER_OBJ) $(BUILD)/lib/libcore.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(SERVER_OBJ) $(BUILD)/lib/libcore.a $(PKG_LIBS) -lpthread -lm

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Unit tests (cmocka): tests/unit/test_core_*.c link src/core only,
# test_net_* add src/net, test_ui_* add src/ui, test_app_* add src/app too
# (without main.o), so one layer's tests build while another is in progress.
APP_LIB_OBJ := $(filter-out $(BUILD)/obj/src/app/main.o,$(APP_OBJ))
CMOCKA_LIBS  = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

$(BUILD)/lib/libui.a: $(UI_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libapp.a: $(APP_LIB_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

unit_libs = $(if $(filter test_app_%,$(1)),$(BUILD)/lib/libapp.a $(BUILD)/lib/libui.a $(BUILD)/lib/libnet.a,\
            $(if $(filter test_ui_%,$(1)),$(BUILD)/lib/libui.a,\
            $(if $(filter test_net_%,$(1)),$(BUILD)/lib/libnet.a))) $(BUILD)/lib/libcore.a

.SECONDEXPANSION:
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $$(call unit_libs,$$*)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(call unit_libs,$*) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

# test_app_scale counts the members every cJSON lookup walks (no clock):
# its lookups go through wrappers it defines.
SCALE_WRAP := json_get json_get_ci cJSON_GetObjectItemCaseSensitive cJSON_GetObjectItem \
              cJSON_GetArrayItem cJSON_GetArraySize cJSON_ReplaceItemInObjectCaseSensitive \
              cJSON_ReplaceItemInObject cJSON_DeleteItemFromObjectCaseSensitive \
              cJSON_DetachItemFromObjectCaseSensitive
$(BUILD)/tests/test_app_scale: ALL_LDFLAGS += $(foreach s,$(SCALE_WRAP),-Wl,--wrap=$(s))

# Every cmocka test but test_app_scale (its --wrap would reach the others) in
# one binary, for valgrind: a valgrind start reads libc's debug info, some
# 0.75 s of CPU, which forty binaries paid forty times. Each test's main is
# renamed unit_main_NAME (tests/units/driver.c): `units NAME...` runs those,
# `units` all of them.
UNITS_SRC := $(filter-out tests/unit/test_app_scale.c,$(UNIT_SRC))
UNITS_OBJ := $(patsubst tests/unit/%.c,$(BUILD)/obj/tests/units/%.o,$(UNITS_SRC))
UNITS     := $(BUILD)/tests/units
$(BUILD)/obj/tests/units/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Dmain=unit_main_$* -c -o $@ $<
$(BUILD)/obj/tests/units/list.h: Makefile
	@mkdir -p $(@D)
	$(Q)printf 'UNIT(%s)\n' $(UNITS_SRC:tests/unit/%.c=%) >$@
$(UNITS): $(UNITS_OBJ) $(BUILD)/obj/tests/units/driver.o $(BUILD)/lib/libapp.a $(BUILD)/lib/libui.a \
          $(BUILD)/lib/libnet.a $(BUILD)/lib/libcore.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(UNITS_OBJ) $(BUILD)/obj/tests/units/driver.o $(BUILD)/lib/libapp.a \
	    $(BUILD)/lib/libui.a $(BUILD)/lib/libnet.a $(BUILD)/lib/libcore.a $(PKG_LIBS) $(CMOCKA_LIBS) -lm
$(BUILD)/obj/tests/units/driver.o: tests/units/driver.c $(BUILD)/obj/tests/units/list.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -I$(BUILD)/obj/tests/units -c -o $@ $<

# Small C helpers used by tests and benchmarks (load generators, pty counters, ...).
$(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o $(BUILD)/lib/libcore.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/lib/libcore.a $(PKG_LIBS) -lpthread -lutil -lm

# tests/tools/app_*.c drive the app layer without a terminal (model, save
# machine, values, drafts, the api client): linked without curses.
APP_TOOL_PKGS = libcurl libcjson
$(BUILD)/tools/app_%: $(BUILD)/obj/tests/tools/app_%.o $(BUILD)/lib/libapp.a $(BUILD)/lib/libui.a \
                      $(BUILD)/lib/libnet.a $(BUILD)/lib/libcore.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/lib/libapp.a $(BUILD)/lib/libui.a $(BUILD)/lib/libnet.a \
	    $(BUILD)/lib/libcore.a $(shell pkg-config --libs $(APP_TOOL_PKGS) 2>/dev/null) -lpthread -lm

# --- dependencies -----------------------------------------------------------
DEB_PKGS := build-essential pkg-config libncursesw5-dev libcurl4-openssl-dev libcjson-dev \
            libmicrohttpd-dev libcmocka-dev python3 python3-jsonpatch tmux curl valgrind \
            clang libclang-rt-14-dev wrk man-db openssl tzdata vim-tiny nano

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	 $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS)

DEP_TOOLS := tmux curl valgrind openssl man clang

# Run `make deps` by itself when a library or tool is missing, so a new user
# needs only `make demo` and `make check`.
have-deps:
	@pkg-config --exists $(PKGS) $(TEST_PKGS) && \
	 $(foreach c,$(DEP_TOOLS),command -v $(c) >/dev/null && )\
	 /usr/bin/python3 -c 'import jsonpatch' 2>/dev/null || \
	 { echo "ticketed: installing missing build dependencies (make deps)"; $(MAKE) --no-print-directory deps; }

# --- tests ------------------------------------------------------------------
check: have-deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)BUILD=$(BUILD) tests/run

# The man pages too: tests that run `make install` or `make man` in parallel
# then find them built instead of writing them at the same time.
tests: $(TICKETED) $(TICKETD) $(UNIT_BIN) $(UNITS) $(TOOL_BIN) $$(MAN_PAGES)

# Keep the objects of chained rules (tests/unit, tests/tools): deleted as
# intermediates, they made the next `make` compile and link them again.
.SECONDARY:

asan:
	$(Q)TICKETED_SANITIZED=1 $(MAKE) --no-print-directory BUILD=build-asan CC=clang \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    CFLAGS="-O1 -g" check

bench: have-deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)BUILD=$(BUILD) tests/bench/run

fuzz:
	$(Q)tests/fuzz/run

# The property tests with a new random seed each run (SOAK_RUNS=N, default 10).
soak: have-deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)BUILD=$(BUILD) tests/soak

demo: have-deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) tools/demo

# --- install ----------------------------------------------------------------
# make install PREFIX=/usr/local DESTDIR=  — binaries, themes, sample data,
# man pages (KEYS and REPLAY DIRECTIVES generated by `ticketed help-roff`),
# bash completions. `make uninstall` removes exactly those files.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MAN_PAGES   := $(BUILD)/man/ticketed.1 $(BUILD)/man/ticketd.1
THEMES      := $(wildcard themes/*.theme)
TICKETS_DAT := $(wildcard tests/data/service/tickets/*.json)
LISTS_DAT   := $(wildcard tests/data/service/lists/*.json)
MSGS_DAT    := $(wildcard tests/data/service/messages/*.json)

# Objects that compile in DATADIR are rebuilt when it changes, so
# `make && make install PREFIX=/usr` installs binaries that look in /usr.
DATADIR_OBJ := $(call obj,$(shell grep -l TICKETED_DATADIR $(UI_SRC) $(APP_SRC) $(SERVER_SRC) 2>/dev/null))
$(DATADIR_OBJ) $(MAN_PAGES): $(BUILD)/datadir.stamp
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
FORCE:
.PHONY: FORCE man

man: $(MAN_PAGES)

# Temp files are named by the shell's pid: two makes building the pages at
# once (tests that install with another PREFIX) never share them.
$(BUILD)/man/%.1: man/%.1.in $(TICKETED)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MAN     $@")
	$(Q)t=$@.$$$$; $(TICKETED) help-roff keys > $$t.keys && $(TICKETED) help-roff replay > $$t.replay && \
	 sed -e "/^@KEYS@\$$/{r $$t.keys" -e 'd;}' -e "/^@REPLAY@\$$/{r $$t.replay" -e 'd;}' \
	     -e 's|@VERSION@|$(VERSION)|g' -e 's|@DATADIR@|$(DATADIR)|g' $< > $$t.tmp && \
	 mv $$t.tmp $@; rc=$$?; rm -f $$t.keys $$t.replay $$t.tmp; exit $$rc

install: all $(MAN_PAGES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/service/tickets $(DESTDIR)$(DATADIR)/service/lists \
	    $(DESTDIR)$(DATADIR)/service/messages $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(TICKETED) $(TICKETD) $(DESTDIR)$(BINDIR)/
	install -m 644 $(THEMES) $(DESTDIR)$(DATADIR)/themes/
	install -m 644 $(TICKETS_DAT) $(DESTDIR)$(DATADIR)/service/tickets/
	install -m 644 $(LISTS_DAT) $(DESTDIR)$(DATADIR)/service/lists/
	install -m 644 $(MSGS_DAT) $(DESTDIR)$(DATADIR)/service/messages/
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completion/ticketed.bash $(DESTDIR)$(BASHCOMPDIR)/ticketed
	install -m 644 completion/ticketd.bash $(DESTDIR)$(BASHCOMPDIR)/ticketd

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ticketed $(DESTDIR)$(BINDIR)/ticketd
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/themes/,$(notdir $(THEMES)))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/service/tickets/,$(notdir $(TICKETS_DAT)))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/service/lists/,$(notdir $(LISTS_DAT)))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/service/messages/,$(notdir $(MSGS_DAT)))
	rm -f $(DESTDIR)$(MANDIR)/man1/ticketed.1 $(DESTDIR)$(MANDIR)/man1/ticketd.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ticketed $(DESTDIR)$(BASHCOMPDIR)/ticketd
	-rmdir $(DESTDIR)$(DATADIR)/service/tickets $(DESTDIR)$(DATADIR)/service/lists \
	    $(DESTDIR)$(DATADIR)/service/messages \
	    $(DESTDIR)$(DATADIR)/service $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
