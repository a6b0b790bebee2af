// libFuzzer target for the scanner's input handling: the JSON-unescape view and the folded
// view (fold.h) (each one-shot and incremental, which must agree byte for byte and offset for
// offset) and the stream API (any split of any input; findings must stay inside the input,
// sorted and disjoint).
//
// Built two ways (tests/fuzz/scanner/CMakeLists.txt): with clang -fsanitize=fuzzer when
// SLUICE_FUZZ=ON, and always against replay_main.cc, which replays the seed corpus and
// deterministic mutations of it in the unit suite.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fold.h"
#include "sluice/scanner/json_view.h"
#include "sluice/scanner/scanner.h"

namespace {

using sluice::scanner::DecodedView;
using sluice::scanner::Finding;
using sluice::scanner::JsonUnescaper;
using sluice::scanner::OffsetMap;
using sluice::scanner::Scanner;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "scanner_fuzz: invariant failed: %s\n", what);
    std::abort();
  }
}

const Scanner& scanner() {
  static std::shared_ptr<Scanner> instance = [] {
    auto created = Scanner::create();
    check(created.ok(), "Scanner::create");
    return *created;
  }();
  return *instance;
}

void checkFindings(const std::vector<Finding>& findings, size_t size) {
  uint64_t previous_end = 0;
  for (const Finding& f : findings) {
    check(f.start < f.end, "finding start < end");
    check(f.end <= size, "finding inside input");
    check(f.start >= previous_end, "findings sorted and disjoint");
    check(f.score >= 0.0f && f.score <= 1.0f, "score in [0,1]");
    previous_end = f.end;
  }
}

void fuzzJsonView(std::string_view input, size_t cut) {
  DecodedView view;
  sluice::scanner::decodeJsonView(input, view);
  check(view.text.size() <= input.size(), "decoding never grows the input");
  uint64_t last = 0;
  for (size_t d = 0; d <= view.text.size(); ++d) {
    uint64_t o = view.toOriginal(d);
    check(o <= input.size(), "mapped offset inside input");
    check(o >= last, "offset map monotonic");
    last = o;
  }
  std::string split_text;
  OffsetMap split_map;
  JsonUnescaper decoder;
  decoder.feed(input.substr(0, cut), split_text, split_map);
  decoder.feed(input.substr(cut), split_text, split_map);
  decoder.finish(split_text, split_map);
  std::string_view first = view.nested ? std::string_view(view.storage) : view.text;
  if (view.storage.empty() && !view.nested) first = view.text;
  check(split_text == first, "incremental decode equals one-shot (first level)");
  for (size_t d = 0; d <= split_text.size(); ++d) {
    check(split_map.toOriginal(d) == view.map.toOriginal(d), "incremental map equals one-shot");
  }
}

// The fold of the input as one piece and as written in two pieces, then a byte at a time for
// the first 256 bytes: the same text and, at every folded offset, the same input offset.
void fuzzFold(std::string_view input, size_t cut) {
  std::string whole;
  OffsetMap whole_map;
  if (!sluice::scanner::foldText(input, whole, whole_map)) whole.assign(input);
  uint64_t last = 0;
  for (size_t d = 0; d <= whole.size(); ++d) {
    uint64_t o = whole_map.toOriginal(d);
    check(o <= input.size(), "folded offset inside input");
    check(o >= last, "fold map monotonic");
    last = o;
  }
  auto incremental = [&](const std::vector<size_t>& cuts) {
    std::string text;
    OffsetMap map;
    sluice::scanner::Folder folder;
    size_t from = 0;
    for (size_t at : cuts) {
      folder.feed(input.substr(from, at - from), text, map);
      from = at;
    }
    folder.feed(input.substr(from), text, map);
    folder.finish(text, map);
    check(text == whole, "incremental fold equals one-shot");
    for (size_t d = 0; d <= text.size(); ++d) {
      check(map.toOriginal(d) == whole_map.toOriginal(d), "incremental fold map equals one-shot");
    }
  };
  incremental({cut});
  std::vector<size_t> bytes;
  for (size_t at = 1; at < input.size() && at < 256; ++at) bytes.push_back(at);
  incremental(bytes);
}

void fuzzStream(std::string_view input, uint8_t shape) {
  auto stream = scanner().openStream();
  check(stream.ok(), "openStream");
  size_t chunk = 1 + shape % 97;
  for (size_t pos = 0; pos < input.size(); pos += chunk) {
    check((*stream)->write(input.substr(pos, chunk)).ok(), "stream write");
  }
  auto streamed = (*stream)->finish();
  check(streamed.ok(), "stream finish");
  checkFindings(*streamed, input.size());
  auto one_shot = scanner().scan(input);
  check(one_shot.ok(), "scan");
  checkFindings(*one_shot, input.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > (1u << 16)) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  uint8_t shape = data[0];
  fuzzJsonView(input, input.empty() ? 0 : shape % (input.size() + 1));
  fuzzFold(input, input.empty() ? 0 : shape % (input.size() + 1));
  fuzzStream(input, shape);
  return 0;
}
