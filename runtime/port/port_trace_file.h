/*
 * port_trace_file.h - the trace_file_drv port driver: dbg:trace_port(file,
 * ...) opens it as open_port({spawn, "trace_file_drv [w Size Cnt Time Tail ]
 * n FileName"}, [eof]) and names the port as tracer; dbg:trace_client(file,
 * ...) (and so fprof) reads the file back.
 *
 * The file is a sequence of frames <<0, Size:32/big, Bytes:Size/binary>>,
 * Bytes being a trace message in the external term format (or whatever was
 * sent with port_command). With "w", the output wraps over Cnt + 1 files
 * named FileName with a counter inserted at byte Tail ("0", "1", ...),
 * switching when a file reaches Size bytes, or with Time > 0 every Time
 * milliseconds (a thread per such file, as OTP's driver timer). Once Cnt
 * files were switched from, each switch removes the oldest. port_control(Port,
 * $f, "") flushes the buffer and answers [0].
 *
 * Trace messages reach the driver without the port's lock (an event may be
 * reported while some port's lock is held, even this port's: its exit
 * signal arriving at a traced owner): every open trace file is kept in a
 * list under one mutex of its own, and a message is appended there.
 */
#ifndef ERBIUM_PORT_TRACE_FILE_H
#define ERBIUM_PORT_TRACE_FILE_H

#include "runtime/port/port.h"

/* The driver when `command` (open_port's {spawn, Command}) names it, else NULL. */
const PortDriver *port_trace_driver(const char *command);

/* Appends one frame holding bytes to the trace file of port `port`. False when
   the port is no trace_file_drv port (or is closed). */
bool port_trace_write(Term port, const uint8_t *bytes, size_t n);
/* Is `port` an open trace_file_drv port? */
bool port_trace_open(Term port);

#endif
