/* io_out.c - buffered standard output (see io_out.h). */
#include "runtime/io/io_out.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

/* Flush once this much is pending; large writes bypass the buffer. */
#define IO_OUT_BUFFER_BYTES 65536

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char buffer[IO_OUT_BUFFER_BYTES];
static size_t pending;

/* Writes all n bytes to fd, retrying after signals and short writes. Errors
   (a closed pipe, a full disk) drop the output: there is nobody to tell. */
static atomic_uint_fast64_t written; /* bytes, for statistics(io) */

uint64_t io_out_bytes(void) { return atomic_load_explicit(&written, memory_order_relaxed); }

static void write_all(int fd, const char *s, size_t n)
{
    atomic_fetch_add_explicit(&written, n, memory_order_relaxed);
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

static void flush_locked(void)
{
    write_all(STDOUT_FILENO, buffer, pending);
    pending = 0;
}

void io_out_write(const char *s, size_t n)
{
    pthread_mutex_lock(&lock);
    if (pending + n > sizeof buffer) flush_locked();
    if (n >= sizeof buffer) {
        write_all(STDOUT_FILENO, s, n);
    } else {
        memcpy(buffer + pending, s, n);
        pending += n;
    }
    pthread_mutex_unlock(&lock);
}

void io_out_flush(void)
{
    pthread_mutex_lock(&lock);
    flush_locked();
    pthread_mutex_unlock(&lock);
}

void io_out_write_err(const char *s, size_t n)
{
    pthread_mutex_lock(&lock);
    flush_locked();
    write_all(STDERR_FILENO, s, n);
    pthread_mutex_unlock(&lock);
}
