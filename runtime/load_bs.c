/* load_bs.c - translating binary-syntax instructions (see load_internal.h). */
#include "runtime/load_internal.h"

bool load_bs_translate(Loader *L)
{
    switch (L->op->op) {
    default: return false;
    }
}
