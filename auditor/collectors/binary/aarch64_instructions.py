"""What aarch64 instructions do to the code reader's abstract state (:mod:`.code_reader`).

AAPCS64 passes the first integer arguments in x0-x7 and lets a callee clobber x0-x18;
Apple's and Microsoft's arm64 ABIs keep that. :class:`Aarch64Instructions` models the
instructions module initialisation is built from: ``adrp``/``adr`` page addresses,
moves, immediate ``add``/``sub``, loads and stores (pairs and 16-byte q registers
included), and branches with link (direct, or through a register the code loaded from
the GOT or the IAT). Any other instruction forgets the registers it writes.
"""

from __future__ import annotations

import capstone
from capstone import arm64 as capstone_arm64

from .reader_services import CodeReaderServices
from .symbolic_values import INDIRECT, STATIC, CallEvent, CodeReading, ImportedAddress, Pointer

# A handler's answer when the instruction is not one it models after all: the reader then
# forgets what the instruction writes, as for any instruction without a handler.
_NOT_MODELLED = object()
_MEMORY_MOVES = ("ldr", "ldur", "str", "stur", "ldp", "stp")
# Byte and halfword moves (zero-extending loads): a Rust ``bool`` lives in one byte. PyO3
# 0.23-0.27 stores ``gil_used`` with ``strb`` into the frame, hands a closure a pointer to
# it, and the closure reads it back with ``ldrb`` before ``PyUnstable_Module_SetGIL``.
_NARROW_MOVES = {"ldrb": 1, "ldurb": 1, "strb": 1, "sturb": 1, "ldrh": 2, "ldurh": 2, "strh": 2, "sturh": 2}


