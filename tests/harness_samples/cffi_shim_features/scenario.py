THREADS = 2
ITERATIONS = 50


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    ffi, lib = mod.ffi, mod.lib
    for step in range(iterations):
        polygon = ffi.new("struct polygon *")
        lib.polygon_add(polygon, 0, 0)
        lib.polygon_add(polygon, 3, 0)
        lib.polygon_add(polygon, 3, 4)
        assert lib.polygon_perimeter_squared(polygon) == 9 + 16 + 25
        assert polygon.count == 3 and polygon.points[2].y == 4
        polygon.count = 2
        assert lib.polygon_perimeter_squared(polygon) == 9 + 9
        assert polygon[0].count == 2
        point = ffi.new("point_t *", {"x": 5, "y": step})
        assert (point.x, point.y) == (5, step)
        values = ffi.new("int[]", [1, 2, 3, step])
        assert lib.sum_ints(values, 4) == 6 + step
        buffer = ffi.new("unsigned char[]", 16)
        lib.fill_bytes(buffer, 16, 7)
        assert bytes(ffi.buffer(buffer, 16)) == b"\x07" * 16
        assert list(ffi.unpack(values, 3)) == [1, 2, 3]
        assert ffi.string(lib.kind_name(lib.TRIANGLE)) == b"triangle"
        assert lib.kind_name(1) == ffi.NULL
        assert lib.MAX_POINTS == 8 and lib.SEGMENT == 0
        assert ffi.sizeof("point_t") == 2 * ffi.sizeof("long")
        assert ffi.cast("int", 300) == 300
        backing = bytearray(8)
        lib.fill_bytes(ffi.from_buffer(backing), 8, 9)
        assert backing == bytearray(b"\x09" * 8)
        assert ffi.addressof(polygon[0]).count == 2
        owned = ffi.gc(ffi.cast("int *", lib.malloc(16)), lib.free)
        owned[0] = step
        assert owned[0] == step


def check(mod, state, threads, iterations):
    pass
