#include "text_file.h"

#include <cerrno>
#include <fstream>
#include <sstream>

namespace sluice::policy::detail {

Result<std::string> readTextFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return errnoError(errno, "cannot read " + what + " " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return errnoError(errno, "cannot read " + what + " " + path);
  return ss.str();
}

}  // namespace sluice::policy::detail
