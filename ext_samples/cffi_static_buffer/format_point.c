/* A non-reentrant formatter: every caller shares one static result buffer. */
#include <stdio.h>

const char *format_point(long x, long y)
{
    static char text[64];
    snprintf(text, sizeof text, "(%ld, %ld)", x, y);
    return text;
}
