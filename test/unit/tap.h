/*
 * test/unit/tap.h
 *		The minimal TAP harness of the C unit tests (the test/unit programs, built by
 *		`make core-check`): "ok N - desc" / "not ok N - desc" lines, then
 *		tap_finish() prints the plan "1..N" and one summary line
 *		"SUITE: N passed, M failed" and gives the exit status.
 */
#ifndef TICKET_TEST_TAP_H
#define TICKET_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int	n_tests = 0;
static int	n_failed = 0;

static inline void
ok(int cond, const char *fmt,...)
{
	va_list		ap;

	n_tests++;
	if (!cond)
		n_failed++;
	printf("%sok %d - ", cond ? "" : "not ", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline void
diag(const char *fmt,...)
{
	va_list		ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Printable form of a test input for a TAP line: C escapes for the rest. */
static inline const char *
esc(const char *s, size_t len)
{
	static char buf[4][200];
	static int	which = 0;
	char	   *b = buf[which = (which + 1) % 4];
	size_t		o = 0;

	for (size_t i = 0; i < len && o < sizeof(buf[0]) - 8; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			b[o++] = (char) c;
		else
			o += (size_t) snprintf(b + o, 8, "\\x%02x", c);
	}
	if (len > 40)
		o = (size_t) snprintf(b, sizeof(buf[0]), "%zu bytes starting %.20s", len, s);
	b[o] = '\0';
	return b;
}

/* Plan and summary; the exit status of the test program. */
static inline int
tap_finish(const char *suite)
{
	printf("1..%d\n", n_tests);
	printf("%s: %d passed, %d failed\n", suite, n_tests - n_failed, n_failed);
	return n_failed == 0 ? 0 : 1;
}

#endif							/* TICKET_TEST_TAP_H */
