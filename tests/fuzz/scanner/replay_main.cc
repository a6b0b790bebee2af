// Standalone driver for scanner_fuzz.cc under g++: replays every file in the seed corpus
// directory, then deterministic mutations of each (byte flips, truncations, splices of
// escape sequences), so the fuzz entry point runs in the unit suite on every build.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS_PER_SEED]\n", argv[0]);
    return 2;
  }
  int mutations = argc > 2 ? std::atoi(argv[2]) : 200;
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "no seeds in %s\n", argv[1]);
    return 2;
  }
  static const char* kPieces[] = {"\\", "\\u", "\\u00", "\\ud83d", "\\ude00", "\\n", "\"",
                                  "PID|", "@", "://", "data:image/", "\":", "123-45-6789"};
  std::mt19937 rng(1234);
  size_t runs = 0;
  for (const std::string& seed : seeds) {
    auto run = [&](const std::string& s) {
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
      ++runs;
    };
    run(seed);
    for (int m = 0; m < mutations; ++m) {
      std::string s = seed;
      if (s.empty()) s = "x";
      switch (rng() % 4) {
        case 0: s[rng() % s.size()] = static_cast<char>(rng()); break;
        case 1: s.resize(rng() % s.size()); break;
        case 2: s.insert(rng() % s.size(), kPieces[rng() % std::size(kPieces)]); break;
        default: s = s.substr(rng() % s.size()) + s.substr(0, rng() % s.size()); break;
      }
      run(s);
    }
  }
  std::printf("replayed %zu inputs from %zu seeds: 0 failures\n", runs, seeds.size());
  return 0;
}
