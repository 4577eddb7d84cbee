/* os.h - what the OS subsystem offers the rest of the VM. */
#ifndef ERBIUM_OS_H
#define ERBIUM_OS_H

#include "runtime/bif/bif.h"

/* erlang:system_info(os_type | os_version), or THE_NON_VALUE for any other item. */
Term os_system_info(Process *p, Term item);

#endif
