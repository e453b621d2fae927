# ticket: PGXS build.  `make`, `make install`, `make installcheck` (pg_regress)
# as usual; the other test layers and the benchmarks have their own targets
# below.  The README's test command (test/run) drives all of them.

EXTENSION   = ticket
MODULE_big  = ticket
PGFILEDESC  = "ticket - Italian healthcare co-payment rules"

OBJS = \
	extension/src/ticket.o \
	extension/src/core/ascii.o \
	extension/src/core/fiscal_code_core.o \
	extension/src/fiscal_code_type.o \
	extension/src/fiscal_code_funcs.o \
	extension/src/name_transliteration.o \
	extension/src/core/short_code.o \
	extension/src/core/nre_core.o \
	extension/src/core/exemption_core.o \
	extension/src/income_band_type.o \
	extension/src/exemption_type.o \
	extension/src/core/pricing_core.o \
	extension/src/rules_cache.o \
	extension/src/pricing.o \
	extension/src/outbox.o \
	extension/src/prescription_rules.o \
	extension/src/row_lookup.o \
	extension/src/trigger_contract.o \
	extension/src/registry_status.o \
	extension/src/citizen_lock.o \
	extension/src/prescription_insert.o \
	extension/src/booking_insert.o \
	extension/src/messages.o \
	extension/src/access.o \
	extension/src/catalog_names.o \
	extension/src/transition_pairs.o \
	extension/src/audit_update.o

# The version CREATE EXTENSION installs: ticket.control's default_version,
# written nowhere else (the C module and the message catalogue take it
# from here).
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" ticket.control)

# The install script of the current version is built from the per-object
# sources of extension/sql (one file per object; the order is its
# MANIFEST), so CREATE EXTENSION ticket runs one script, not the chain of
# upgrades.  extension/scripts holds what was released: the first full
# script (0.1) and every upgrade script, which test/upgrade runs and
# compares with the built script.
DATA_built = ticket--$(EXTVERSION).sql
SQL_SOURCES = $(shell find $(srcdir)/extension/sql -name '*.sql') $(srcdir)/extension/sql/MANIFEST

DATA    = $(wildcard extension/scripts/ticket--*.sql) \
          extension/scripts/ticket_load_birthplaces.psql
DOCS    = extension/doc/ticket.md extension/doc/trigger-chain.svg
HEADERS = extension/include/ticket.h

PG_CPPFLAGS = -DTICKET_EXTVERSION='"$(EXTVERSION)"' \
              -I$(srcdir)/extension/include -I$(srcdir)/extension/src \
              -I$(srcdir)/extension/src/core
SHLIB_LINK += $(ICU_LIBS)

# pg_regress suites, in order (sql/NAME.sql against expected/NAME.out).
REGRESS = install fiscal_code_io fiscal_code_functions birthplace opclass binary_io catalog \
          income_band exemption pricing i18n long_input audit_pairing
REGRESS_OPTS = --encoding=UTF8

# Isolation specs, run by installcheck after pg_regress
# (test/isolation/specs/NAME.spec against test/isolation/expected/NAME.out).
ISOLATION = rules_cache rules_cache_stale network_declaration_booking network_declaration_payment network_declaration_declaration network_exemption_prescription
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=btree_gist --load-extension=ticket

# Build and test products make clean removes (read by pgxs.mk, so set before it).
EXTRA_CLEAN = test/unit/core_tests test/unit/short_code_tests test/unit/pricing_tests test/unit/nre_tests \
              test/fuzz/fuzz_fiscal_code test/fuzz/fuzz_short_code test/fuzz/fuzz_pricing test/fuzz/fuzz_nre \
              test/fuzz/work test/fuzz/work_short_code test/fuzz/work_pricing test/fuzz/work_nre \
              results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

ticket--$(EXTVERSION).sql: $(srcdir)/extension/sql/assemble $(SQL_SOURCES)
	bash $(srcdir)/extension/sql/assemble $(EXTVERSION) >$@.tmp && mv $@.tmp $@

ifneq ($(with_icu),yes)
$(error ticket needs a PostgreSQL built with ICU (with_icu=yes in pg_config))
endif

