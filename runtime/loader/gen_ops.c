/*
 * gen_ops.c - names, arities and operand signatures of the generic opcodes
 * 1..180 (OTP 25 genop.tab; see gen_ops.h for the signature letters).
 *
 * Every opcode has its name so that an obsolete one is reported by name.
 * Only the 122 that erlc 25 emits (BEAM_FORMAT.md 3.2) have a signature;
 * the loader rejects the others.
 */
#include "runtime/loader/beam_file.h"
#include "runtime/loader/gen_ops.h"

#define GEN_OP_MAX 180

typedef struct GenOpInfo {
    const char *name;
    int arity;
    const char *signature; /* NULL: obsolete */
} GenOpInfo;

static const GenOpInfo gen_ops[GEN_OP_MAX + 1] = {
    [1] = {"label", 1, "l"},
    [2] = {"func_info", 3, "aau"},
    [3] = {"int_code_end", 0, ""},
    [4] = {"call", 2, "uL"},
    [5] = {"call_last", 3, "uLu"},
    [6] = {"call_only", 2, "uL"},
    [7] = {"call_ext", 2, "uI"},
    [8] = {"call_ext_last", 3, "uIu"},
    [9] = {"bif0", 2, "Id"},
    [10] = {"bif1", 4, "fIsd"},
    [11] = {"bif2", 5, "fIssd"},
    [12] = {"allocate", 2, "uu"},
    [13] = {"allocate_heap", 3, "uhu"},
    [14] = {"allocate_zero", 2, NULL},
    [15] = {"allocate_heap_zero", 3, NULL},
    [16] = {"test_heap", 2, "hu"},
    [17] = {"init", 1, NULL},
    [18] = {"deallocate", 1, "u"},
    [19] = {"return", 0, ""},
    [20] = {"send", 0, ""},
    [21] = {"remove_message", 0, ""},
    [22] = {"timeout", 0, ""},
    [23] = {"loop_rec", 2, "fd"},
    [24] = {"loop_rec_end", 1, "L"},
    [25] = {"wait", 1, "L"},
    [26] = {"wait_timeout", 2, "Ls"},
    [27] = {"m_plus", 4, NULL},
    [28] = {"m_minus", 4, NULL},
    [29] = {"m_times", 4, NULL},
    [30] = {"m_div", 4, NULL},
    [31] = {"int_div", 4, NULL},
    [32] = {"int_rem", 4, NULL},
    [33] = {"int_band", 4, NULL},
    [34] = {"int_bor", 4, NULL},
    [35] = {"int_bxor", 4, NULL},
    [36] = {"int_bsl", 4, NULL},
    [37] = {"int_bsr", 4, NULL},
    [38] = {"int_bnot", 3, NULL},
    [39] = {"is_lt", 3, "fss"},
    [40] = {"is_ge", 3, "fss"},
    [41] = {"is_eq", 3, "fss"},
    [42] = {"is_ne", 3, "fss"},
    [43] = {"is_eq_exact", 3, "fss"},
    [44] = {"is_ne_exact", 3, "fss"},
    [45] = {"is_integer", 2, "fs"},
    [46] = {"is_float", 2, "fs"},
    [47] = {"is_number", 2, "fs"},
    [48] = {"is_atom", 2, "fs"},
    [49] = {"is_pid", 2, "fs"},
    [50] = {"is_reference", 2, "fs"},
    [51] = {"is_port", 2, "fs"},
    [52] = {"is_nil", 2, "fs"},
    [53] = {"is_binary", 2, "fs"},
    [54] = {"is_constant", 2, NULL},
    [55] = {"is_list", 2, "fs"},
    [56] = {"is_nonempty_list", 2, "fs"},
    [57] = {"is_tuple", 2, "fs"},
    [58] = {"test_arity", 3, "fsu"},
    [59] = {"select_val", 3, "sf*"},
    [60] = {"select_tuple_arity", 3, "sf*"},
    [61] = {"jump", 1, "L"},
    [62] = {"catch", 2, "yL"},
    [63] = {"catch_end", 1, "y"},
    [64] = {"move", 2, "sd"},
    [65] = {"get_list", 3, "sdd"},
    [66] = {"get_tuple_element", 3, "sud"},
    [67] = {"set_tuple_element", 3, "sdu"},
    [68] = {"put_string", 3, NULL},
    [69] = {"put_list", 3, "ssd"},
    [70] = {"put_tuple", 2, NULL},
    [71] = {"put", 1, NULL},
    [72] = {"badmatch", 1, "s"},
    [73] = {"if_end", 0, ""},
    [74] = {"case_end", 1, "s"},
    [75] = {"call_fun", 1, "u"},
    [76] = {"make_fun", 3, NULL},
    [77] = {"is_function", 2, "fs"},
    [78] = {"call_ext_only", 2, "uI"},
    [79] = {"bs_start_match", 2, NULL},
    [80] = {"bs_get_integer", 5, NULL},
    [81] = {"bs_get_float", 5, NULL},
    [82] = {"bs_get_binary", 5, NULL},
    [83] = {"bs_skip_bits", 4, NULL},
    [84] = {"bs_test_tail", 2, NULL},
    [85] = {"bs_save", 1, NULL},
    [86] = {"bs_restore", 1, NULL},
    [87] = {"bs_init", 2, NULL},
    [88] = {"bs_final", 2, NULL},
    [89] = {"bs_put_integer", 5, NULL},
    [90] = {"bs_put_binary", 5, NULL},
    [91] = {"bs_put_float", 5, NULL},
    [92] = {"bs_put_string", 2, NULL},
    [93] = {"bs_need_buf", 1, NULL},
    [94] = {"fclearerror", 0, NULL},
    [95] = {"fcheckerror", 1, NULL},
    [96] = {"fmove", 2, "RD"},
    [97] = {"fconv", 2, "sr"},
    [98] = {"fadd", 4, "frrr"},
    [99] = {"fsub", 4, "frrr"},
    [100] = {"fmul", 4, "frrr"},
    [101] = {"fdiv", 4, "frrr"},
    [102] = {"fnegate", 3, "frr"},
    [103] = {"make_fun2", 1, NULL},
    [104] = {"try", 2, "yL"},
    [105] = {"try_end", 1, "y"},
    [106] = {"try_case", 1, "y"},
    [107] = {"try_case_end", 1, "s"},
    [108] = {"raise", 2, "ss"},
    [109] = {"bs_init2", 6, NULL},
    [110] = {"bs_bits_to_bytes", 3, NULL},
    [111] = {"bs_add", 5, NULL},
    [112] = {"apply", 1, "u"},
    [113] = {"apply_last", 2, "uu"},
    [114] = {"is_boolean", 2, "fs"},
    [115] = {"is_function2", 3, "fss"},
    [116] = {"bs_start_match2", 5, NULL},
    [117] = {"bs_get_integer2", 7, "fsusuud"},
    [118] = {"bs_get_float2", 7, "fsusuud"},
    [119] = {"bs_get_binary2", 7, "fsusuud"},
    [120] = {"bs_skip_bits2", 5, "fssuu"},
    [121] = {"bs_test_tail2", 3, "fsu"},
    [122] = {"bs_save2", 2, NULL},
    [123] = {"bs_restore2", 2, NULL},
    [124] = {"gc_bif1", 5, "fuIsd"},
    [125] = {"gc_bif2", 6, "fuIssd"},
    [126] = {"bs_final2", 2, NULL},
    [127] = {"bs_bits_to_bytes2", 2, NULL},
    [128] = {"put_literal", 2, NULL},
    [129] = {"is_bitstr", 2, "fs"},
    [130] = {"bs_context_to_binary", 1, NULL},
    [131] = {"bs_test_unit", 3, "fsu"},
    [132] = {"bs_match_string", 4, "fsuu"},
    [133] = {"bs_init_writable", 0, ""},
    [134] = {"bs_append", 8, NULL},
    [135] = {"bs_private_append", 6, NULL},
    [136] = {"trim", 2, "uu"},
    [137] = {"bs_init_bits", 6, NULL},
    [138] = {"bs_get_utf8", 5, "fsuud"},
    [139] = {"bs_skip_utf8", 4, "fsuu"},
    [140] = {"bs_get_utf16", 5, "fsuud"},
    [141] = {"bs_skip_utf16", 4, "fsuu"},
    [142] = {"bs_get_utf32", 5, "fsuud"},
    [143] = {"bs_skip_utf32", 4, "fsuu"},
    [144] = {"bs_utf8_size", 3, NULL},
    [145] = {"bs_put_utf8", 3, NULL},
    [146] = {"bs_utf16_size", 3, NULL},
    [147] = {"bs_put_utf16", 3, NULL},
    [148] = {"bs_put_utf32", 3, NULL},
    [149] = {"on_load", 0, ""},
    [150] = {"recv_mark", 1, NULL},
    [151] = {"recv_set", 1, NULL},
    [152] = {"gc_bif3", 7, "fuIsssd"},
    [153] = {"line", 1, "n"},
    [154] = {"put_map_assoc", 5, "fsdu*"},
    [155] = {"put_map_exact", 5, "fsdu*"},
    [156] = {"is_map", 2, "fs"},
    [157] = {"has_map_fields", 3, "fs*"},
    [158] = {"get_map_elements", 3, "fs*"},
    [159] = {"is_tagged_tuple", 4, "fsua"},
    [160] = {"build_stacktrace", 0, ""},
    [161] = {"raw_raise", 0, ""},
    [162] = {"get_hd", 2, "sd"},
    [163] = {"get_tl", 2, "sd"},
    [164] = {"put_tuple2", 2, "d*"},
    [165] = {"bs_get_tail", 3, "sdu"},
    [166] = {"bs_start_match3", 4, "fsud"},
    [167] = {"bs_get_position", 3, "sdu"},
    [168] = {"bs_set_position", 2, "ss"},
    [169] = {"swap", 2, "dd"},
    [170] = {"bs_start_match4", 4, "Busd"},
    [171] = {"make_fun3", 3, "Fd*"},
    [172] = {"init_yregs", 1, "*"},
    [173] = {"recv_marker_bind", 2, "ds"},
    [174] = {"recv_marker_clear", 1, "s"},
    [175] = {"recv_marker_reserve", 1, "d"},
    [176] = {"recv_marker_use", 1, "s"},
    [177] = {"bs_create_bin", 6, "fhuud*"},
    [178] = {"call_fun2", 3, "Tus"},
    [179] = {"nif_start", 0, ""},
    [180] = {"badrecord", 1, "s"},
};

static const GenOpInfo *info(unsigned op)
{
    return op >= 1 && op <= GEN_OP_MAX ? &gen_ops[op] : NULL;
}

const char *gen_op_name(unsigned op)
{
    const GenOpInfo *i = info(op);
    return i ? i->name : NULL;
}

int gen_op_arity(unsigned op)
{
    const GenOpInfo *i = info(op);
    return i ? i->arity : -1;
}

const char *gen_op_signature(unsigned op)
{
    const GenOpInfo *i = info(op);
    return i ? i->signature : NULL;
}
