/* The running total as a C11 atomic: safe for parallel callers, lock-free. */
#include <stdatomic.h>

static _Atomic long total;

void counter_add(long amount) { atomic_fetch_add_explicit(&total, amount, memory_order_relaxed); }
long counter_total(void) { return atomic_load(&total); }
void counter_reset(void) { atomic_store(&total, 0); }
