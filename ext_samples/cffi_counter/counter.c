/* A running total in a C library: not thread-safe, whatever the Python build. */
static long total;

void counter_add(long amount) { total += amount; }
long counter_total(void) { return total; }
void counter_reset(void) { total = 0; }
