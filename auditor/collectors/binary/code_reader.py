"""A small symbolic reader of an extension's init function (x86-64 and aarch64).

Why not a plain data search for the ``PyModuleDef_Slot`` array: generators build it at
run time. pybind11 3.x fills a function-local static ``std::array<PyModuleDef_Slot, 5>``
in ``PyInit_<name>`` (``init_slots`` in pybind11.h, inlined: ``movl $4, slots+0x30``,
``movq $1, slots+0x38``); nanobind's ``module_new`` ``PyMem_Calloc``s the array and fills
it (nb_internals.cpp); single-phase modules pass the value straight to
``PyUnstable_Module_SetGIL`` in the second argument register.

So we walk the init function linearly (its ``st_size`` bounds the walk; compilers move
cold paths after the ``ret``, so the walk goes on past it), following direct calls into
the module's own code a few levels deep, and keep a tiny abstract state:

* registers hold an integer, a :class:`Pointer` into a memory region (the binary's own
  static data, a heap block returned by an allocator, the stack frame), or nothing known;
* stores into tracked regions are remembered (the slot array as the code builds it);
* every call to an imported function is recorded with the first two argument registers
  (System V: rdi, rsi; AAPCS64: x0, x1);
* calls through a pointer are followed when the pointer is known (a vtable or closure
  in this binary's data, as Rust's ``dyn FnMut`` calls are);
* a function is read again when called with different constant arguments (a different
  vtable makes ``once_cell``'s ``initialize_or_wait`` call a different closure), not when
  called again with the same ones;
* the code after an x86-64 epilogue (``add rsp``/``pop``... ``ret``) is read with the
  registers and frame from before the epilogue: cold paths run in the body's frame.

It ignores branches (both sides of an ``if`` are read in order), which is enough for the
straight-line code generators emit for module initialisation; callers treat conflicting
answers as "unknown" rather than guessing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import capstone
from capstone import arm64 as capstone_arm64
from capstone import x86 as capstone_x86

from .image import BinaryImage

# Functions whose result is a fresh heap block we can track stores into.
ALLOCATORS = frozenset(
    {
        "PyMem_Calloc",
        "PyMem_Malloc",
        "PyMem_RawCalloc",
        "PyMem_RawMalloc",
        "PyObject_Malloc",
        "PyObject_Calloc",
        "malloc",
        "calloc",
        "_Znwm",
        "_Znam",
    }
)
# Capstone with operand details costs ~80 us per instruction in Python; a PyInit is
# typically 20-300 instructions and is read alone first. Following calls is for the few
# that declare deeper: PyO3 0.23-0.27 calls PyUnstable_Module_SetGIL(module, !gil_used)
# five calls down, inside a closure that std's Once reaches through a vtable (~1,300
# instructions for pydantic-core). The budget bounds pathological cases to ~0.5 s.
# bcrypt 5.0.0 (PyO3 0.26 through once_cell) also sits five calls down: make_module ->
# try_init_once_cell_py_attached -> OnceCell::initialize -> initialize_or_wait -> closure.
# Depth 8 let make_module's error path (PyErr::take and its formatting code) eat the
# budget before the closure was reached; 6 keeps one level to spare and reaches it by
# ~3,800 instructions.
_INSTRUCTION_BUDGET = 6000  # across the init function and everything followed
_MAX_CALL_DEPTH = 6
_MAX_FOLLOWED_FUNCTION_SIZE = 8192  # bytes: larger callees are library machinery, not module setup
_UNSIZED_FUNCTION_LIMIT = 2048  # bytes read of a function whose size the binary does not say
_SIZED_FUNCTION_LIMIT = 1 << 20  # bytes of one function's window, whatever its st_size claims
# Capstone's Python disasm() decodes its whole buffer (with operand details) before it
# yields the first instruction: a crafted 15 KB file whose PyInit claims 1 MB of zeros
# cost 3.3 s before the budget above was even looked at. So code is decoded in chunks
# of at most this many instructions, and no more bytes are read than the remaining
# budget can use (x86-64 instructions are at most 15 bytes, aarch64 ones 4).
_DECODE_CHUNK = 64
_MAX_INSTRUCTION_BYTES = 15


@dataclass(frozen=True)
class Pointer:
    region: tuple  # ("static",) | ("heap", n) | ("stack", n)
    offset: int

    def moved(self, delta: int) -> Pointer:
        return Pointer(self.region, self.offset + delta)


STATIC = ("static",)
INDIRECT = "<indirect>"  # CallEvent.target of a call through a register or memory


@dataclass(frozen=True)
class ImportedAddress:
    """The address of an imported object (e.g. ``&PyExc_ImportError``), not its value."""

    symbol: str


@dataclass
class CallEvent:
    target: str  # imported symbol name, or "0x…" for an internal function
    address: int  # of the call instruction
    arguments: tuple  # (first, second) argument values: int | Pointer | None
    internal: bool = False


@dataclass
class StoredValue:
    value: object  # int | Pointer | ImportedAddress | None
    size: int


@dataclass
class CodeReading:
    calls: list[CallEvent] = field(default_factory=list)
    # region -> offset -> value written by the code we read
    memory: dict[tuple, dict[int, StoredValue]] = field(default_factory=dict)
    instructions: int = 0
    truncated: bool = False  # the instruction budget ran out
    problems: list[str] = field(default_factory=list)
    # What the function read returns at its first ``ret`` (a PEP 793 export hook returns
    # its PySlot array): int | Pointer | ImportedAddress | None when not known.
    result: object = None

    def calls_to(self, name: str) -> list[CallEvent]:
        return [call for call in self.calls if call.target == name]


class CodeReader:
    """Reads the init function of one :class:`~.image.BinaryImage`; see the module docstring."""

    def __init__(self, image: BinaryImage) -> None:
        self.image = image
        # Microsoft x64 passes the first integer arguments in rcx, rdx, r8, r9 and lets a
        # callee clobber rax, rcx, rdx, r8-r11 ("x64 calling convention", Microsoft Learn);
        # System V uses rdi, rsi, rdx, rcx, r8, r9. Apple's and Microsoft's arm64 ABIs
        # keep AAPCS64's x0-x7.
        if image.calling_convention == "win64":
            self._x86_arguments: tuple[str, ...] = ("rcx", "rdx", "r8", "r9")
            self._x86_caller_saved: tuple[str, ...] = ("rax", "rcx", "rdx", "r8", "r9", "r10", "r11")
        else:
            self._x86_arguments = self._X86_ARGUMENTS
            self._x86_caller_saved = self._X86_CALLER_SAVED
        if image.machine == "x86_64":
            self.engine = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
        elif image.machine == "aarch64":
            self.engine = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
        else:
            raise ValueError(f"cannot read {image.machine} machine code (x86-64 and aarch64 only)")
        self.engine.detail = True
        self._plt_cache: dict[int, str | None] = {}
        self._heap_counter = itertools.count(1)
        self._function_sizes: dict[int, int] | None = None
        self._exported_by_address: dict[int, str] | None = None
        self.follow_calls = True

    # -- resolving call targets ---------------------------------------------------------------
    def imported_name_at_got(self, address: int) -> str | None:
        relocation = self.image.relocations.get(address)
        if (
            relocation is not None
            and relocation.symbol
            and relocation.kind in ("jump_slot", "glob_dat", "absolute")
        ):
            return relocation.symbol
        return None

    def _got_target(self, slot: int) -> tuple[str | None, int | None]:
        """What a GOT slot holds: an imported function's name, or an address in this binary."""
        relocation = self.image.relocations.get(slot)
        if relocation is None:
            return None, None
        if relocation.kind == "relative":
            return None, relocation.addend
        if relocation.symbol:
            defined = self.image.symbols.get(relocation.symbol)
            if defined is not None and defined.value and defined.is_function:
                return None, defined.value  # exported by this module itself: follow it
            return relocation.symbol, None
        return None, None

    def plt_target(self, address: int) -> str | None:
        """The imported function a PLT stub at ``address`` jumps to."""
        if address in self._plt_cache:
            return self._plt_cache[address]
        if not self.image.stubs_need_decoding:
            # Mach-O and PE say which import a stub is for (the indirect symbol table, the IAT).
            name = self._plt_cache[address] = self.image.stub_target(address)
            return name
        name = None
        code = self.image.read(address, 16)
        if code:
            if self.image.machine == "x86_64":
                for instruction in self.engine.disasm(code, address):
                    if instruction.mnemonic in ("jmp", "bnd jmp") and instruction.operands:
                        operand = instruction.operands[0]
                        if (
                            operand.type == capstone_x86.X86_OP_MEM
                            and operand.mem.base == capstone_x86.X86_REG_RIP
                        ):
                            name = self.imported_name_at_got(
                                instruction.address + instruction.size + operand.mem.disp
                            )
                        break
            else:  # aarch64: adrp x16, page; ldr x17, [x16, #off]; add x16, x16, #off; br x17
                page = None
                for instruction in self.engine.disasm(code, address):
                    if instruction.mnemonic == "adrp":
                        page = instruction.operands[1].imm
                    elif instruction.mnemonic == "ldr" and page is not None:
                        name = self.imported_name_at_got(page + instruction.operands[1].mem.disp)
                        break
        self._plt_cache[address] = name
        return name

    def _exported_name(self, address: int) -> str | None:
        if self._exported_by_address is None:
            self._exported_by_address = {
                symbol.value: symbol.name for symbol in self.image.symbols.values() if symbol.is_function
            }
        return self._exported_by_address.get(address)

    def _function_size(self, address: int) -> int:
        if self._function_sizes is None:
            self._function_sizes = self.image.function_sizes()
        return self._function_sizes.get(address, 0)

    # -- the walk -------------------------------------------------------------------------------
    def read_function(
        self, address: int, size: int | None = None, *, follow_calls: bool = True
    ) -> CodeReading:
        """Read one function; with ``follow_calls`` also the module's own functions it calls."""
        self.follow_calls = follow_calls
        reading = CodeReading()
        arguments: dict[str, object] = {}
        try:
            reading.result = self._walk(
                address,
                size if size is not None else self._function_size(address),
                arguments,
                reading,
                depth=0,
                visited=set(),
            )
        except capstone.CsError as error:
            reading.problems.append(f"disassembler error at {address:#x}: {error}")
        return reading

    def read_initialisers(self, reading: CodeReading) -> int:
        """Walk the functions in ``.init_array`` (C++ dynamic initialisers) into ``reading``.

        A C++ ``static PyModuleDef_Slot slots[] = {...}`` whose values are not constant
        expressions is zero in the file and filled by such a function before PyInit runs.
        Returns how many functions were read.
        """
        count = 0
        self.follow_calls = True  # initialisers call helpers for the values they store
        for target in self.image.initialiser_functions():
            if reading.instructions >= _INSTRUCTION_BUDGET:
                reading.truncated = True
                break
            self._walk(target, self._function_size(target), {}, reading, depth=1, visited=set())
            count += 1
        return count

    def _walk(
        self, address: int, size: int, registers: dict, reading: CodeReading, depth: int, visited: set
    ) -> object:
        """Read one function; returns its result register at the first ``ret`` (None: unknown)."""
        key = (address, self._constant_arguments(registers))
        if key in visited:
            return None
        visited.add(key)
        window = min(size, _SIZED_FUNCTION_LIMIT) if size else _UNSIZED_FUNCTION_LIMIT
        if not self.image.is_mapped(address, window):
            reading.problems.append(f"no code at {address:#x}")
            return None
        # +1: one instruction past the budget is what tells "truncated" from "ended".
        remaining = max(0, _INSTRUCTION_BUDGET - reading.instructions) + 1
        code = self.image.read(address, min(window, remaining * _MAX_INSTRUCTION_BYTES))
        if not code:
            reading.problems.append(f"no code at {address:#x}")
            return None
        end = address + window
        state = dict(registers)
        stack_region = ("stack", next(self._heap_counter))
        if self.image.machine == "x86_64":
            state["rsp"] = Pointer(stack_region, 0)
            step = self._step_x86
        else:
            state["sp"] = Pointer(stack_region, 0)
            step = self._step_arm64
        return_register = "rax" if self.image.machine == "x86_64" else "x0"
        returned: list[object] = []
        x86 = self.image.machine == "x86_64"
        # The registers (and frame) of the body just before an epilogue: the code after the
        # ``ret`` (cold paths) runs in that frame, not in the caller's one the epilogue restores.
        before_epilogue: dict | None = None
        for instruction in self._decode(code, address, reading):
            reading.instructions += 1
            if reading.instructions > _INSTRUCTION_BUDGET:
                reading.truncated = True
                break
            if instruction.mnemonic == "ret" and not returned:
                returned.append(state.get(return_register))  # the straight-line path's result
            if (_is_x86_epilogue if x86 else _is_arm64_epilogue)(instruction):
                if before_epilogue is None:
                    before_epilogue = dict(state)
            elif instruction.mnemonic not in (_X86_EXITS if x86 else _ARM64_EXITS):
                before_epilogue = None
            outcome = step(instruction, state, reading, depth, visited, (address, end))
            if outcome == "stop":
                if not size:
                    # Without a size we cannot tell cold paths from the next function: stop.
                    break
                if before_epilogue is not None:
                    state.clear()
                    state.update(before_epilogue)
                    before_epilogue = None
        return returned[0] if returned else None

    def _decode(self, code: bytes, address: int, reading: CodeReading):
        """Instructions of ``code`` from its start, decoded a chunk at a time.

        Like one ``disasm`` call it stops at the first byte sequence that is no instruction;
        unlike it, work stops when the caller stops asking (the budget, a ``ret``).
        """
        offset = 0
        while offset < len(code):
            count = min(_DECODE_CHUNK, max(1, _INSTRUCTION_BUDGET - reading.instructions + 1))
            piece = code[offset : offset + count * _MAX_INSTRUCTION_BYTES]
            decoded = 0
            for instruction in self.engine.disasm(piece, address + offset, count):
                decoded += 1
                offset += instruction.size
                yield instruction
            if decoded < count:
                return  # an undecodable byte, or the end of the code

    # -- shared helpers -----------------------------------------------------------------------
    @staticmethod
    def _constant_arguments(registers: dict) -> tuple:
        """The argument values that are the same at every run: what makes a second reading differ."""
        return tuple(
            (register, value)
            for register, value in registers.items()
            if isinstance(value, (int, ImportedAddress))
            or (isinstance(value, Pointer) and value.region == STATIC)
        )

    def _new_heap(self) -> Pointer:
        return Pointer(("heap", next(self._heap_counter)), 0)

    def load(self, reading: CodeReading, pointer: object, size: int) -> object:
        """A value of ``size`` bytes at ``pointer``: what the code stored, else the binary's data."""
        if not isinstance(pointer, Pointer):
            return None
        stored = reading.memory.get(pointer.region, {}).get(pointer.offset)
        if stored is not None:
            if isinstance(stored.value, int) and size < stored.size:
                return stored.value & ((1 << (8 * size)) - 1)
            return stored.value
        if pointer.region != STATIC:
            return None
        if size == self.image.pointer_size:
            value = self.image.read_pointer(pointer.offset)
            if value is None:
                return None
            if value.address is not None and (value.symbol is None or value.address):
                relocated = pointer.offset in self.image.relocations
                return Pointer(STATIC, value.address) if relocated else value.address
            return ImportedAddress(value.symbol) if value.symbol else None
        return self.image.read_int(pointer.offset, size)

    def store(self, reading: CodeReading, pointer: object, value: object, size: int) -> None:
        if isinstance(pointer, Pointer):
            reading.memory.setdefault(pointer.region, {})[pointer.offset] = StoredValue(value, size)

    def _call(
        self,
        target_address: int | None,
        target_name: str | None,
        state: dict,
        argument_registers: tuple,
        reading: CodeReading,
        depth: int,
        visited: set,
        instruction_address: int,
    ) -> object:
        arguments = tuple(state.get(register) for register in argument_registers[:2])
        all_argument_registers = argument_registers
        if target_name is None and target_address is not None:
            if self.image.in_plt(target_address):
                target_name = self.plt_target(target_address)
                defined = self.image.symbols.get(target_name) if target_name else None
                if defined is not None and defined.value and defined.is_function:
                    target_name, target_address = None, defined.value  # this module's own exported function
            if target_name is None and not self.image.in_plt(target_address):
                exported = self._exported_name(target_address)
                # Internal function: follow it with the argument registers we know.
                reading.calls.append(
                    CallEvent(
                        exported or f"{target_address:#x}", instruction_address, arguments, internal=True
                    )
                )
                callee_size = self._function_size(target_address)
                if (
                    self.follow_calls
                    and depth < _MAX_CALL_DEPTH
                    and self.image.is_executable(target_address)
                    and callee_size <= _MAX_FOLLOWED_FUNCTION_SIZE
                ):
                    callee_state = {register: state.get(register) for register in all_argument_registers}
                    result = self._walk(
                        target_address, callee_size, callee_state, reading, depth + 1, visited
                    )
                    # Only plain values: a Pointer into the callee's own stack frame is meaningless here.
                    if isinstance(result, int) or (
                        isinstance(result, Pointer) and result.region[0] != "stack"
                    ):
                        return result
                return None
        name = target_name or "?"
        reading.calls.append(CallEvent(name, instruction_address, arguments))
        if name in ALLOCATORS:
            return self._new_heap()
        return None

    # -- x86-64 -------------------------------------------------------------------------------
    _X86_CALLER_SAVED = ("rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11")
    _X86_ARGUMENTS = ("rdi", "rsi", "rdx", "rcx", "r8", "r9")  # System V AMD64 integer arguments

    @staticmethod
    def _x86_register(instruction, register_id: int) -> str:
        return _X86_CANONICAL.get(instruction.reg_name(register_id), instruction.reg_name(register_id))

    def _x86_address(self, instruction, operand, state: dict) -> object:
        memory = operand.mem
        if memory.index != 0:
            return None
        if memory.base == capstone_x86.X86_REG_RIP:
            return Pointer(STATIC, instruction.address + instruction.size + memory.disp)
        if memory.base == 0:
            return None
        base = state.get(self._x86_register(instruction, memory.base))
        return base.moved(memory.disp) if isinstance(base, Pointer) else None

    def _x86_value(self, instruction, operand, state: dict, reading: CodeReading) -> object:
        if operand.type == capstone_x86.X86_OP_IMM:
            return operand.imm & ((1 << (8 * operand.size)) - 1) if operand.size < 8 else operand.imm
        if operand.type == capstone_x86.X86_OP_REG:
            value = state.get(self._x86_register(instruction, operand.reg))
            if isinstance(value, int) and operand.size < 8:
                return value & ((1 << (8 * operand.size)) - 1)
            return value
        if operand.type == capstone_x86.X86_OP_MEM:
            return self.load(reading, self._x86_address(instruction, operand, state), operand.size)
        return None

    def _step_x86(
        self,
        instruction,
        state: dict,
        reading: CodeReading,
        depth: int,
        visited: set,
        bounds: tuple[int, int],
    ) -> str | None:
        mnemonic = instruction.mnemonic
        operands = instruction.operands
        if mnemonic.startswith(("bnd ", "notrack ")):
            mnemonic = mnemonic.split(" ", 1)[1]
        if mnemonic in ("call", "jmp"):
            if not operands:
                return None
            operand = operands[0]
            target_address = target_name = None
            if operand.type == capstone_x86.X86_OP_IMM:
                target_address = operand.imm
                if mnemonic == "jmp" and bounds[0] <= target_address < bounds[1]:
                    return None  # a branch inside the function: the linear walk covers it
            elif operand.type == capstone_x86.X86_OP_MEM and operand.mem.base == capstone_x86.X86_REG_RIP:
                # -fno-plt (and Rust): call qword ptr [rip + GOT slot]
                slot = instruction.address + instruction.size + operand.mem.disp
                target_name, target_address = self._got_target(slot)
                if target_name is None and target_address is None:
                    for register in self._x86_caller_saved:
                        state.pop(register, None)
                    return "stop" if mnemonic == "jmp" else None
            else:
                # Through a register or memory: a function pointer (or a jump table). When
                # the pointer is known (a vtable or closure in this binary's data) follow it.
                pointer = self._x86_value(instruction, operand, state, reading)
                if (
                    isinstance(pointer, Pointer)
                    and pointer.region == STATIC
                    and pointer.offset
                    and self.image.is_executable(pointer.offset)
                    and not self.image.in_plt(pointer.offset)
                ):
                    target_address = pointer.offset
                elif isinstance(pointer, ImportedAddress):
                    # ``mov rax, [rip + GOT slot]; call rax``: the import the slot is bound to.
                    target_name = pointer.symbol
                else:
                    reading.calls.append(
                        CallEvent(
                            INDIRECT,
                            instruction.address,
                            tuple(state.get(register) for register in self._x86_arguments[:2]),
                        )
                    )
                    for register in self._x86_caller_saved:
                        state.pop(register, None)
                    return "stop" if mnemonic == "jmp" else None
            result = self._call(
                target_address,
                target_name,
                state,
                self._x86_arguments,
                reading,
                depth,
                visited,
                instruction.address,
            )
            for register in self._x86_caller_saved:
                state.pop(register, None)
            if result is not None:
                state["rax"] = result
            return "stop" if mnemonic == "jmp" else None
        if mnemonic in ("ret", "ud2", "hlt", "int3"):
            return "stop"
        if mnemonic in ("mov", "movabs", "movq", "movd") and len(operands) == 2:
            destination, source = operands
            if destination.type == capstone_x86.X86_OP_REG and self._is_vector(instruction, destination.reg):
                state[self._x86_register(instruction, destination.reg)] = None
                return None
            value = self._x86_value(instruction, source, state, reading)
            if destination.type == capstone_x86.X86_OP_REG:
                state[self._x86_register(instruction, destination.reg)] = value
            elif destination.type == capstone_x86.X86_OP_MEM:
                self.store(
                    reading, self._x86_address(instruction, destination, state), value, destination.size
                )
            return None
        if (
            mnemonic in ("movups", "movaps", "movdqa", "movdqu", "vmovups", "vmovaps", "vmovdqa", "vmovdqu")
            and len(operands) == 2
        ):
            destination, source = operands
            if destination.type == capstone_x86.X86_OP_REG:
                pointer = (
                    self._x86_address(instruction, source, state)
                    if source.type == capstone_x86.X86_OP_MEM
                    else None
                )
                if isinstance(pointer, Pointer) and destination.size == 16:
                    state[self._x86_register(instruction, destination.reg)] = (
                        "vector",
                        self.load(reading, pointer, 8),
                        self.load(reading, pointer.moved(8), 8),
                    )
                elif source.type == capstone_x86.X86_OP_REG:
                    state[self._x86_register(instruction, destination.reg)] = state.get(
                        self._x86_register(instruction, source.reg)
                    )
                else:
                    state[self._x86_register(instruction, destination.reg)] = None
            elif destination.type == capstone_x86.X86_OP_MEM and source.type == capstone_x86.X86_OP_REG:
                vector = state.get(self._x86_register(instruction, source.reg))
                pointer = self._x86_address(instruction, destination, state)
                if isinstance(vector, tuple) and vector and vector[0] == "vector" and destination.size == 16:
                    self.store(reading, pointer, vector[1], 8)
                    self.store(
                        reading, pointer.moved(8) if isinstance(pointer, Pointer) else None, vector[2], 8
                    )
                elif isinstance(pointer, Pointer):
                    self.store(reading, pointer, None, 8)
                    self.store(reading, pointer.moved(8), None, 8)
            return None
        if (
            mnemonic in ("pxor", "xorps", "vpxor", "vxorps")
            and len(operands) >= 2
            and operands[0].type == capstone_x86.X86_OP_REG
            and operands[-1].type == capstone_x86.X86_OP_REG
            and operands[0].reg == operands[-1].reg
        ):
            state[self._x86_register(instruction, operands[0].reg)] = ("vector", 0, 0)
            return None
        if (
            mnemonic in ("movzx", "movsx", "movsxd")
            and len(operands) == 2
            and operands[0].type == capstone_x86.X86_OP_REG
        ):
            value = self._x86_value(instruction, operands[1], state, reading)
            if isinstance(value, int) and mnemonic != "movzx":
                bits = 8 * operands[1].size
                value = value - (1 << bits) if value >= 1 << (bits - 1) else value
            state[self._x86_register(instruction, operands[0].reg)] = (
                value if isinstance(value, int) else None
            )
            return None
        if (
            mnemonic in ("xor", "and", "or")
            and len(operands) == 2
            and operands[0].type == capstone_x86.X86_OP_REG
            and operands[1].type == capstone_x86.X86_OP_IMM
            and isinstance(state.get(self._x86_register(instruction, operands[0].reg)), int)
        ):
            # Small integer arithmetic on flags, e.g. PyO3's `gil_used ^ 1` for the SetGIL value.
            register = self._x86_register(instruction, operands[0].reg)
            value, immediate = state[register], operands[1].imm
            state[register] = (
                value ^ immediate
                if mnemonic == "xor"
                else value & immediate
                if mnemonic == "and"
                else value | immediate
            ) & ((1 << 64) - 1)
            return None
        if mnemonic == "lea" and len(operands) == 2:
            state[self._x86_register(instruction, operands[0].reg)] = self._x86_address(
                instruction, operands[1], state
            )
            return None
        if (
            mnemonic == "xor"
            and len(operands) == 2
            and operands[0].type == capstone_x86.X86_OP_REG
            and operands[1].type == capstone_x86.X86_OP_REG
            and operands[0].reg == operands[1].reg
        ):
            state[self._x86_register(instruction, operands[0].reg)] = 0
            return None
        if (
            mnemonic in ("add", "sub")
            and len(operands) == 2
            and operands[0].type == capstone_x86.X86_OP_REG
            and operands[1].type == capstone_x86.X86_OP_IMM
        ):
            register = self._x86_register(instruction, operands[0].reg)
            value = state.get(register)
            delta = operands[1].imm if mnemonic == "add" else -operands[1].imm
            if isinstance(value, Pointer):
                state[register] = value.moved(delta)
            elif isinstance(value, int):
                state[register] = (value + delta) & ((1 << 64) - 1)
            else:
                state[register] = None
            return None
        if mnemonic == "push":
            stack = state.get("rsp")
            if isinstance(stack, Pointer):
                state["rsp"] = stack.moved(-8)
                if operands:
                    self.store(
                        reading, state["rsp"], self._x86_value(instruction, operands[0], state, reading), 8
                    )
            return None
        if mnemonic == "pop":
            stack = state.get("rsp")
            if operands and operands[0].type == capstone_x86.X86_OP_REG:
                state[self._x86_register(instruction, operands[0].reg)] = self.load(reading, stack, 8)
            if isinstance(stack, Pointer):
                state["rsp"] = stack.moved(8)
            return None
        # Anything else: forget every register it writes (cmp/test/jcc write only flags).
        try:
            _read, written = instruction.regs_access()
        except capstone.CsError:
            written = []
        for register_id in written:
            state.pop(self._x86_register(instruction, register_id), None)
        for operand in operands:
            if operand.type == capstone_x86.X86_OP_MEM and operand.access & capstone.CS_AC_WRITE:
                self.store(reading, self._x86_address(instruction, operand, state), None, operand.size)
        return None

    @staticmethod
    def _is_vector(instruction, register_id: int) -> bool:
        return instruction.reg_name(register_id).startswith(("xmm", "ymm", "zmm"))

    # -- aarch64 ------------------------------------------------------------------------------
    _ARM64_CALLER_SAVED = tuple(f"x{number}" for number in range(19))
    _ARM64_ARGUMENTS = tuple(f"x{number}" for number in range(8))  # AAPCS64 integer arguments

    @staticmethod
    def _arm64_register(instruction, register_id: int) -> str:
        name = instruction.reg_name(register_id)
        if name.startswith("w") and name[1:].isdigit():
            return "x" + name[1:]
        if name in ("wzr", "xzr"):
            return "xzr"
        return name

    def _arm64_value(self, instruction, operand, state: dict) -> object:
        if operand.type == capstone_arm64.ARM64_OP_IMM:
            return operand.imm
        if operand.type == capstone_arm64.ARM64_OP_REG:
            register = self._arm64_register(instruction, operand.reg)
            return 0 if register == "xzr" else state.get(register)
        return None

    def _arm64_address(self, instruction, operand, state: dict) -> object:
        if operand.type != capstone_arm64.ARM64_OP_MEM or operand.mem.index != 0:
            return None
        base = state.get(self._arm64_register(instruction, operand.mem.base))
        return base.moved(operand.mem.disp) if isinstance(base, Pointer) else None

    def _arm64_vector_move(self, instruction, mnemonic: str, operands, state: dict, reading) -> None:
        registers = [operand for operand in operands if operand.type == capstone_arm64.ARM64_OP_REG]
        memory = next((operand for operand in operands if operand.type == capstone_arm64.ARM64_OP_MEM), None)
        pointer = self._arm64_address(instruction, memory, state) if memory is not None else None
        for number, operand in enumerate(registers[: 2 if mnemonic in ("ldp", "stp") else 1]):
            name = instruction.reg_name(operand.reg)
            place = pointer.moved(16 * number) if isinstance(pointer, Pointer) else None
            if mnemonic.startswith("ld"):
                state[name] = _vector_parts(self, reading, place)
            else:
                vector = state.get(name)
                low, high = (vector[1], vector[2]) if isinstance(vector, tuple) else (None, None)
                self.store(reading, place, low, 8)
                self.store(reading, place.moved(8) if place is not None else None, high, 8)

    def _step_arm64(
        self,
        instruction,
        state: dict,
        reading: CodeReading,
        depth: int,
        visited: set,
        bounds: tuple[int, int],
    ) -> str | None:
        mnemonic = instruction.mnemonic
        operands = instruction.operands
        if mnemonic in ("bl", "b") and operands and operands[0].type == capstone_arm64.ARM64_OP_IMM:
            target = operands[0].imm
            if mnemonic == "b" and bounds[0] <= target < bounds[1]:
                return None
            result = self._call(
                target, None, state, self._ARM64_ARGUMENTS, reading, depth, visited, instruction.address
            )
            for register in self._ARM64_CALLER_SAVED:
                state.pop(register, None)
            if result is not None:
                state["x0"] = result
            return "stop" if mnemonic == "b" else None
        if mnemonic in ("blr", "br") and operands and operands[0].type == capstone_arm64.ARM64_OP_REG:
            # ``adrp x8, slot@PAGE; ldr x8, [x8, slot@PAGEOFF]; blr x8``: how Mach-O code
            # reaches a GOT entry and Windows arm64 code an IAT entry without a stub.
            pointer = state.get(self._arm64_register(instruction, operands[0].reg))
            target = name = None
            if isinstance(pointer, ImportedAddress):
                name = pointer.symbol
            elif (
                isinstance(pointer, Pointer)
                and pointer.region == STATIC
                and pointer.offset
                and self.image.is_executable(pointer.offset)
            ):
                target = pointer.offset
            if name is not None or target is not None:
                result = self._call(
                    target, name, state, self._ARM64_ARGUMENTS, reading, depth, visited, instruction.address
                )
                for register in self._ARM64_CALLER_SAVED:
                    state.pop(register, None)
                if result is not None:
                    state["x0"] = result
                return "stop" if mnemonic == "br" else None
        if mnemonic in ("ret", "br", "brk"):
            return "stop"
        if mnemonic in ("blr",):
            reading.calls.append(
                CallEvent(
                    INDIRECT,
                    instruction.address,
                    tuple(state.get(register) for register in self._ARM64_ARGUMENTS[:2]),
                )
            )
            for register in self._ARM64_CALLER_SAVED:
                state.pop(register, None)
            return None
        if mnemonic in ("adrp", "adr") and len(operands) == 2:
            state[self._arm64_register(instruction, operands[0].reg)] = Pointer(STATIC, operands[1].imm)
            return None
        if mnemonic in ("mov", "movz", "orr") and len(operands) >= 2:
            source = operands[-1] if mnemonic != "orr" else operands[2] if len(operands) > 2 else None
            if mnemonic == "orr" and (
                len(operands) != 3 or self._arm64_register(instruction, operands[1].reg) != "xzr"
            ):
                state[self._arm64_register(instruction, operands[0].reg)] = None
                return None
            value = self._arm64_value(instruction, source, state) if source is not None else None
            if isinstance(value, int) and mnemonic == "movz" and source.shift.value:
                value <<= source.shift.value
            state[self._arm64_register(instruction, operands[0].reg)] = value
            return None
        if (
            mnemonic in ("add", "sub")
            and len(operands) == 3
            and operands[2].type == capstone_arm64.ARM64_OP_IMM
        ):
            base = state.get(self._arm64_register(instruction, operands[1].reg))
            delta = operands[2].imm << (operands[2].shift.value or 0)
            delta = delta if mnemonic == "add" else -delta
            destination = self._arm64_register(instruction, operands[0].reg)
            if isinstance(base, Pointer):
                state[destination] = base.moved(delta)
            elif isinstance(base, int):
                state[destination] = base + delta
            else:
                state[destination] = None
            return None
        if (
            mnemonic in ("ldr", "ldur", "str", "stur", "ldp", "stp")
            and operands
            and operands[0].type == capstone_arm64.ARM64_OP_REG
            and instruction.reg_name(operands[0].reg).startswith("q")
        ):
            # 16-byte vector moves: clang and MSVC copy a PyModuleDef_Slot record built on
            # the stack into its static array with ldr/ldp/str/stp of q registers.
            self._arm64_vector_move(instruction, mnemonic, operands, state, reading)
            return None
        if mnemonic == "ldp" and len(operands) == 3:
            size = 8 if instruction.reg_name(operands[0].reg).startswith("x") else 4
            pointer = self._arm64_address(instruction, operands[2], state)
            for number, operand in enumerate(operands[:2]):
                state[self._arm64_register(instruction, operand.reg)] = self.load(
                    reading, pointer.moved(number * size) if isinstance(pointer, Pointer) else None, size
                )
            return None
        if mnemonic in ("ldr", "ldur") and len(operands) == 2:
            pointer = self._arm64_address(instruction, operands[1], state)
            size = 8 if instruction.reg_name(operands[0].reg).startswith("x") else 4
            state[self._arm64_register(instruction, operands[0].reg)] = self.load(reading, pointer, size)
            return None
        if mnemonic in ("str", "stur") and len(operands) == 2:
            size = 8 if instruction.reg_name(operands[0].reg).startswith("x") else 4
            value = self._arm64_value(instruction, operands[0], state)
            self.store(reading, self._arm64_address(instruction, operands[1], state), value, size)
            return None
        if mnemonic == "stp" and len(operands) == 3:
            size = 8 if instruction.reg_name(operands[0].reg).startswith("x") else 4
            pointer = self._arm64_address(instruction, operands[2], state)
            self.store(reading, pointer, self._arm64_value(instruction, operands[0], state), size)
            if isinstance(pointer, Pointer):
                self.store(
                    reading, pointer.moved(size), self._arm64_value(instruction, operands[1], state), size
                )
            return None
        try:
            _read, written = instruction.regs_access()
        except capstone.CsError:
            written = (
                [operands[0].reg] if operands and operands[0].type == capstone_arm64.ARM64_OP_REG else []
            )
        for register_id in written:
            state.pop(self._arm64_register(instruction, register_id), None)
        return None


