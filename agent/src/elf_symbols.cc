#include "sluice/agent/elf_symbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

namespace sluice::agent {
namespace {

struct ElfFile {
  int fd = -1;
  Elf* elf = nullptr;
  ~ElfFile() {
    if (elf) elf_end(elf);
    if (fd >= 0) close(fd);
  }
};

// Virtual address -> file offset through the PT_LOAD segment that maps it.
bool toFileOffset(Elf* elf, uint64_t vaddr, uint64_t& offset) {
  size_t n = 0;
  if (elf_getphdrnum(elf, &n) != 0) return false;
  for (size_t i = 0; i < n; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf, static_cast<int>(i), &ph) || ph.p_type != PT_LOAD) continue;
    if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_memsz) {
      offset = vaddr - ph.p_vaddr + ph.p_offset;
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::vector<ElfFunction>> findFunctions(const std::string& path,
                                               const std::vector<std::string>& names) {
  if (elf_version(EV_CURRENT) == EV_NONE) return internalError("libelf initialisation failed");
  ElfFile f;
  f.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) return errnoError(errno, "opening " + path);
  f.elf = elf_begin(f.fd, ELF_C_READ_MMAP, nullptr);
  if (!f.elf || elf_kind(f.elf) != ELF_K_ELF) return invalidArgument(path + " is not an ELF file");

  std::vector<ElfFunction> out;
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(f.elf, scn)) != nullptr) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM)) {
      continue;
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || sh.sh_entsize == 0) continue;
    size_t count = sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) continue;
      if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF || sym.st_value == 0) {
        continue;
      }
      const char* raw = elf_strptr(f.elf, sh.sh_link, sym.st_name);
      if (!raw) continue;
      std::string_view name(raw);
      if (auto at = name.find('@'); at != std::string_view::npos) name = name.substr(0, at);
      if (std::find(names.begin(), names.end(), name) == names.end()) continue;
      bool seen = std::any_of(out.begin(), out.end(),
                              [&](const ElfFunction& e) { return e.name == name; });
      if (seen) continue;  // the same function in .dynsym and .symtab
      ElfFunction fn{std::string(name), sym.st_value, sym.st_size, 0};
      if (!toFileOffset(f.elf, sym.st_value, fn.file_offset)) continue;
      out.push_back(fn);
    }
  }
  return out;
}

Result<std::vector<uint8_t>> readFileBytes(const std::string& path, uint64_t file_offset,
                                           size_t len) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errnoError(errno, "opening " + path);
  std::vector<uint8_t> buf(len);
  ssize_t n = pread(fd, buf.data(), len, static_cast<off_t>(file_offset));
  int err = errno;
  close(fd);
  if (n < 0) return errnoError(err, "reading " + path);
  buf.resize(static_cast<size_t>(n));
  return buf;
}

}  // namespace sluice::agent
