// Replays the fuzz corpus through the libFuzzer entry point in every build, so the inputs that
// once found bugs keep running even where libFuzzer (clang) is not used.
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> corpusFiles() {
  const char* src = std::getenv("SLUICE_SOURCE_DIR");
  std::string dir = std::string(src != nullptr ? src : ".") + "/tests/fuzz/policy/corpus";
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') out.push_back(dir + "/" + e->d_name);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PolicyFuzzReplayTest, EveryCorpusInputRunsToCompletion) {
  auto files = corpusFiles();
  ASSERT_GE(files.size(), 8u) << "the corpus is missing; set SLUICE_SOURCE_DIR";
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
              0);
  }
}

TEST(PolicyFuzzReplayTest, EmptyAndBinaryInputs) {
  EXPECT_EQ(LLVMFuzzerTestOneInput(nullptr, 0), 0);
  const uint8_t junk[] = {0xff, 0x00, 0x7b, 0x5b, 0x0a, 0x2d, 0x20, 0x26, 0x2a, 0x3a};
  EXPECT_EQ(LLVMFuzzerTestOneInput(junk, sizeof(junk)), 0);
}

}  // namespace
