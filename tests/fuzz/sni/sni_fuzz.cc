// Fuzz entry for the kernel's ClientHello parser, built for user space. The parser must never
// read outside the packet (ASan and the buffer-checked loads catch that), and what it returns
// must be what egress.bpf.c relies on: a length below SLUICE_NAME_MAX, a NUL-padded,
// lower-case name of exactly that length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "sni_shim.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char name[128];
  int ech = 0;
  int n = sluice_sni_parse(data, static_cast<unsigned>(size), name, &ech);
  if (n < -1 || n > 127) std::abort();
  if (n > 0) {
    if (std::strlen(name) > static_cast<size_t>(n)) std::abort();
    for (int i = 0; i < n; ++i) {
      if (name[i] >= 'A' && name[i] <= 'Z') std::abort();
    }
  }
  if (name[127] != 0) std::abort();
  return 0;
}
