/*
 * inet.h - OTP's inet drivers, tcp_inet and udp_inet, as erbium port kinds.
 *
 * OTP 25's gen_tcp, gen_udp and inet run over prim_inet (erts's preloaded
 * module), which opens a port with open_port({spawn_driver, "tcp_inet" |
 * "udp_inet"}, [binary]) and drives it with port_control/3 (INET_REQ_*
 * operations, replies [1 | Data] ok, [0 | ErrorName] error), port_command/2
 * for sending (answered {inet_reply, S, Status}) and asynchronous results
 * {inet_async, S, Ref, Result}. Sockets are non-blocking and polled by the
 * port poller like every other port descriptor: no scheduler blocks on one.
 */
#ifndef ERBIUM_INET_H
#define ERBIUM_INET_H

#include "runtime/port/port.h"

/* The driver named name ("tcp_inet", "udp_inet"), or NULL. */
const PortDriver *inet_driver(const char *name);

#endif
