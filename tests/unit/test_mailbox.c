/* test_mailbox.c - the mailbox: arrival order, stale messages, self-sends and their spare blocks. */
#include "runtime/proc/mailbox.h"

#include <criterion/criterion.h>

static const Term SELF = 0x1003, OTHER = 0x2003; /* two pid-like words: only equality matters */

static void queue_it(void *ctx, Message *m) { mbox_append(ctx, m); }

/* Takes the oldest message, returns its term and ends it as a receive does. */
static Term receive_first(Mailbox *mb)
{
    mbox_rewind(mb);
    Message *m = mbox_take_current(mb);
    Term t = m->term;
    cr_assert_null(mbox_message_to_heap(mb, m), "an immediate needs no fragment");
    return t;
}

TestSuite(mailbox);

Test(mailbox, pushed_messages_arrive_oldest_first_and_stale_ones_are_dropped)
{
    Mailbox mb = {0};
    mbox_reset_owner(&mb);
    cr_assert(mbox_push(&mb, mbox_message_new(SIG_MESSAGE, SELF, OTHER, make_small(1))), "first push wakes");
    cr_assert_not(mbox_push(&mb, mbox_message_new(SIG_MESSAGE, OTHER, OTHER, make_small(99))));
    cr_assert_not(mbox_push(&mb, mbox_message_new(SIG_MESSAGE, SELF, OTHER, make_small(2))));
    cr_assert(mbox_has_inbound(&mb));
    mbox_drain(&mb, SELF, queue_it, &mb);
    cr_assert_not(mbox_has_inbound(&mb));
    cr_assert_eq(mb.len, 2, "the message for another pid is dropped");
    cr_assert_eq(receive_first(&mb), make_small(1));
    cr_assert_eq(receive_first(&mb), make_small(2));
    cr_assert_eq(mb.len, 0);
    mbox_destroy(&mb, SELF, queue_it, &mb);
}

Test(mailbox, self_sends_are_queued_in_order_and_reuse_their_blocks)
{
    Mailbox mb = {0};
    mbox_reset_owner(&mb);
    mbox_append_own(&mb, SELF, make_small(7));
    Message *first_block = mbox_current(&mb);
    cr_assert_eq(receive_first(&mb), make_small(7));
    cr_assert_eq(mb.n_spare, 1, "the received block is kept");
    mbox_append_own(&mb, SELF, make_small(8));
    cr_assert_eq(mbox_current(&mb), first_block, "the next self-send reuses it");
    cr_assert_eq(mb.n_spare, 0);
    cr_assert_eq(receive_first(&mb), make_small(8));
    mbox_destroy(&mb, SELF, queue_it, &mb);
    cr_assert_eq(mb.n_spare, 0, "destroy frees the spares");
}

Test(mailbox, spare_blocks_are_bounded)
{
    Mailbox mb = {0};
    mbox_reset_owner(&mb);
    for (int i = 0; i < 100; i++) mbox_append_own(&mb, SELF, make_small(i));
    cr_assert_eq(mb.len, 100);
    for (int i = 0; i < 100; i++) cr_assert_eq(receive_first(&mb), make_small(i));
    cr_assert_gt(mb.n_spare, 0);
    cr_assert_leq(mb.n_spare, 8, "a burst of self-sends does not keep its blocks");
    /* a pushed message ends in the same way and may be kept too */
    mbox_push(&mb, mbox_message_new(SIG_MESSAGE, SELF, OTHER, make_small(5)));
    mbox_drain(&mb, SELF, queue_it, &mb);
    cr_assert_eq(receive_first(&mb), make_small(5));
    cr_assert_leq(mb.n_spare, 8);
    mbox_destroy(&mb, SELF, queue_it, &mb);
    cr_assert_null(mb.spare);
}
