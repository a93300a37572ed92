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

This module holds the walk (budgets, decoding, calls, memory); what each instruction does
to the state is per architecture, in :mod:`.x86_64_instructions` and
:mod:`.aarch64_instructions`; the values themselves are in :mod:`.symbolic_values`.
"""

from __future__ import annotations

import itertools

import capstone

from .aarch64_instructions import Aarch64Instructions
from .image import BinaryImage
from .symbolic_values import STATIC, CallEvent, CodeReading, ImportedAddress, Pointer, StoredValue
from .x86_64_instructions import X86Instructions

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
# A function is read again for each new set of constant arguments (another vtable), but
# not without end: Rust calls its panic and formatting helpers with a different &Location
# from every call site, and those re-reads took 2,400 of the 6,000 instructions of
# watchfiles 1.1.1's arm64 init (cp314t, macOS) before PyO3's PyUnstable_Module_SetGIL
# call. The closures that declare are reached on their first few readings.
_MAX_READS_PER_FUNCTION = 8
# No one call may spend more than this share of what is left to its caller: PyO3 0.25's
# make_module on macOS x86-64 (nh3 0.3.0) comes after a PyErr::take whose formatting code
# took 6,000 instructions, the whole budget, so the SetGIL call after it was never read. A
# callee cut short leaves the reading truncated (never "never declared"), as the budget does.
_CALLEE_SHARE = 0.75
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
# A function that only returns a constant is a handful of instructions: ``xor eax, eax;
# ret`` from MSVC, ``push rbp; mov rbp, rsp; mov eax, 0; pop rbp; ret`` from gcc -O0,
# ``bti c; mov w0, wzr; ret`` on arm64. Anything longer is read by the walk above.
_CONSTANT_RETURN_LIMIT = 16
_RETURNS = frozenset({"ret", "retq", "retaa", "retab"})
# Control leaves the straight line (a call, a jump, a trap): not a function that only returns.
_LEAVING_GROUPS = (
    capstone.CS_GRP_CALL,
    capstone.CS_GRP_JUMP,
    capstone.CS_GRP_INT,
    capstone.CS_GRP_IRET,
    capstone.CS_GRP_BRANCH_RELATIVE,
)


class _ColdPathStates:
    """The registers each cold path starts with: those of the branch that jumps to it.

    Compilers put a function's rare paths after its ``ret``; the linear walk reaches them
    with whatever the last block left, which may be another path's values. PyO3 0.25's
    ``ModuleDef::make_module`` caller in nh3 0.3.0 (macOS arm64) keeps ``gil_used`` in x20,
    overwrites x20 on the path that returns early, and reaches the ``make_module`` call
    through ``cbnz`` into the code after the ``ret``: read with the early path's x20, the
    SetGIL value was lost. So past the first exit, an address some forward conditional
    branch jumps to starts from the state at that branch (the first one, when several do).
    """

    def __init__(self) -> None:
        self.at_branch: dict[int, dict] = {}
        self.past_exit = False

    def remember(self, instruction, state: dict, exits: tuple[str, ...], end: int) -> None:
        if instruction.mnemonic in exits or not instruction.group(capstone.CS_GRP_JUMP):
            return
        operands = instruction.operands
        if operands and operands[-1].type == capstone.CS_OP_IMM:
            target = operands[-1].imm
            if instruction.address < target < end and target not in self.at_branch:
                self.at_branch[target] = dict(state)

    def enter(self, instruction, state: dict) -> None:
        if self.past_exit and instruction.address in self.at_branch:
            state.clear()
            state.update(self.at_branch.pop(instruction.address))


class CodeReader:
    """Reads the init function of one :class:`~.image.BinaryImage`; see the module docstring."""

    def __init__(self, image: BinaryImage) -> None:
        self.image = image
        # What each instruction does to the registers and memory the walk tracks, in the
        # image's calling convention (System V or Microsoft x64; AAPCS64 on every arm64).
        self.instructions: X86Instructions | Aarch64Instructions
        if image.machine == "x86_64":
            self.engine = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
            self.instructions = X86Instructions(self, image.calling_convention)
        elif image.machine == "aarch64":
            self.engine = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
            self.instructions = Aarch64Instructions(self, image.calling_convention)
        else:
            raise ValueError(f"cannot read {image.machine} machine code (x86-64 and aarch64 only)")
        self.engine.detail = True
        self._plt_cache: dict[int, str | None] = {}
        self._heap_counter = itertools.count(1)
        self._function_sizes: dict[int, int] | None = None
        self._exported_by_address: dict[int, str] | None = None
        self.follow_calls = True
        # The instruction count at which the function being read stops (see _CALLEE_SHARE).
        self._limit = _INSTRUCTION_BUDGET

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

    def got_target(self, slot: int) -> tuple[str | None, int | None]:
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
        code = self.image.read(address, 16)
        name = self.instructions.stub_import(code, address) if code else None
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
        self._limit = _INSTRUCTION_BUDGET
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

    def returns_constant_null(self, address: int, size: int | None = None) -> bool:
        """Whether the function at ``address`` returns NULL (0) on its only path, calling and
        jumping nowhere: it cannot create anything. pycryptodome's Windows ``_raw_*.pyd``
        export such a ``PyInit__<name>`` (``FAKE_INIT`` in src/common.h) only because the
        MSVC build wants the export; the library is loaded with ctypes.

        A function with a branch, a call or a trap before its ``ret``, or whose return
        register is not known to be 0 there, is not one: its other paths may return a module.
        """
        size = self._function_size(address) if size is None else size
        window = min(size or _UNSIZED_FUNCTION_LIMIT, _CONSTANT_RETURN_LIMIT * _MAX_INSTRUCTION_BYTES)
        code = self.image.read(address, window) if self.image.is_mapped(address, 1) else None
        if not code:
            return False
        instructions = self.instructions
        reading = CodeReading()
        state: dict = {instructions.stack_register: Pointer(("stack", next(self._heap_counter)), 0)}
        for instruction in self.engine.disasm(code, address, _CONSTANT_RETURN_LIMIT):
            if instruction.mnemonic.rsplit(" ", 1)[-1] in _RETURNS:
                return state.get(instructions.return_register) == 0
            if any(instruction.group(group) for group in _LEAVING_GROUPS):
                return False
            instructions.step(instruction, state, reading, 0, set(), (address, address + window))
            if reading.calls:
                return False
        return False

    def read_initialisers(self, reading: CodeReading) -> int:
        """Walk the functions in ``.init_array`` (C++ dynamic initialisers) into ``reading``.

        A C++ ``static PyModuleDef_Slot slots[] = {...}`` whose values are not constant
        expressions is zero in the file and filled by such a function before PyInit runs.
        Returns how many functions were read.
        """
        count = 0
        self.follow_calls = True  # initialisers call helpers for the values they store
        self._limit = _INSTRUCTION_BUDGET
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
        if key in visited or reading.reads_of.get(address, 0) >= _MAX_READS_PER_FUNCTION:
            return None
        visited.add(key)
        reading.reads_of[address] = reading.reads_of.get(address, 0) + 1
        window = min(size, _SIZED_FUNCTION_LIMIT) if size else _UNSIZED_FUNCTION_LIMIT
        if not self.image.is_mapped(address, window):
            reading.problems.append(f"no code at {address:#x}")
            return None
        # +1: one instruction past the budget is what tells "truncated" from "ended".
        remaining = max(0, self._limit - reading.instructions) + 1
        code = self.image.read(address, min(window, remaining * _MAX_INSTRUCTION_BYTES))
        if not code:
            reading.problems.append(f"no code at {address:#x}")
            return None
        end = address + window
        state = dict(registers)
        instructions = self.instructions
        state[instructions.stack_register] = Pointer(("stack", next(self._heap_counter)), 0)
        returned: list[object] = []
        # The registers (and frame) of the body just before an epilogue: the code after the
        # ``ret`` (cold paths) runs in that frame, not in the caller's one the epilogue restores.
        before_epilogue: dict | None = None
        cold = _ColdPathStates()
        for instruction in self._decode(code, address, reading):
            reading.instructions += 1
            if reading.instructions > self._limit:
                reading.truncated = True
                break
            cold.enter(instruction, state)
            cold.remember(instruction, state, instructions.exits, end)
            if instruction.mnemonic == "ret" and not returned:
                returned.append(state.get(instructions.return_register))  # the straight-line path's result
            if instructions.is_epilogue(instruction):
                if before_epilogue is None:
                    before_epilogue = dict(state)
            elif instruction.mnemonic not in instructions.exits:
                before_epilogue = None
            outcome = instructions.step(instruction, state, reading, depth, visited, (address, end))
            if outcome == "stop":
                if not size:
                    # Without a size we cannot tell cold paths from the next function: stop.
                    break
                if before_epilogue is not None:
                    state.clear()
                    state.update(before_epilogue)
                    before_epilogue = None
                cold.past_exit = True
        return returned[0] if returned else None

    def _decode(self, code: bytes, address: int, reading: CodeReading):
        """Instructions of ``code`` from its start, decoded a chunk at a time.

        Like one ``disasm`` call it stops at the first byte sequence that is no instruction;
        unlike it, work stops when the caller stops asking (the budget, a ``ret``).
        """
        offset = 0
        while offset < len(code):
            count = min(_DECODE_CHUNK, max(1, self._limit - reading.instructions + 1))
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

    def follow_call(
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
        """Record a call, and read the callee when it is this module's own (a few levels deep).

        Returns the callee's result when it is a plain value, a fresh heap block for an
        allocator, else None.
        """
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
                    outer_limit = self._limit
                    self._limit = reading.instructions + int(
                        (outer_limit - reading.instructions) * _CALLEE_SHARE
                    )
                    try:
                        result = self._walk(
                            target_address, callee_size, callee_state, reading, depth + 1, visited
                        )
                    finally:
                        self._limit = outer_limit
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
