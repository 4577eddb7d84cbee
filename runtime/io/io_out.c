/* io_out.c - standard output and standard error, unbuffered (see io_out.h). */
#include "runtime/io/io_out.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint_fast64_t written; /* bytes, for statistics(io) */

uint64_t io_out_bytes(void) { return atomic_load_explicit(&written, memory_order_relaxed); }

static int write_all(int fd, const char *s, size_t n)
{
    pthread_mutex_lock(&lock);
    int err = 0;
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        atomic_fetch_add_explicit(&written, (uint64_t)w, memory_order_relaxed);
        s += w;
        n -= (size_t)w;
    }
    pthread_mutex_unlock(&lock);
    return err;
}

int io_out_write(const char *s, size_t n) { return write_all(STDOUT_FILENO, s, n); }

int io_out_write_err(const char *s, size_t n) { return write_all(STDERR_FILENO, s, n); }
