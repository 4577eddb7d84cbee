/*
 * arith_fmt.h - floats as text and back, exactly as OTP 25 writes and
 * reads them (float_to_list/1,2, list_to_float/1, and ~p / ~w printing,
 * which use the shortest form).
 *
 * The formatters write NUL-terminated text into buf and return its length,
 * or -1 when the text does not fit in `size` bytes (OTP formats into a
 * 256-byte buffer, ARITH_FMT_BUF, and float_to_list raises badarg then).
 */
#ifndef ERBIUM_ARITH_FMT_H
#define ERBIUM_ARITH_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARITH_FMT_BUF 256
/* Enough for any shortest form: sign, 17 digits, point, zeros, exponent. */
#define ARITH_FMT_SHORT_BUF 32

/*
 * The shortest text that reads back as d (float_to_list(D, [short]) and
 * io_lib's ~p/~w): "0.1", "100.0", "1.0e3", "1.0e-5", "-0.0",
 * "1.2345678901234568e17". buf holds ARITH_FMT_SHORT_BUF bytes.
 */
int arith_fmt_short(double d, char *buf);

/*
 * Fixed notation with `decimals` digits after the point, [{decimals, N}]:
 * "1.50", "-0.00". With `compact`, trailing zeros after the point go
 * (keeping one). -1 also when decimals < 0.
 */
int arith_fmt_fixed(double d, int decimals, bool compact, char *buf, size_t size);

/*
 * Scientific notation with `decimals` digits after the point, as C's
 * "%.*e" (so a negative count means 6): "1.500e+00". float_to_list/1 is
 * decimals = 20.
 */
int arith_fmt_scientific(double d, int decimals, char *buf, size_t size);

/* Bytes enough for any small integer in any base: sign and 64 binary digits. */
#define ARITH_FMT_INT_BUF 66

/*
 * Writes small integer v in base (2..36, digits above 9 in upper case, as
 * integer_to_list/2) so that it ends just before `end`, and returns where
 * it starts. The buffer must hold ARITH_FMT_INT_BUF bytes before end.
 */
char *arith_fmt_small(intptr_t v, unsigned base, char *end);

/*
 * Reads text as list_to_float/1 does: [+|-] digits (.|,) digits
 * [(e|E) [+|-] digits], nothing else. False on any other text and on
 * overflow; underflow gives 0.0 or a subnormal. The text may be modified.
 */
bool arith_parse_float(char *text, double *out);

#endif
