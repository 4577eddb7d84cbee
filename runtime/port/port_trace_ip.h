/*
 * port_trace_ip.h - the trace_ip_drv port driver: dbg:trace_port(ip,
 * {PortNo, QueSize}) opens it as open_port({spawn, "trace_ip_drv PortNo
 * QueSize Flags"}, [eof]) and names the port as tracer; dbg:trace_client(ip,
 * ...) connects to it with gen_tcp and reads the trace messages back.
 *
 * The port listens on TCP port PortNo (0: one the system picks;
 * port_control(Port, $p, []) answers <<0, ListenPort:16>>) and serves one
 * client at a time (another connection is accepted and closed). Each
 * message goes to the client as <<0, Size:32/big, Bytes:Size/binary>>.
 * What cannot be written at once waits in a queue of QueSize messages;
 * what does not fit becomes one <<1, N:32/big>> frame, {drop, N} to the
 * client. Flags 2 (dbg's) queues messages while no client is connected and
 * keeps the queue when a client leaves; without it they are dropped.
 */
#ifndef ERBIUM_PORT_TRACE_IP_H
#define ERBIUM_PORT_TRACE_IP_H

#include "runtime/port/port.h"

/* The driver when `command` (open_port's {spawn, Command}) names it, else NULL. */
const PortDriver *port_trace_ip_driver(const char *command);

#endif
