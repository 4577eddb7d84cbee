/*
 * term_print.h - terms as text, exactly as OTP 25 writes them.
 *
 * Except for term_display, every function appends characters (Unicode code
 * points) to the buffer, UTF-8 encoded: the characters io_lib would return.
 * What reaches a device is decided later (see bif_io.c).
 *
 *  - term_write: io_lib:write/1, the ~w control. Lists are never strings,
 *    binaries are byte lists (<<97,98>>), maps are #{k => v,...}.
 *  - term_print: io_lib_pretty, the ~p control. Lists of printable Latin-1
 *    characters print as strings, binaries of them as <<"...">>, and terms
 *    that do not fit the line break over several lines with OTP's
 *    indentation.
 *  - term_display: erlang:display/1's text (the emulator's own printer),
 *    as raw bytes: Latin-1 characters of strings as single bytes, atoms as
 *    their UTF-8 text.
 *
 * Atoms are quoted when io_lib quotes them: reserved words ('case'), text
 * not starting with a lowercase Latin-1 letter, or containing characters
 * other than Latin-1 letters, digits, '_' and '@'. Without the unicode flag
 * (~w, ~p) characters beyond Latin-1 in a quoted atom print as \x{HEX}.
 *
 * Floats print as float_to_list(F, [short]): the fewest significant digits
 * that read back as the same float. Scientific notation ("1.0e3") is used
 * when abs(F) >= 2^53 or when it is strictly shorter than plain notation
 * ("100.0", "0.0001", "1.0e-5"). See term_write_float.
 *
 * Pids print as <0.N.0> (N = pid_number), ports as #Port<0.N>, references
 * as #Ref<0.A.B.C> with C and B the low and high halves of id word 0 and A
 * id word 1, local funs as #Fun<Module.Index.OldUniq>, export funs as
 * fun M:F/A.
 *
 * Differences from OTP: ~p writes a term nested more than 1000 levels deep
 * on one line (to bound its C stack).
 */
#ifndef ERBIUM_TERM_PRINT_H
#define ERBIUM_TERM_PRINT_H

#include "runtime/term/strbuf.h"
#include "runtime/term/term.h"

/* io_lib:write(T): the ~w control. */
void term_write(StrBuf *sb, Term t);

/* ~p with the term starting at `column` (1 = line start) of lines of `line_length`. */
void term_print(StrBuf *sb, Term t, int column, int line_length);

/*
 * The general forms. depth < 0 means unlimited; depth N prints N levels and
 * "..." for the rest, as ~W and ~P do. unicode: atoms keep their characters
 * (the t modifier). strings: detect strings in ~p (false for the l modifier).
 */
void term_write_opts(StrBuf *sb, Term t, long depth, bool unicode);

typedef struct TermPrintOpts {
    long depth;
    bool unicode;
    bool strings;
    long column;
    long line_length;  /* 0: never break lines */
} TermPrintOpts;

void term_print_opts(StrBuf *sb, Term t, const TermPrintOpts *o);

/* erlang:display/1's text, without the line end; raw bytes (see above). */
void term_display(StrBuf *sb, Term t);

/* A float as float_to_list(F, [short]) (the rule above). */
void term_write_float(StrBuf *sb, double d);

/* An integer (small or big) in base 2..36, with "-" when negative; digits
   above 9 in upper case unless lowercase is set. */
void term_write_integer(StrBuf *sb, Term i, unsigned base, bool lowercase);

#endif
