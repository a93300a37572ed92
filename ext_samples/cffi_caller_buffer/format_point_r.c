/* The reentrant formatter: the caller owns the buffer. */
#include <stddef.h>
#include <stdio.h>

int format_point_r(char *buffer, size_t size, long x, long y)
{
    return snprintf(buffer, size, "(%ld, %ld)", x, y);
}
