/*
 * gen_ops.h - the generic opcode table (OTP 25 genop.tab, opcodes 1..180)
 * as the loader's validator sees it. gen_op_name() and gen_op_arity() are
 * declared in beam_file.h.
 *
 * Each opcode that erlc 25 emits has an operand signature, one letter per
 * operand in file order:
 *
 *   u  unsigned number          a  atom (not [])          l  label definition
 *   x  x register               y  y register             d  x or y register
 *   s  source: x/y (typed or not), integer, atom, [], literal
 *   f  label, 0 = none          L  label, not 0           r  float register
 *   R  float register or source D  float register or destination
 *   h  heap need: u or allocation list
 *   I  import index             F  lambda (FunT) index    n  line item index
 *   T  call_fun2 tag: lambda index or the atom safe/unsafe
 *   B  bs_start_match4 fail: label or the atom no_fail/resume
 *   *  extended list (always last)
 *
 * Two more letters occur only in the loader's patterns for list elements:
 *   v  integer, atom or float literal (select_val values)
 *   V  u number or source (bs_create_bin segment values and sizes)
 */
#ifndef ERBIUM_GEN_OPS_H
#define ERBIUM_GEN_OPS_H

/* The signature of an opcode erlc 25 emits, or NULL for an obsolete or unknown one. */
const char *gen_op_signature(unsigned op);

#endif
