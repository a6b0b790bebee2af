#include "byte_classes.h"

namespace sluice::scanner::classes {

bool haveAvx2() {
#ifdef SLUICE_SCANNER_X86
  static const bool have = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return have;
#else
  return false;
#endif
}

}  // namespace sluice::scanner::classes
