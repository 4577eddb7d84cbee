/*
 * debug_agent.c - a debugger agent in C (include/erbium/debugger.h).
 *
 *   debug_agent <dir with debug_agent.beam>
 *
 * Runs debug_agent:main/0 on a second thread and debugs it from this one:
 * the errors of setting breakpoints, a line breakpoint with the stopped
 * process's frames, slots and registers, stepping into, out and over,
 * a function breakpoint, a breakpoint that follows its module to the
 * code loaded next, and function entry and exit events.
 */
#include "erbium/debugger.h"
#include "erbium/vm.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The last event, handed from the scheduler thread that hit it to main. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool ready;
    ErbDbgEvent ev;
    size_t xregs; /* read inside the callback, where the process is the one being hit */
} last = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, {0}, 0};

static ErbDbgAction on_event(void *ctx, const ErbDbgEvent *ev)
{
    (void)ctx;
    /* entry and exit are told as they happen (main waits for the next event meanwhile) */
    if (ev->kind == ERB_DBG_ENTRY) {
        printf("entry %s:%s/%u line %u\n", ev->module, ev->function, ev->arity, ev->line);
        fflush(stdout);
        return ERB_DBG_CONTINUE;
    }
    if (ev->kind == ERB_DBG_EXIT) {
        printf("exit %s:%s/%u %s %s\n", ev->module, ev->function, ev->arity, ev->exception ? "raised" : "returned",
               ev->value);
        fflush(stdout);
        return ERB_DBG_CONTINUE;
    }
    size_t xregs = 0;
    erb_dbg_xreg_count(ev->pid, &xregs);
    pthread_mutex_lock(&last.lock);
    last.ev = *ev;
    last.xregs = xregs;
    last.ready = true;
    pthread_cond_signal(&last.cond);
    pthread_mutex_unlock(&last.lock);
    return ERB_DBG_SUSPEND;
}

static ErbDbgEvent next_event(void)
{
    pthread_mutex_lock(&last.lock);
    while (!last.ready) pthread_cond_wait(&last.cond, &last.lock);
    last.ready = false;
    ErbDbgEvent ev = last.ev;
    printf("%s %s:%s/%u line %u%s, %zu x registers\n", ev.kind == ERB_DBG_STEP ? "step" : "breakpoint", ev.module,
           ev.function, ev.arity, ev.line, ev.entry ? " (entry)" : "", last.xregs);
    pthread_mutex_unlock(&last.lock);
    return ev;
}

/* The innermost `depth` frames with their slots, and the x registers. */
static void show(uint64_t pid, size_t depth)
{
    char text[128];
    size_t n = 0;
    erb_dbg_frame_count(pid, &n);
    for (size_t d = 0; d < depth && d < n; d++) {
        ErbDbgFrame f;
        if (erb_dbg_frame(pid, d, &f) != ERB_DBG_OK) break;
        printf("  frame %zu: %s:%s/%u line %u, %zu slots\n", d, f.module, f.function, f.arity, f.line, f.slots);
        for (size_t s = 0; s < f.slots; s++)
            if (erb_dbg_slot(pid, d, s, 100, text, sizeof text) == ERB_DBG_OK) printf("    y%zu = %s\n", s, text);
    }
    size_t xn = 0;
    erb_dbg_xreg_count(pid, &xn);
    for (size_t i = 0; i < xn; i++)
        if (erb_dbg_xreg(pid, i, 3, text, sizeof text) == ERB_DBG_OK) printf("  x%zu = %s\n", i, text);
    fflush(stdout);
}

static void check(const char *what, ErbDbgError got)
{
    printf("%s: %s\n", what, erb_dbg_error_name(got));
    fflush(stdout); /* before the VM's own output */
}

/* Announces a resume first: the process then prints on its own. */
static void resume(uint64_t pid)
{
    printf("resume\n");
    fflush(stdout);
    ErbDbgError e = erb_dbg_resume(pid);
    if (e != ERB_DBG_OK) printf("resume failed: %s\n", erb_dbg_error_name(e));
}

static void *run_main(void *vm)
{
    int rc = erb_vm_call(vm, "debug_agent", "main", ERB_ARGS_NONE, 0, NULL);
    return (void *)(long)rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <dir with debug_agent.beam>\n", argv[0]);
        return 2;
    }
    char err[256];
    ErbConfig cfg = erb_config_default();
    cfg.debugger = true;
    ErbVm *vm = erb_vm_create(&cfg, err, sizeof err);
    if (!vm) {
        fprintf(stderr, "debug_agent: %s\n", err);
        return 1;
    }
    erb_vm_add_path(vm, argv[1]);
    check("before loading", erb_dbg_set_breakpoint("debug_agent", 13));
    if (erb_vm_load(vm, "debug_agent", err, sizeof err) != 0) {
        fprintf(stderr, "debug_agent: %s\n", err);
        return 1;
    }
    erb_dbg_set_callback(on_event, NULL);
    check("line 13", erb_dbg_set_breakpoint("debug_agent", 13));
    check("line 13 again", erb_dbg_set_breakpoint("debug_agent", 13));
    check("function head, line 12", erb_dbg_set_breakpoint("debug_agent", 12));
    check("empty line 11", erb_dbg_set_breakpoint("debug_agent", 11));
    check("clear line 14", erb_dbg_clear_breakpoint("debug_agent", 14));
    check("no function", erb_dbg_set_function_breakpoint("debug_agent", "sub", 2));
    check("resume a running process", erb_dbg_resume(1));
    check("ready/0 entry", erb_dbg_set_function_breakpoint("debug_agent", "ready", 0));
    check("call events, no module", erb_dbg_set_call_events("agent_twin", true));
    fflush(stdout);

    pthread_t t;
    pthread_create(&t, NULL, run_main, vm);
    ErbDbgEvent ev = next_event();
    show(ev.pid, 2);
    check("clear line 13", erb_dbg_clear_breakpoint("debug_agent", 13));
    check("step into", erb_dbg_step(ev.pid, ERB_DBG_STEP_INTO));
    ev = next_event();
    show(ev.pid, 1);
    check("step out", erb_dbg_step(ev.pid, ERB_DBG_STEP_OUT));
    ev = next_event();
    show(ev.pid, 1);
    check("add/2 entry", erb_dbg_set_function_breakpoint("debug_agent", "add", 2));
    resume(ev.pid);
    ev = next_event(); /* main's own call: lists:foldl called add/2 before the step out ended */
    show(ev.pid, 2);
    check("clear add/2", erb_dbg_clear_function_breakpoint("debug_agent", "add", 2));
    check("step over", erb_dbg_step(ev.pid, ERB_DBG_STEP_OVER));
    ev = next_event();
    show(ev.pid, 1);
    resume(ev.pid);

    ev = next_event(); /* ready/0: agent_twin is loaded */
    check("agent_twin line 4", erb_dbg_set_breakpoint("agent_twin", 4));
    check("agent_twin call events", erb_dbg_set_call_events("agent_twin", true));
    check("clear ready/0", erb_dbg_clear_function_breakpoint("debug_agent", "ready", 0));
    resume(ev.pid);
    for (int round = 0; round < 3; round++) { /* calc(5), again in the code loaded next, calc(foo) */
        ev = next_event(); /* line 4 (after the entry: they share the function's first instruction) */
        show(ev.pid, 2);
        resume(ev.pid);
    }
    void *rc;
    pthread_join(t, &rc);
    printf("main returned %ld\n", (long)rc);
    erb_vm_destroy(vm);
    return 0;
}