# ---- messages in other languages (NLS, gettext) ---------------------------
# The C code's ereport() messages (errmsg, errdetail, errhint) are looked up
# in the catalogue PG_TEXTDOMAIN("ticket") = ticket-$(MAJORVERSION), defined
# in ticket_compat.h and bound in _PG_init.  extension/po/ticket.pot is the
# template, extension/po/LANG.po a translation (NLS_LANGUAGES).  `make`
# builds extension/po/LANG.mo with msgfmt; `make install` copies it to
# $(localedir)/LANG/LC_MESSAGES/ticket-$(MAJORVERSION).mo, localedir being
# pg_config --localedir, where the server looks.  Skipped when the server is
# built without NLS (enable_nls in pg_config's Makefile.global).  msgfmt,
# xgettext and msgmerge come with Debian's gettext package.
#
# `make update-po` (after changing a message in the C code) re-extracts the
# template with xgettext, with the keywords of the server's own catalogues
# (BACKEND_COMMON_GETTEXT_TRIGGERS and _FLAGS in PostgreSQL's
# src/nls-global.mk; elog() is errmsg_internal, never translated), and
# merges it into every LANG.po with msgmerge: translate the new and the
# fuzzy entries, then check with msgfmt --check.  extension/src/core/ holds
# no messages (it returns error codes), so only extension/src/*.c is read.
# Beyond the server's keywords: gettext_noop() marks a message built at
# run time (a reason, a month name, a type's message) that _() or errmsg()
# translates where it is used, and SQL_TEMPLATE() the catalogue of the
# SQL functions' messages in messages.c (ticket.raise_error), whose % is
# PL/pgSQL's placeholder, hence no-c-format.  The test of the catalogues
# is sql/i18n.sql (test/i18n/check-messages.pl).
NLS_LANGUAGES = it
NLS_DOMAIN    = ticket-$(MAJORVERSION)
NLS_DIR       = extension/po
NLS_MO        = $(NLS_LANGUAGES:%=$(NLS_DIR)/%.mo)
NLS_SOURCES   = $(sort $(wildcard extension/src/*.c))
NLS_TRIGGERS  = _ errmsg errmsg_plural:1,2 errdetail errdetail_log errdetail_plural:1,2 \
                errhint errhint_plural:1,2 errcontext gettext_noop SQL_TEMPLATE
NLS_FLAGS     = _:1:pass-c-format errmsg:1:c-format errmsg_plural:1:c-format \
                errmsg_plural:2:c-format errdetail:1:c-format errdetail_log:1:c-format \
                errdetail_plural:1:c-format errdetail_plural:2:c-format errhint:1:c-format \
                errhint_plural:1:c-format errhint_plural:2:c-format errcontext:1:c-format \
                SQL_TEMPLATE:1:no-c-format
NLS_VERSION   = $(EXTVERSION)
# Makefile.global names the tools PostgreSQL was built with; plain names
# otherwise (a server without NLS can still regenerate the template).
NLS_MSGFMT    = $(or $(MSGFMT),msgfmt)
NLS_XGETTEXT  = $(or $(XGETTEXT),xgettext)
NLS_MSGMERGE  = $(or $(MSGMERGE),msgmerge)

# TEXTDOMAIN and _() (ticket_compat.h) are compiled into every ereport()
# call, ticket_text (extension/src/messages.h) into every reason, and PGXS tracks
# no header dependencies: without this line an object built before a
# change of the headers keeps the old domain, silently untranslated.
NLS_GLUE_OBJS = $(filter-out extension/src/core/%,$(OBJS))
$(NLS_GLUE_OBJS) $(NLS_GLUE_OBJS:.o=.bc): extension/include/ticket_compat.h $(wildcard extension/src/*.h)

$(NLS_DIR)/%.mo: $(NLS_DIR)/%.po
	$(NLS_MSGFMT) --check -o $@ $<

ifeq ($(enable_nls),yes)
all: $(NLS_MO)
install: install-po
uninstall: uninstall-po
endif
clean: clean-po

install-po: $(NLS_MO)
	for lang in $(NLS_LANGUAGES); do \
	  $(MKDIR_P) '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES && \
	  $(INSTALL_DATA) $(NLS_DIR)/$$lang.mo '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/$(NLS_DOMAIN).mo || exit 1; \
	done

uninstall-po:
	rm -f $(foreach lang,$(NLS_LANGUAGES),'$(DESTDIR)$(localedir)'/$(lang)/LC_MESSAGES/$(NLS_DOMAIN).mo)

clean-po:
	rm -f $(NLS_MO)

update-po:
	$(NLS_XGETTEXT) --language=C --from-code=UTF-8 -ctranslator --no-wrap --sort-by-file -n \
	  --package-name=ticket --package-version='$(NLS_VERSION)' --copyright-holder='the ticket developers' \
	  $(addprefix -k,$(NLS_TRIGGERS)) $(addprefix --flag=,$(NLS_FLAGS)) \
	  -o $(NLS_DIR)/ticket.pot.new $(NLS_SOURCES)
	sed -e '1,5 { s|^# SOME DESCRIPTIVE TITLE\.|# Messages of the ticket PostgreSQL extension (C code and SQL function templates): the template of LANG.po.|;' \
	    -e 's|^# FIRST AUTHOR.*|# Generated by make update-po from extension/src/*.c (Makefile, NLS section): do not edit.|;' \
	    -e "s|THE ticket'S COPYRIGHT HOLDER|the ticket developers|; s/PACKAGE/ticket/g; s/YEAR/"`date +%Y`"/g; }" \
	  $(NLS_DIR)/ticket.pot.new >$(NLS_DIR)/ticket.pot
	rm -f $(NLS_DIR)/ticket.pot.new
	for lang in $(NLS_LANGUAGES); do \
	  $(NLS_MSGMERGE) --quiet --no-wrap --previous --sort-by-file --update --backup=none \
	    --lang=$$lang $(NLS_DIR)/$$lang.po $(NLS_DIR)/ticket.pot || exit 1; \
	done

.PHONY: install-po uninstall-po clean-po update-po

# ---- tests beyond pg_regress (each expects PGHOST/PGPORT/PGUSER) ----------

PG_PROVE ?= pg_prove
TEST_DB  ?= ticket_test

# pgTAP suites against an existing database with ticket and pgtap installed.
prove-installcheck:
	$(PG_PROVE) --dbname $(TEST_DB) --ext .sql --recurse test/pgtap

# The pure-C core on its own (no server): unit tests and a short fuzz run.
CORE_SRC = extension/src/core/fiscal_code_core.c extension/src/core/ascii.c
SHORT_CODE_SRC = extension/src/core/short_code.c extension/src/core/exemption_core.c extension/src/core/ascii.c
PRICING_SRC = extension/src/core/pricing_core.c extension/src/core/short_code.c extension/src/core/ascii.c
NRE_SRC = extension/src/core/nre_core.c extension/src/core/ascii.c
core-check:
	$(CC) -std=c99 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
		-Iextension/src/core -o test/unit/core_tests test/unit/core_tests.c $(CORE_SRC)
	./test/unit/core_tests
	$(CC) -std=c99 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
		-Iextension/src/core -o test/unit/short_code_tests test/unit/short_code_tests.c $(SHORT_CODE_SRC)
	./test/unit/short_code_tests
	$(CC) -std=c99 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
		-Iextension/src/core -o test/unit/pricing_tests test/unit/pricing_tests.c $(PRICING_SRC)
	./test/unit/pricing_tests
	$(CC) -std=c99 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
		-Iextension/src/core -o test/unit/nre_tests test/unit/nre_tests.c $(NRE_SRC)
	./test/unit/nre_tests

# Four libFuzzer targets, each run for FUZZ_SECONDS (test/fuzz/README.md),
# FUZZ_JOBS at a time (one per core: at the default the step takes about
# 45 s on a 2-core machine); each target's output is printed as one block.
FUZZ_SECONDS ?= 20
FUZZ_JOBS ?= 2
FUZZ_TARGETS = fiscal_code short_code pricing nre
FUZZ_CC = clang -g -O1 -fsanitize=fuzzer,address,undefined -Iextension/src/core
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1
CORE_HEADERS = $(wildcard extension/src/core/*.h)
fuzz-check:
	$(MAKE) --no-print-directory -j$(FUZZ_JOBS) -Otarget $(addprefix fuzz-run-,$(FUZZ_TARGETS))

test/fuzz/fuzz_fiscal_code: test/fuzz/fuzz_fiscal_code.c $(CORE_SRC) $(CORE_HEADERS)
	$(FUZZ_CC) -o $@ $< $(CORE_SRC)
test/fuzz/fuzz_short_code: test/fuzz/fuzz_short_code.c $(SHORT_CODE_SRC) $(CORE_HEADERS)
	$(FUZZ_CC) -o $@ $< $(SHORT_CODE_SRC)
test/fuzz/fuzz_pricing: test/fuzz/fuzz_pricing.c $(PRICING_SRC) $(CORE_HEADERS)
	$(FUZZ_CC) -o $@ $< $(PRICING_SRC)
test/fuzz/fuzz_nre: test/fuzz/fuzz_nre.c $(NRE_SRC) $(CORE_HEADERS)
	$(FUZZ_CC) -o $@ $< $(NRE_SRC)

fuzz-run-fiscal_code: test/fuzz/fuzz_fiscal_code
	mkdir -p test/fuzz/work
	./$< $(FUZZ_RUN) -max_len=96 test/fuzz/work test/fuzz/corpus
fuzz-run-short_code: test/fuzz/fuzz_short_code
	mkdir -p test/fuzz/work_short_code
	./$< $(FUZZ_RUN) -max_len=64 test/fuzz/work_short_code test/fuzz/corpus_short_code
fuzz-run-pricing: test/fuzz/fuzz_pricing
	mkdir -p test/fuzz/work_pricing
	./$< $(FUZZ_RUN) -max_len=1024 test/fuzz/work_pricing test/fuzz/corpus_pricing
fuzz-run-nre: test/fuzz/fuzz_nre
	mkdir -p test/fuzz/work_nre
	./$< $(FUZZ_RUN) -max_len=64 test/fuzz/work_nre test/fuzz/corpus_nre

.PHONY: prove-installcheck core-check fuzz-check $(addprefix fuzz-run-,$(FUZZ_TARGETS))

# ---- TAP tests (PostgreSQL::Test::Cluster) --------------------------------
# test/tap/t/*.pl against the installed extension, with PostgreSQL's own TAP
# machinery (PGXS: enable_tap_tests, prove, src/test/perl, pg_regress for
# the node's authentication setup; Debian's postgresql-server-dev ships
# them, IPC::Run is libipc-run-perl).  Each test makes its own nodes, so no
# PGHOST/PGPORT is needed.  The tests and their fixtures are copied to a
# fresh directory the test user can write (tmp_check: logs, data
# directories): as root, prove runs as the postgres user, since the server
# refuses to run as root.  The directory is removed when every test passes,
# kept (and named) for its logs otherwise.  PROVE_TESTS picks tests,
# PROVE_FLAGS adds prove options (e.g. --verbose).
TAP_TESTS_DIR = test/tap
TICKET_TAP    = $(or $(PROVE_TESTS),$(TAP_TESTS_DIR)/t/*.pl)
TAP_ENV       = PATH="$(bindir):$$PATH" PG_REGRESS='$(top_builddir)/src/test/regress/pg_regress'
tap-check:
ifneq ($(enable_tap_tests),yes)
	$(error tap-check needs a PostgreSQL configured with --enable-tap-tests (enable_tap_tests in $(PGXS)))
endif
	@set -e; tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/ticket-tap.XXXXXX"); chmod 755 "$$tmp"; \
	mkdir -p "$$tmp/test"; cp -R $(TAP_TESTS_DIR) test/fixtures "$$tmp/test/"; \
	if [ "$$(id -u)" -eq 0 ]; then chown -R postgres: "$$tmp"; run="runuser -u postgres --"; else run=; fi; \
	echo "+++ tap check in $$tmp +++"; \
	if (cd "$$tmp" && $$run env TESTDIR="$$tmp" $(TAP_ENV) \
	      $(PROVE) $(PG_PROVE_FLAGS) -I $(TAP_TESTS_DIR) $(PROVE_FLAGS) $(TICKET_TAP)); then \
	  rm -rf "$$tmp"; \
	else \
	  echo "tap-check failed: logs in $$tmp/tmp_check/log" >&2; exit 1; \
	fi

.PHONY: tap-check
