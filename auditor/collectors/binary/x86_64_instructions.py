"""What x86-64 instructions do to the code reader's abstract state (:mod:`.code_reader`).

One :class:`X86Instructions` per reader: it knows the calling convention (which registers
carry the first arguments and which a call clobbers) and updates registers and tracked
memory for the instructions generators emit in module initialisation: moves, 16-byte
vector copies of slot records, ``lea``, small integer arithmetic, ``push``/``pop``, and
calls (direct, through the GOT, through a known pointer). Any other instruction forgets
the registers it writes.
"""

from __future__ import annotations

import capstone
from capstone import x86 as capstone_x86

from .reader_services import CodeReaderServices
from .symbolic_values import INDIRECT, STATIC, CallEvent, CodeReading, ImportedAddress, Pointer

# A handler's answer when the instruction is not one it models after all: the reader then
# forgets what the instruction writes, as for any instruction without a handler.
_NOT_MODELLED = object()
_WORD_MASK = (1 << 64) - 1
_VECTOR_MOVES = ("movups", "movaps", "movdqa", "movdqu", "vmovups", "vmovaps", "vmovdqa", "vmovdqu")


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


class X86Instructions:
    """x86-64 for one :class:`~.code_reader.CodeReader`: System V or Microsoft x64."""

    machine = "x86_64"
    return_register = "rax"
    stack_register = "rsp"
    # A function's straight-line path ends here; what follows an epilogue and one of
    # these is a cold path that runs in the body's frame.
    exits = ("ret", "jmp")
    _SYSTEM_V_CALLER_SAVED = ("rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11")
    _SYSTEM_V_ARGUMENTS = ("rdi", "rsi", "rdx", "rcx", "r8", "r9")  # System V AMD64 integer arguments

    def __init__(self, reader: CodeReaderServices, calling_convention: str) -> None:
        self.reader = reader
        # Microsoft x64 passes the first integer arguments in rcx, rdx, r8, r9 and lets a
        # callee clobber rax, rcx, rdx, r8-r11 ("x64 calling convention", Microsoft Learn);
        # System V uses rdi, rsi, rdx, rcx, r8, r9.
        if calling_convention == "win64":
            self.arguments: tuple[str, ...] = ("rcx", "rdx", "r8", "r9")
            self.caller_saved: tuple[str, ...] = ("rax", "rcx", "rdx", "r8", "r9", "r10", "r11")
        else:
            self.arguments = self._SYSTEM_V_ARGUMENTS
            self.caller_saved = self._SYSTEM_V_CALLER_SAVED
        handlers = {
            ("call", "jmp"): self._branch,
            ("ret", "ud2", "hlt", "int3"): self._stop,
            ("mov", "movabs", "movq", "movd"): self._move,
            _VECTOR_MOVES: self._vector_move,
            ("pxor", "xorps", "vpxor", "vxorps"): self._vector_zero,
            ("movzx", "movsx", "movsxd"): self._extend,
            ("xor", "and", "or"): self._logic,
            ("not",): self._not,
            ("lea",): self._lea,
            ("add", "sub"): self._add_or_subtract,
            ("push",): self._push,
            ("pop",): self._pop,
        }
        self._handlers = {mnemonic: handler for names, handler in handlers.items() for mnemonic in names}

    # -- operands -----------------------------------------------------------------------------
    @staticmethod
    def register(instruction, register_id: int) -> str:
        return _X86_CANONICAL.get(instruction.reg_name(register_id), instruction.reg_name(register_id))

    def address(self, instruction, operand, state: dict) -> object:
        memory = operand.mem
        if memory.index != 0:
            return None
        if memory.base == capstone_x86.X86_REG_RIP:
            return Pointer(STATIC, instruction.address + instruction.size + memory.disp)
        if memory.base == 0:
            return None
        base = state.get(self.register(instruction, memory.base))
        return base.moved(memory.disp) if isinstance(base, Pointer) else None

    def value(self, instruction, operand, state: dict, reading: CodeReading) -> object:
        if operand.type == capstone_x86.X86_OP_IMM:
            return operand.imm & ((1 << (8 * operand.size)) - 1) if operand.size < 8 else operand.imm
        if operand.type == capstone_x86.X86_OP_REG:
            value = state.get(self.register(instruction, operand.reg))
            if isinstance(value, int) and operand.size < 8:
                return value & ((1 << (8 * operand.size)) - 1)
            return value
        if operand.type == capstone_x86.X86_OP_MEM:
            return self.reader.load(reading, self.address(instruction, operand, state), operand.size)
        return None

    @staticmethod
    def _is_vector(instruction, register_id: int) -> bool:
        return instruction.reg_name(register_id).startswith(("xmm", "ymm", "zmm"))

    # -- the frame ----------------------------------------------------------------------------
    @staticmethod
    def is_epilogue(instruction) -> bool:
        """``pop``, ``leave``, or ``add``/``lea``/``mov`` into rsp: tearing the frame down."""
        mnemonic = instruction.mnemonic
        if mnemonic in ("pop", "leave"):
            return True
        return mnemonic in ("add", "lea", "mov") and instruction.op_str.startswith("rsp,")

    def stub_import(self, code: bytes, address: int) -> str | None:
        """The import a PLT entry jumps to: ``jmp qword ptr [rip + GOT slot]``."""
        for instruction in self.reader.engine.disasm(code, address):
            if instruction.mnemonic in ("jmp", "bnd jmp") and instruction.operands:
                operand = instruction.operands[0]
                if operand.type == capstone_x86.X86_OP_MEM and operand.mem.base == capstone_x86.X86_REG_RIP:
                    return self.reader.imported_name_at_got(
                        instruction.address + instruction.size + operand.mem.disp
                    )
                return None
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
        if mnemonic.startswith(("bnd ", "notrack ")):
            mnemonic = mnemonic.split(" ", 1)[1]
        operands = instruction.operands
        handler = self._handlers.get(mnemonic)
        if handler is not None:
            outcome = handler(mnemonic, instruction, operands, state, reading, (depth, visited, bounds))
            if outcome is not _NOT_MODELLED:
                return outcome
        self._forget_writes(instruction, operands, state, reading)
        return None

    def _forget_writes(self, instruction, operands, state: dict, reading: CodeReading) -> None:
        # Anything else: forget every register it writes (cmp/test/jcc write only flags).
        try:
            _read, written = instruction.regs_access()
        except capstone.CsError:
            written = []
        for register_id in written:
            state.pop(self.register(instruction, register_id), None)
        for operand in operands:
            if operand.type == capstone_x86.X86_OP_MEM and operand.access & capstone.CS_AC_WRITE:
                self.reader.store(reading, self.address(instruction, operand, state), None, operand.size)

    def _forget_caller_saved(self, state: dict) -> None:
        for register in self.caller_saved:
            state.pop(register, None)

    def _branch(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if not operands:
            return None
        depth, visited, bounds = walk
        operand = operands[0]
        target_address = target_name = None
        if operand.type == capstone_x86.X86_OP_IMM:
            target_address = operand.imm
            if mnemonic == "jmp" and bounds[0] <= target_address < bounds[1]:
                return None  # a branch inside the function: the linear walk covers it
        elif operand.type == capstone_x86.X86_OP_MEM and operand.mem.base == capstone_x86.X86_REG_RIP:
            # -fno-plt (and Rust): call qword ptr [rip + GOT slot]
            slot = instruction.address + instruction.size + operand.mem.disp
            target_name, target_address = self.reader.got_target(slot)
            if target_name is None and target_address is None:
                self._forget_caller_saved(state)
                return "stop" if mnemonic == "jmp" else None
        else:
            # Through a register or memory: a function pointer (or a jump table). When
            # the pointer is known (a vtable or closure in this binary's data) follow it.
            pointer = self.value(instruction, operand, state, reading)
            image = self.reader.image
            if (
                isinstance(pointer, Pointer)
                and pointer.region == STATIC
                and pointer.offset
                and image.is_executable(pointer.offset)
                and not image.in_plt(pointer.offset)
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
                        tuple(state.get(register) for register in self.arguments[:2]),
                    )
                )
                self._forget_caller_saved(state)
                return "stop" if mnemonic == "jmp" else None
        result = self.reader.follow_call(
            target_address, target_name, state, self.arguments, reading, depth, visited, instruction.address
        )
        self._forget_caller_saved(state)
        if result is not None:
            state["rax"] = result
        return "stop" if mnemonic == "jmp" else None

    def _stop(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        return "stop"

    def _move(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) != 2:
            return _NOT_MODELLED
        destination, source = operands
        if destination.type == capstone_x86.X86_OP_REG and self._is_vector(instruction, destination.reg):
            state[self.register(instruction, destination.reg)] = None
            return None
        value = self.value(instruction, source, state, reading)
        if destination.type == capstone_x86.X86_OP_REG:
            state[self.register(instruction, destination.reg)] = value
        elif destination.type == capstone_x86.X86_OP_MEM:
            self.reader.store(reading, self.address(instruction, destination, state), value, destination.size)
        return None

    def _vector_move(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) != 2:
            return _NOT_MODELLED
        destination, source = operands
        if destination.type == capstone_x86.X86_OP_REG:
            self._vector_load(instruction, destination, source, state, reading)
        elif destination.type == capstone_x86.X86_OP_MEM and source.type == capstone_x86.X86_OP_REG:
            vector = state.get(self.register(instruction, source.reg))
            pointer = self.address(instruction, destination, state)
            store = self.reader.store
            if isinstance(vector, tuple) and vector and vector[0] == "vector" and destination.size == 16:
                store(reading, pointer, vector[1], 8)
                store(reading, pointer.moved(8) if isinstance(pointer, Pointer) else None, vector[2], 8)
            elif isinstance(pointer, Pointer):
                store(reading, pointer, None, 8)
                store(reading, pointer.moved(8), None, 8)
        return None

    def _vector_load(self, instruction, destination, source, state: dict, reading: CodeReading) -> None:
        pointer = self.address(instruction, source, state) if source.type == capstone_x86.X86_OP_MEM else None
        if isinstance(pointer, Pointer) and destination.size == 16:
            state[self.register(instruction, destination.reg)] = (
                "vector",
                self.reader.load(reading, pointer, 8),
                self.reader.load(reading, pointer.moved(8), 8),
            )
        elif source.type == capstone_x86.X86_OP_REG:
            state[self.register(instruction, destination.reg)] = state.get(
                self.register(instruction, source.reg)
            )
        else:
            state[self.register(instruction, destination.reg)] = None

    def _vector_zero(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if (
            len(operands) >= 2
            and operands[0].type == capstone_x86.X86_OP_REG
            and operands[-1].type == capstone_x86.X86_OP_REG
            and operands[0].reg == operands[-1].reg
        ):
            state[self.register(instruction, operands[0].reg)] = ("vector", 0, 0)
            return None
        return _NOT_MODELLED

    def _extend(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) != 2 or operands[0].type != capstone_x86.X86_OP_REG:
            return _NOT_MODELLED
        value = self.value(instruction, operands[1], state, reading)
        if isinstance(value, int) and mnemonic != "movzx":
            bits = 8 * operands[1].size
            value = value - (1 << bits) if value >= 1 << (bits - 1) else value
        state[self.register(instruction, operands[0].reg)] = value if isinstance(value, int) else None
        return None

    def _logic(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) != 2 or operands[0].type != capstone_x86.X86_OP_REG:
            return _NOT_MODELLED
        register = self.register(instruction, operands[0].reg)
        if operands[1].type == capstone_x86.X86_OP_IMM and isinstance(state.get(register), int):
            # Small integer arithmetic on flags, e.g. PyO3's `gil_used ^ 1` for the SetGIL value.
            value, immediate = state[register], operands[1].imm
            state[register] = (
                value ^ immediate
                if mnemonic == "xor"
                else value & immediate
                if mnemonic == "and"
                else value | immediate
            ) & _WORD_MASK
            return None
        if (
            mnemonic == "xor"
            and operands[1].type == capstone_x86.X86_OP_REG
            and operands[0].reg == operands[1].reg
        ):
            state[register] = 0
            return None
        return _NOT_MODELLED

    def _not(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        # PyO3 0.25 on macOS x86-64 computes SetGIL's value as ``not r13b; movzx esi, r13b;
        # and esi, 1`` from its gil_used flag.
        if len(operands) != 1 or operands[0].type != capstone_x86.X86_OP_REG:
            return _NOT_MODELLED
        register = self.register(instruction, operands[0].reg)
        value = state.get(register)
        if not isinstance(value, int):
            return _NOT_MODELLED
        size = operands[0].size
        if size == 4:  # a 32-bit result clears the upper half of the 64-bit register
            state[register] = (value ^ 0xFFFFFFFF) & 0xFFFFFFFF
        else:  # 8 and 16-bit forms leave the upper bits alone
            state[register] = (value ^ ((1 << (8 * size)) - 1)) & _WORD_MASK
        return None

    def _lea(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if len(operands) != 2:
            return _NOT_MODELLED
        state[self.register(instruction, operands[0].reg)] = self.address(instruction, operands[1], state)
        return None

    def _add_or_subtract(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        if (
            len(operands) != 2
            or operands[0].type != capstone_x86.X86_OP_REG
            or operands[1].type != capstone_x86.X86_OP_IMM
        ):
            return _NOT_MODELLED
        register = self.register(instruction, operands[0].reg)
        value = state.get(register)
        delta = operands[1].imm if mnemonic == "add" else -operands[1].imm
        if isinstance(value, Pointer):
            state[register] = value.moved(delta)
        elif isinstance(value, int):
            state[register] = (value + delta) & _WORD_MASK
        else:
            state[register] = None
        return None

    def _push(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        stack = state.get("rsp")
        if isinstance(stack, Pointer):
            state["rsp"] = stack.moved(-8)
            if operands:
                self.reader.store(
                    reading, state["rsp"], self.value(instruction, operands[0], state, reading), 8
                )
        return None

    def _pop(self, mnemonic, instruction, operands, state, reading, walk) -> object:
        stack = state.get("rsp")
        if operands and operands[0].type == capstone_x86.X86_OP_REG:
            state[self.register(instruction, operands[0].reg)] = self.reader.load(reading, stack, 8)
        if isinstance(stack, Pointer):
            state["rsp"] = stack.moved(8)
        return None
