/*
 * timer.h - one-shot timers on a timer thread (a binary heap of deadlines
 * under a mutex; the thread sleeps until the earliest one).
 *
 * A timer is named by a 64-bit id, never reused, so cancelling one that
 * already fired is harmless. The callback runs on the timer thread and must
 * be short (wake a process, push a message).
 */
#ifndef ERBIUM_TIMER_H
#define ERBIUM_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*TimerFn)(void *arg);

/* Starts the timer thread. 0 on success. */
int timer_init(void);
void timer_shutdown(void);

/* A fresh timer id (never 0), for a caller that must know it before starting the timer. */
uint64_t timer_new_id(void);
/* Calls fn(arg) after ms milliseconds under the given id (from timer_new_id). */
void timer_start_id(uint64_t id, uint64_t ms, TimerFn fn, void *arg);
/* timer_start_id with a fresh id, which it returns. */
uint64_t timer_start(uint64_t ms, TimerFn fn, void *arg);
/*
 * Cancels the timer. Returns the milliseconds it had left, or -1 if it had
 * already fired or been cancelled. On success `*arg_out` (if not NULL) gets
 * its argument back so the caller can free it.
 */
int64_t timer_cancel_ex(uint64_t id, void **arg_out);
static inline bool timer_cancel(uint64_t id) { return timer_cancel_ex(id, 0) >= 0; }
/* Milliseconds left, or -1 (read_timer). With peek, calls peek(arg, ctx) on a
   pending timer's argument under the timers' lock, where it cannot fire. */
int64_t timer_remaining(uint64_t id, void (*peek)(void *arg, void *ctx), void *ctx);

/* Monotonic time in milliseconds. */
uint64_t timer_now_ms(void);

#endif