def _vector_parts(reader: CodeReader, reading: CodeReading, pointer: object) -> tuple:
    if not isinstance(pointer, Pointer):
        return ("vector", None, None)
    return ("vector", reader.load(reading, pointer, 8), reader.load(reading, pointer.moved(8), 8))


def _is_x86_epilogue(instruction) -> bool:
    """``pop``, ``leave``, or ``add``/``lea``/``mov`` into rsp: tearing the frame down."""
    mnemonic = instruction.mnemonic
    if mnemonic in ("pop", "leave"):
        return True
    return mnemonic in ("add", "lea", "mov") and instruction.op_str.startswith("rsp,")


_X86_EXITS = ("ret", "jmp")
_ARM64_EXITS = ("ret", "retaa", "retab", "b", "br")


def _is_arm64_epilogue(instruction) -> bool:
    """Restoring saved registers from the frame (``ldp x19, x20, [sp, #16]``, ``ldp x29,
    x30, [sp], #32``), popping it (``add sp, sp, #N``) or authenticating the return address.

    GCC and Clang put cold paths (pybind11's guarded static slot array, filled under
    ``__cxa_guard_acquire``) after the ``ret`` of aarch64 code as they do on x86-64; they
    run with the body's registers, which the epilogue has just overwritten.
    """
    mnemonic, operands = instruction.mnemonic, instruction.op_str
    if mnemonic in ("ldp", "ldr") and "[sp" in operands:
        return True
    if mnemonic == "add" and operands.startswith("sp, sp"):
        return True
    return mnemonic in ("autiasp", "autibsp")


def _x86_register_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for full, low32, low16, low8 in (
        ("rax", "eax", "ax", "al"),
        ("rbx", "ebx", "bx", "bl"),
        ("rcx", "ecx", "cx", "cl"),
        ("rdx", "edx", "dx", "dl"),
        ("rsi", "esi", "si", "sil"),
        ("rdi", "edi", "di", "dil"),
        ("rbp", "ebp", "bp", "bpl"),
        ("rsp", "esp", "sp", "spl"),
    ):
        for alias in (full, low32, low16, low8):
            names[alias] = full
    for number in range(8, 16):
        for suffix in ("", "d", "w", "b"):
            names[f"r{number}{suffix}"] = f"r{number}"
    return names


_X86_CANONICAL = _x86_register_names()
