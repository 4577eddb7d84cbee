/*
 * io_out.h - the VM's standard output and standard error.
 *
 * Standard output is buffered in memory and written when the buffer grows
 * large, when io_out_flush() is called (at halt), or before anything goes
 * to standard error, so that the two streams keep their relative order.
 * Every function is thread-safe. Bytes are written as given.
 */
#ifndef ERBIUM_IO_OUT_H
#define ERBIUM_IO_OUT_H

#include <stddef.h>
#include <stdint.h>

/* Appends n bytes to standard output. */
void io_out_write(const char *s, size_t n);

/* Writes out everything buffered for standard output. */
void io_out_flush(void);
/* Bytes written to standard output and error so far (statistics(io)). */
uint64_t io_out_bytes(void);

/* Flushes standard output, then writes n bytes to standard error unbuffered. */
void io_out_write_err(const char *s, size_t n);

#endif
