// File: probe_placement.h
//
// Where to put a uprobe on a TLS write function. A uprobe replaces one instruction with int3;
// after the trap the kernel either *emulates* the original instruction (cheap: measured here
// +0.5-1.6 µs per call) or *single-steps* a copy of it out of line (+9.8 µs per call for
// libssl's SSL_write, whose first instruction is `sub $0x18,%rsp`). On x86-64 the kernel
// emulates: call rel32, jmp rel8/rel32, jcc rel8/rel32, nop (0x90, 0f 1f) and push reg.
//
// The rule: decode the function's first instructions and probe the first emulated one that
//   - is reached on every path from the entry (only straight-line code before it: the scan
//     stops after any branch, including the emulated branch it picks), and
//   - comes before any instruction that writes one of the argument registers the probe reads
//     (SysV for C libraries; Go's register ABI for crypto/tls),
// and report how far the stack pointer has moved by then, for probes that read stack
// arguments. When no such instruction exists, probe the entry (single-stepped, but correct).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sluice/common/result.h"

namespace sluice::agent {

struct ProbePoint {
  uint64_t address = 0;  // virtual address of the chosen instruction
  uint64_t offset_from_entry = 0;
  int64_t sp_delta = 0;  // stack pointer at the probe minus at entry (e.g. -8 after a push)
  bool emulated = false;
  std::string instruction;  // "push rbp", "js 0x359c7"
  std::string reason;       // why this one, or why the entry
};

enum class CallingConvention {
  kSysV,        // C: rdi, rsi, rdx, rcx, r8, r9
  kGoRegister,  // Go ABIInternal (1.17+): rax, rbx, rcx, rdi, rsi, r8, r9, r10, r11
  kGoStack,     // Go before 1.17: every argument on the stack, at rsp+8 at the entry
};

// `code` holds the function's first bytes as mapped at `entry_address`; `arg_regs` is how many
// integer argument registers the probe reads, in the convention's order.
Result<ProbePoint> chooseProbePoint(std::span<const uint8_t> code, uint64_t entry_address,
                                    CallingConvention cc, int arg_regs,
                                    int max_instructions = 24);

}  // namespace sluice::agent
