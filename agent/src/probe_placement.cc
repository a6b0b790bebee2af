#include "sluice/agent/probe_placement.h"

#include <capstone/capstone.h>

#include <array>

namespace sluice::agent {
namespace {

using RegFamily = std::array<x86_reg, 4>;  // 64/32/16/8-bit names of one register

const RegFamily kRdi{X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL};
const RegFamily kRsi{X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL};
const RegFamily kRdx{X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL};
const RegFamily kRcx{X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL};
const RegFamily kR8{X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B};
const RegFamily kR9{X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B};
const RegFamily kRax{X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL};
const RegFamily kRbx{X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL};
const RegFamily kR10{X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B};
const RegFamily kR11{X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B};

// Integer argument registers in order: SysV for C, Go's internal register ABI (ABIInternal).
const std::array<RegFamily, 6> kSysV{kRdi, kRsi, kRdx, kRcx, kR8, kR9};
const std::array<RegFamily, 9> kGo{kRax, kRbx, kRcx, kRdi, kRsi, kR8, kR9, kR10, kR11};

bool sameFamily(x86_reg r, const RegFamily& f) {
  for (x86_reg x : f) {
    if (r == x) return true;
  }
  return false;
}

template <size_t N>
bool writesAny(const cs_insn& insn, const std::array<RegFamily, N>& regs, int count) {
  const cs_detail* d = insn.detail;
  auto hit = [&](x86_reg r) {
    for (int a = 0; a < count && a < static_cast<int>(N); ++a) {
      if (sameFamily(r, regs[static_cast<size_t>(a)])) return true;
    }
    return false;
  };
  for (int i = 0; i < d->regs_write_count; ++i) {
    if (hit(static_cast<x86_reg>(d->regs_write[i]))) return true;
  }
  // Explicit register operands written by the instruction (capstone lists these separately).
  for (int i = 0; i < d->x86.op_count; ++i) {
    const cs_x86_op& op = d->x86.operands[i];
    if (op.type == X86_OP_REG && (op.access & CS_AC_WRITE) && hit(op.reg)) return true;
  }
  return false;
}

bool writesArgRegister(const cs_insn& insn, CallingConvention cc, int arg_regs) {
  switch (cc) {
    case CallingConvention::kGoRegister: return writesAny(insn, kGo, arg_regs);
    case CallingConvention::kGoStack: return false;  // arguments are read from the stack
    case CallingConvention::kSysV: break;
  }
  return writesAny(insn, kSysV, arg_regs);
}

bool inGroup(const cs_insn& insn, uint8_t group) {
  for (int i = 0; i < insn.detail->groups_count; ++i) {
    if (insn.detail->groups[i] == group) return true;
  }
  return false;
}

// The instructions arch/x86/kernel/uprobes.c emulates instead of single-stepping.
bool kernelEmulates(const cs_insn& insn) {
  switch (insn.id) {
    case X86_INS_CALL:
    case X86_INS_JMP:
      // Only the relative forms; an indirect call/jmp through a register or memory is stepped.
      return insn.detail->x86.op_count == 1 && insn.detail->x86.operands[0].type == X86_OP_IMM;
    case X86_INS_NOP: return true;
    case X86_INS_PUSH:
      return insn.detail->x86.op_count == 1 && insn.detail->x86.operands[0].type == X86_OP_REG;
    default:
      // Conditional jumps (jcc rel8/rel32).
      return inGroup(insn, CS_GRP_JUMP) && insn.detail->x86.op_count == 1 &&
             insn.detail->x86.operands[0].type == X86_OP_IMM;
  }
}

// How an instruction moves rsp: push/pop and sub/add rsp, imm. Anything else that writes rsp
// ends the scan (the caller cannot know the delta).
bool stackEffect(const cs_insn& insn, int64_t& delta) {
  const cs_x86& x = insn.detail->x86;
  switch (insn.id) {
    case X86_INS_PUSH: delta -= 8; return true;
    case X86_INS_POP: delta += 8; return true;
    case X86_INS_CALL: return true;  // the probe fires before the call pushes
    case X86_INS_SUB:
    case X86_INS_ADD:
      if (x.op_count == 2 && x.operands[0].type == X86_OP_REG &&
          x.operands[0].reg == X86_REG_RSP) {
        if (x.operands[1].type != X86_OP_IMM) return false;
        delta += insn.id == X86_INS_SUB ? -x.operands[1].imm : x.operands[1].imm;
      }
      return true;
    default:
      for (int i = 0; i < insn.detail->regs_write_count; ++i) {
        if (insn.detail->regs_write[i] == X86_REG_RSP) return false;
      }
      for (int i = 0; i < x.op_count; ++i) {
        if (x.operands[i].type == X86_OP_REG && x.operands[i].reg == X86_REG_RSP &&
            (x.operands[i].access & CS_AC_WRITE)) {
          return false;
        }
      }
      return true;
  }
}

struct CsHandle {
  csh h = 0;
  ~CsHandle() {
    if (h) cs_close(&h);
  }
};

}  // namespace

Result<ProbePoint> chooseProbePoint(std::span<const uint8_t> code, uint64_t entry_address,
                                    CallingConvention cc, int arg_regs, int max_instructions) {
  if (code.empty()) return invalidArgument("no code bytes to decode");
  if (arg_regs < 0 || arg_regs > 9) return invalidArgument("arg_regs must be 0..9");
  CsHandle cs;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs.h) != CS_ERR_OK) {
    return internalError("capstone: cannot open an x86-64 disassembler");
  }
  cs_option(cs.h, CS_OPT_DETAIL, CS_OPT_ON);
  cs_insn* insns = nullptr;
  size_t n = cs_disasm(cs.h, code.data(), code.size(), entry_address,
                       static_cast<size_t>(max_instructions), &insns);
  struct Free {
    cs_insn* p;
    size_t n;
    ~Free() {
      if (p) cs_free(p, n);
    }
  } free_insns{insns, n};
  if (n == 0) return invalidArgument("the function's first bytes do not decode as x86-64");

  ProbePoint entry;
  entry.address = entry_address;
  entry.emulated = kernelEmulates(insns[0]);
  entry.instruction = std::string(insns[0].mnemonic) + " " + insns[0].op_str;
  int64_t delta = 0;
  for (size_t i = 0; i < n; ++i) {
    const cs_insn& insn = insns[i];
    if (kernelEmulates(insn)) {
      ProbePoint p;
      p.address = insn.address;
      p.offset_from_entry = insn.address - entry_address;
      p.sp_delta = delta;
      p.emulated = true;
      p.instruction = std::string(insn.mnemonic) + (insn.op_str[0] ? " " : "") + insn.op_str;
      p.reason = i == 0 ? "the entry instruction is emulated"
                        : "first emulated instruction with the argument registers intact (" +
                              std::to_string(i) + " instructions in)";
      return p;
    }
    if (writesArgRegister(insn, cc, arg_regs)) {
      entry.reason = "'" + std::string(insn.mnemonic) + " " + insn.op_str +
                     "' writes an argument register before any emulated instruction";
      return entry;
    }
    if (!stackEffect(insn, delta)) {
      entry.reason = "rsp is changed in a way the probe cannot account for";
      return entry;
    }
    if (inGroup(insn, CS_GRP_RET) || inGroup(insn, CS_GRP_JUMP) || inGroup(insn, CS_GRP_CALL) ||
        inGroup(insn, CS_GRP_INT)) {
      entry.reason = "control flow leaves straight-line code before an emulated instruction";
      return entry;
    }
  }
  entry.reason = "no emulated instruction in the first " + std::to_string(n) + " instructions";
  return entry;
}

}  // namespace sluice::agent