class Aarch64Instructions:
    """aarch64 for one :class:`~.code_reader.CodeReader`."""

    machine = "aarch64"
    return_register = "x0"
    stack_register = "sp"
    # A function's straight-line path ends here; what follows an epilogue and one of
    # these is a cold path that runs in the body's frame.
    exits = ("ret", "retaa", "retab", "b", "br")
    caller_saved = tuple(f"x{number}" for number in range(19))
    arguments = tuple(f"x{number}" for number in range(8))  # AAPCS64 integer arguments

    def __init__(self, reader: CodeReaderServices, calling_convention: str) -> None:
        self.reader = reader
        handlers = {
            ("bl", "b", "blr", "br", "ret", "brk"): self._branch,
            ("adrp", "adr"): self._page_address,
            ("mov", "movz", "orr"): self._move,
            ("add", "sub"): self._add_or_subtract,
            (*_MEMORY_MOVES, *_NARROW_MOVES): self._memory_move,
            ("and", "eor", "mvn"): self._logic,
        }
        self._handlers = {mnemonic: handler for names, handler in handlers.items() for mnemonic in names}

    # -- operands -----------------------------------------------------------------------------
    @staticmethod
    def register(instruction, register_id: int) -> str:
        name = instruction.reg_name(register_id)
        if name.startswith("w") and name[1:].isdigit():
            return "x" + name[1:]
        if name in ("wzr", "xzr"):
            return "xzr"
        return name

    def value(self, instruction, operand, state: dict) -> object:
        if operand.type == capstone_arm64.ARM64_OP_IMM:
            return operand.imm
        if operand.type == capstone_arm64.ARM64_OP_REG:
            register = self.register(instruction, operand.reg)
            return 0 if register == "xzr" else state.get(register)
        return None

    def address(self, instruction, operand, state: dict) -> object:
        if operand.type != capstone_arm64.ARM64_OP_MEM or operand.mem.index != 0:
            return None
        base = state.get(self.register(instruction, operand.mem.base))
        return base.moved(operand.mem.disp) if isinstance(base, Pointer) else None

    # -- the frame ----------------------------------------------------------------------------
    @staticmethod
    def is_epilogue(instruction) -> bool:
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

    def stub_import(self, code: bytes, address: int) -> str | None:
        """The import a PLT entry jumps to: ``adrp x16, page; ldr x17, [x16, #off]; add x16,
        x16, #off; br x17``."""
        page = None
        for instruction in self.reader.engine.disasm(code, address):
            if instruction.mnemonic == "adrp":
                page = instruction.operands[1].imm
            elif instruction.mnemonic == "ldr" and page is not None:
                return self.reader.imported_name_at_got(page + instruction.operands[1].mem.disp)
        return None

    # -- one instruction ----------------------------------------------------------------------
    def step(
        self,
        instruction,
        state: dict,
        reading: CodeReading,
        depth: int,
        visited: set,
        bounds: tuple[int, int],
    ) -> str | None:
        """Apply one instruction to ``state``; "stop" when the straight-line path ends here."""
        mnemonic = instruction.mnemonic
        operands = instruction.operands
        handler = self._handlers.get(mnemonic)
        if handler is not None:
            outcome = handler(mnemonic, instruction, operands, state, reading, (depth, visited, bounds))
            if outcome is not _NOT_MODELLED:
                return outcome
        try:
            _read, written = instruction.regs_access()
        except capstone.CsError:
            written = (
                [operands[0].reg] if operands and operands[0].type == capstone_arm64.ARM64_OP_REG else []
            )
        for register_id in written:
            state.pop(self.register(instruction, register_id), None)
        return None

    def _call(self, target, name, state, reading, walk, call_address) -> None:
        depth, visited, _bounds = walk
        result = self.reader.follow_call(
            target, name, state, self.arguments, reading, depth, visited, call_address
        )
        for register in self.caller_saved:
            state.pop(register, None)
        if result is not None:
            state["x0"] = result

    def _branch(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if mnemonic in ("bl", "b") and operands and operands[0].type == capstone_arm64.ARM64_OP_IMM:
            target = operands[0].imm
            bounds = walk[2]
            if mnemonic == "b" and bounds[0] <= target < bounds[1]:
                return None
            self._call(target, None, state, reading, walk, instruction.address)
            return "stop" if mnemonic == "b" else None
        if mnemonic in ("blr", "br") and operands and operands[0].type == capstone_arm64.ARM64_OP_REG:
            # ``adrp x8, slot@PAGE; ldr x8, [x8, slot@PAGEOFF]; blr x8``: how Mach-O code
            # reaches a GOT entry and Windows arm64 code an IAT entry without a stub.
            pointer = state.get(self.register(instruction, operands[0].reg))
            target = name = None
            if isinstance(pointer, ImportedAddress):
                name = pointer.symbol
            elif (
                isinstance(pointer, Pointer)
                and pointer.region == STATIC
                and pointer.offset
                and self.reader.image.is_executable(pointer.offset)
            ):
                target = pointer.offset
            if name is not None or target is not None:
                self._call(target, name, state, reading, walk, instruction.address)
                return "stop" if mnemonic == "br" else None
        if mnemonic in ("ret", "br", "brk"):
            return "stop"
        if mnemonic == "blr":
            reading.calls.append(
                CallEvent(
                    INDIRECT,
                    instruction.address,
                    tuple(state.get(register) for register in self.arguments[:2]),
                )
            )
            for register in self.caller_saved:
                state.pop(register, None)
            return None
        return _NOT_MODELLED

    def _page_address(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) != 2:
            return _NOT_MODELLED
        state[self.register(instruction, operands[0].reg)] = Pointer(STATIC, operands[1].imm)
        return None

    def _move(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) < 2:
            return _NOT_MODELLED
        source = operands[-1] if mnemonic != "orr" else operands[2] if len(operands) > 2 else None
        if mnemonic == "orr" and (len(operands) != 3 or self.register(instruction, operands[1].reg) != "xzr"):
            state[self.register(instruction, operands[0].reg)] = None
            return None
        value = self.value(instruction, source, state) if source is not None else None
        if isinstance(value, int) and mnemonic == "movz" and source.shift.value:
            value <<= source.shift.value
        state[self.register(instruction, operands[0].reg)] = value
        return None

    def _add_or_subtract(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) != 3 or operands[2].type != capstone_arm64.ARM64_OP_IMM:
            return _NOT_MODELLED
        base = state.get(self.register(instruction, operands[1].reg))
        delta = operands[2].imm << (operands[2].shift.value or 0)
        delta = delta if mnemonic == "add" else -delta
        destination = self.register(instruction, operands[0].reg)
        if isinstance(base, Pointer):
            state[destination] = base.moved(delta)
        elif isinstance(base, int):
            state[destination] = base + delta
        else:
            state[destination] = None
        return None

    def _memory_move(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if (
            operands
            and operands[0].type == capstone_arm64.ARM64_OP_REG
            and instruction.reg_name(operands[0].reg).startswith("q")
        ):
            # 16-byte vector moves: clang and MSVC copy a PyModuleDef_Slot record built on
            # the stack into its static array with ldr/ldp/str/stp of q registers.
            self._vector_move(instruction, mnemonic, operands, state, reading)
            return None
        pair = mnemonic in ("ldp", "stp")
        if len(operands) != (3 if pair else 2):
            return _NOT_MODELLED
        size = _NARROW_MOVES.get(mnemonic) or (
            8 if instruction.reg_name(operands[0].reg).startswith("x") else 4
        )
        mnemonic = mnemonic.rstrip("bh") if mnemonic in _NARROW_MOVES else mnemonic
        load, store = self.reader.load, self.reader.store
        pointer = self.address(instruction, operands[-1], state)
        if mnemonic in ("str", "stur") and size < 4:
            value = self.value(instruction, operands[0], state)
            store(reading, pointer, value & ((1 << (8 * size)) - 1) if isinstance(value, int) else None, size)
            return None
        if mnemonic == "ldp":
            for number, operand in enumerate(operands[:2]):
                state[self.register(instruction, operand.reg)] = load(
                    reading, pointer.moved(number * size) if isinstance(pointer, Pointer) else None, size
                )
        elif mnemonic in ("ldr", "ldur"):
            value = load(reading, pointer, size)
            # A byte or halfword is a number, never a whole pointer stored there.
            state[self.register(instruction, operands[0].reg)] = (
                value if size >= 4 or isinstance(value, int) else None
            )
        elif mnemonic in ("str", "stur"):
            store(reading, pointer, self.value(instruction, operands[0], state), size)
        else:  # stp
            store(reading, pointer, self.value(instruction, operands[0], state), size)
            if isinstance(pointer, Pointer):
                store(reading, pointer.moved(size), self.value(instruction, operands[1], state), size)
        return None

    def _logic(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        """``and``/``eor`` with an immediate or a register, ``mvn``: how compiled code turns a
        ``bool`` into its negation (``mvn w8, w8; and x1, x8, #1``, or ``eor w1, w8, #1``)."""
        if not operands or operands[0].type != capstone_arm64.ARM64_OP_REG:
            return _NOT_MODELLED
        sources = operands[1:]
        if any(operand.shift.type for operand in sources):
            return _NOT_MODELLED  # shifted operands: not what a bool negation looks like
        values = [self.value(instruction, operand, state) for operand in sources]
        destination = self.register(instruction, operands[0].reg)
        mask = (1 << (64 if instruction.reg_name(operands[0].reg).startswith("x") else 32)) - 1
        result = None
        if all(isinstance(value, int) for value in values):
            if mnemonic == "mvn" and len(values) == 1:
                result = ~values[0] & mask
            elif mnemonic in ("and", "eor") and len(values) == 2:
                result = (values[0] & values[1] if mnemonic == "and" else values[0] ^ values[1]) & mask
        state[destination] = result
        return None

    def _vector_move(self, instruction, mnemonic: str, operands, state: dict, reading: CodeReading) -> None:
        registers = [operand for operand in operands if operand.type == capstone_arm64.ARM64_OP_REG]
        memory = next((operand for operand in operands if operand.type == capstone_arm64.ARM64_OP_MEM), None)
        pointer = self.address(instruction, memory, state) if memory is not None else None
        load, store = self.reader.load, self.reader.store
        for number, operand in enumerate(registers[: 2 if mnemonic in ("ldp", "stp") else 1]):
            name = instruction.reg_name(operand.reg)
            place = pointer.moved(16 * number) if isinstance(pointer, Pointer) else None
            if mnemonic.startswith("ld"):
                state[name] = (
                    ("vector", load(reading, place, 8), load(reading, place.moved(8), 8))
                    if isinstance(place, Pointer)
                    else ("vector", None, None)
                )
            else:
                vector = state.get(name)
                low, high = (vector[1], vector[2]) if isinstance(vector, tuple) else (None, None)
                store(reading, place, low, 8)
                store(reading, place.moved(8) if place is not None else None, high, 8)
