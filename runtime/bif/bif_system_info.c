/*
 * bif_system_info.c - erlang:system_info/1 for the items something needs
 * (os_type and os_version: os:type/0, os:version/0, which filename calls on
 * almost every operation). Other items are badarg until then.
 */
#include "runtime/bif/bif.h"

#include "runtime/os/os.h"

Term bif_system_info_1(Process *p, const Term *args)
{
    Term r = os_system_info(p, args[0]);
    return is_value(r) ? r : bif_error(p, AM_badarg);
}
