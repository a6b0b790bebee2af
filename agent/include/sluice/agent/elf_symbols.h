// File: elf_symbols.h
//
// Finds functions in an ELF file (shared library or executable) by name, in .dynsym and
// .symtab, and turns their addresses into file offsets, which is what uprobes attach to.
// Statically linked TLS (node's OpenSSL, Go's crypto/tls) is found the same way as libssl.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sluice/common/result.h"

namespace sluice::agent {

struct ElfFunction {
  std::string name;
  uint64_t vaddr = 0;
  uint64_t size = 0;
  uint64_t file_offset = 0;
};

// Every defined function in `path` whose name is in `names` (versioned names such as
// "SSL_write@@OPENSSL_3.0.0" match "SSL_write"). Missing names are simply absent.
Result<std::vector<ElfFunction>> findFunctions(const std::string& path,
                                               const std::vector<std::string>& names);

// Up to `len` bytes of the file at `file_offset` (fewer at the end of the file).
Result<std::vector<uint8_t>> readFileBytes(const std::string& path, uint64_t file_offset,
                                           size_t len);

}  // namespace sluice::agent
