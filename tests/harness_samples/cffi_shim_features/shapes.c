#include <stddef.h>
#include <stdlib.h>

#define MAX_POINTS 8
enum shape_kind { SEGMENT, TRIANGLE = 3 };
typedef struct { long x; long y; } point_t;
struct polygon { int count; point_t points[MAX_POINTS]; };

long polygon_perimeter_squared(const struct polygon *polygon)
{
    long total = 0;
    for (int i = 0; i < polygon->count; i++) {
        const point_t *a = &polygon->points[i];
        const point_t *b = &polygon->points[(i + 1) % polygon->count];
        total += (a->x - b->x) * (a->x - b->x) + (a->y - b->y) * (a->y - b->y);
    }
    return total;
}

void polygon_add(struct polygon *polygon, long x, long y)
{
    if (polygon->count < MAX_POINTS) {
        polygon->points[polygon->count].x = x;
        polygon->points[polygon->count].y = y;
        polygon->count++;
    }
}

int sum_ints(const int *values, size_t count)
{
    int total = 0;
    for (size_t i = 0; i < count; i++) {
        total += values[i];
    }
    return total;
}

void fill_bytes(unsigned char *buffer, size_t size, unsigned char value)
{
    for (size_t i = 0; i < size; i++) {
        buffer[i] = value;
    }
}

const char *kind_name(int kind)
{
    return kind == 3 ? "triangle" : kind == 0 ? "segment" : NULL;
}
