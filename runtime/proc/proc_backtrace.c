/*
 * proc_backtrace.c - process_info(Pid, backtrace): the stack as text, in
 * the layout of OTP's dump: the program counter, the current frame's y
 * registers, then for each return address on the stack the function it
 * returns into and that frame's y registers. Addresses are erbium's own.
 */
#include "runtime/proc/proc_info.h"

#include "runtime/interp/interp.h"
#include "runtime/loader/module.h"
#include "runtime/term/binary.h"
#include "runtime/term/strbuf.h"
#include "runtime/term/term_print.h"

/* "(m:f/a + byte offset)" for a code address, or `other` when it is in no module. */
static void code_name(StrBuf *sb, const BeamInstr *pc, const char *other)
{
    Module *m;
    const FuncRange *f = pc ? module_func_at(pc, &m) : NULL;
    if (!f) {
        sb_printf(sb, "(%s)", other);
        return;
    }
    sb_putc(sb, '(');
    term_write(sb, m->name);
    sb_putc(sb, ':');
    term_write(sb, f->function);
    sb_printf(sb, "/%u + %zu)", f->arity, (size_t)(pc - f->start) * sizeof(BeamInstr));
}

Term proc_backtrace(Process *p, const Process *q)
{
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "Program counter: %p ", (const void *)q->i);
    if (q != p && interp_is_hibernating(q->i)) sb_puts(&sb, "(erlang:hibernate/3)");
    else code_name(&sb, q->i, "unknown function");
    sb_putc(&sb, '\n');
    const Term *top = q == p ? p->stop : q->stop;
    int y = 0;
    for (const Term *s = top; s < q->hend; s++) {
        if (is_header(*s)) { /* a return address */
            sb_printf(&sb, "\n%p Return addr %p ", (const void *)s, (const void *)*s);
            code_name(&sb, (const BeamInstr *)*s, s + 1 == q->hend ? "<terminate process normally>" : "unknown function");
            sb_putc(&sb, '\n');
            y = 0;
        } else if (is_catch(*s)) {
            sb_printf(&sb, "y(%d)     Catch %u\n", y++, catch_val(*s));
        } else {
            sb_printf(&sb, "y(%d)     ", y++);
            term_write(&sb, *s);
            sb_putc(&sb, '\n');
        }
    }
    Term bin = binary_from_bytes(p, (const uint8_t *)sb.data, sb.len);
    sb_free(&sb);
    return bin;
}
