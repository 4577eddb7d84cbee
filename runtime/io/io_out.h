/*
 * io_out.h - the VM's standard output and standard error.
 *
 * Every write goes straight to its descriptor (one write(2) per call,
 * retried after signals and short writes), under one lock so that the two
 * streams keep their relative order and concurrent writers do not
 * interleave. Nothing is held back: a reader of a pipe sees each line as
 * soon as it is printed, and a VM killed afterwards has lost nothing.
 * Bytes are written as given.
 */
#ifndef ERBIUM_IO_OUT_H
#define ERBIUM_IO_OUT_H

#include <stddef.h>
#include <stdint.h>

/* Writes n bytes to standard output: 0, or the errno of a failed write (EPIPE when
   the reader has gone). */
int io_out_write(const char *s, size_t n);

/* Writes n bytes to standard error; as io_out_write. */
int io_out_write_err(const char *s, size_t n);

/* Bytes written to standard output and error so far (statistics(io)). */
uint64_t io_out_bytes(void);

#endif
