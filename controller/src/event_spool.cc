#include "sluice/controller/event_spool.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>

#include "sluice/controller/crypto.h"
#include "sluice/controller/files.h"

namespace sluice::controller {
namespace {

constexpr const char* kSuffix = ".batch";

// "00000000000000000042.batch" -> 42; 0 for anything else.
uint64_t seqOf(const std::string& name) {
  if (name.size() != 20 + std::string(kSuffix).size() || name.substr(20) != kSuffix) return 0;
  uint64_t seq = 0;
  for (size_t i = 0; i < 20; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    seq = seq * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return seq;
}

}  // namespace

Result<EventSpool> EventSpool::open(const std::string& dir, SpoolLimits limits) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return errnoError(errno, "cannot create spool " + dir);
  }
  std::string key_path = dir + "/spool.key";
  auto key = readFile(key_path);
  if (!key) {
    key = crypto::randomBytes(32);
    SLUICE_RETURN_IF_ERROR(writeFileAtomic(key_path, *key, 0600));
  }
  if (key->size() != 32) return Error(ErrorCode::kDataLoss, key_path + " must hold 32 bytes");
  EventSpool spool(dir, *key, limits);
  SLUICE_RETURN_IF_ERROR(spool.scan());
  return spool;
}

std::string EventSpool::fileName(uint64_t seq) const {
  char name[32];
  std::snprintf(name, sizeof(name), "%020llu", static_cast<unsigned long long>(seq));
  return std::string(name) + kSuffix;
}

Status EventSpool::scan() {
  std::error_code ec;
  batches_ = 0;
  bytes_ = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    uint64_t seq = seqOf(entry.path().filename().string());
    if (seq == 0) continue;
    ++batches_;
    bytes_ += entry.file_size(ec);
    next_seq_ = std::max(next_seq_, seq + 1);
  }
  if (ec) return internalError("cannot read spool " + dir_ + ": " + ec.message());
  return okStatus();
}

Status EventSpool::append(const sluice::v1::EventBatch& batch) {
  std::string name = fileName(next_seq_);
  SLUICE_ASSIGN_OR_RETURN(std::string sealed,
                          crypto::aeadSeal(key_, batch.SerializeAsString(), name));
  if (batches_ + 1 > limits_.max_batches || bytes_ + sealed.size() > limits_.max_bytes) {
    return Error(ErrorCode::kResourceExhausted, "event spool " + dir_ + " is full (" +
                                                    std::to_string(batches_) + " batches, " +
                                                    std::to_string(bytes_) + " bytes)");
  }
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(dir_ + "/" + name, sealed, 0600));
  ++next_seq_;
  ++batches_;
  bytes_ += sealed.size();
  return okStatus();
}

uint64_t EventSpool::oldestSeq() const {
  uint64_t first = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    uint64_t seq = seqOf(entry.path().filename().string());
    if (seq != 0 && (first == 0 || seq < first)) first = seq;
  }
  return first;
}

Result<std::optional<SpooledBatch>> EventSpool::oldest() {
  uint64_t first = oldestSeq();
  if (first == 0) return std::optional<SpooledBatch>();
  std::string name = fileName(first);
  SLUICE_ASSIGN_OR_RETURN(std::string sealed, readFile(dir_ + "/" + name));
  auto plain = crypto::aeadOpen(key_, sealed, name);
  if (!plain) return Error(ErrorCode::kDataLoss, "spooled batch " + name + " does not open");
  SpooledBatch out;
  out.seq = first;
  if (!out.batch.ParseFromString(*plain)) {
    return Error(ErrorCode::kDataLoss, "spooled batch " + name + " does not parse");
  }
  return std::optional<SpooledBatch>(std::move(out));
}

Status EventSpool::remove(uint64_t seq) {
  std::string path = dir_ + "/" + fileName(seq);
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || !std::filesystem::remove(path, ec)) return notFound("no spooled batch " + path);
  --batches_;
  bytes_ -= std::min<uint64_t>(bytes_, size);
  return okStatus();
}

}  // namespace sluice::controller
