#include "sluice/agent/request_inspector.h"

#include "inspect/decoder.h"
#include "sluice/scanner/redact.h"

namespace sluice::agent {
namespace inspect {

Result<FindingEvidence> evidenceFor(const Context& context, const scanner::Finding& finding,
                                    std::string_view value) {
  FindingEvidence evidence;
  if (value.empty()) return evidence;
  evidence.masked = scanner::maskValue(finding.type, value);
  if (!context.evidence_key.empty()) {
    SLUICE_ASSIGN_OR_RETURN(evidence.keyed_hash,
                            scanner::keyedHash(context.evidence_key, finding.type, value));
  }
  return evidence;
}

// Picks the decoder from the first bytes (the HTTP/2 connection preface, or else HTTP/1.1)
// and hands over to the next decoder after a protocol switch.
class Connection {
 public:
  Connection(std::shared_ptr<const scanner::Scanner> scanner, InspectorLimits limits) {
    context_.scanner = std::move(scanner);
    context_.limits = limits;
    context_.evidence_left = limits.max_evidence_bytes;
  }

  void setEvidenceKey(std::string key) { context_.evidence_key = std::move(key); }

  Result<std::vector<InspectedRequest>> feed(std::string_view bytes, uint64_t base) {
    std::vector<InspectedRequest> done;
    if (!decoder_) {
      static constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
      size_t take = std::min(bytes.size(), kPreface.size() - sniff_.size());
      sniff_.append(bytes.substr(0, take));
      bool h2 = kPreface.starts_with(sniff_);
      if (h2 && sniff_.size() < kPreface.size()) return done;
      if (h2) {
        SLUICE_ASSIGN_OR_RETURN(decoder_, makeH2Decoder(context_));
      } else {
        decoder_ = makeHttp1Decoder(context_);
      }
      std::string first = std::move(sniff_);
      sniff_.clear();
      uint64_t first_base = base + take - first.size();
      SLUICE_RETURN_IF_ERROR(run(first, first_base, done));
      bytes.remove_prefix(take);
      base += take;
    }
    SLUICE_RETURN_IF_ERROR(run(bytes, base, done));
    return done;
  }

  bool pending() const { return decoder_ ? decoder_->pending() : !sniff_.empty(); }
  std::optional<std::string> pendingHost() const {
    return decoder_ ? decoder_->pendingHost() : std::nullopt;
  }
  std::string_view protocol() const { return decoder_ ? decoder_->protocol() : ""; }

 private:
  Status run(std::string_view bytes, uint64_t base, std::vector<InspectedRequest>& done) {
    while (!bytes.empty()) {
      SLUICE_ASSIGN_OR_RETURN(size_t used, decoder_->feed(bytes, base, done));
      bytes.remove_prefix(used);
      base += used;
      auto next = decoder_->takeOver();
      if (next) {
        decoder_ = std::move(next);
      } else if (used == 0) {
        return internalError("request decoder made no progress at stream byte " +
                             std::to_string(base));
      }
    }
    if (auto next = decoder_->takeOver()) decoder_ = std::move(next);
    return okStatus();
  }

  Context context_;
  std::string sniff_;
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace inspect

RequestInspector::~RequestInspector() = default;

Result<std::unique_ptr<RequestInspector>> RequestInspector::create(
    std::shared_ptr<const scanner::Scanner> scanner, InspectorLimits limits) {
  if (!scanner) return invalidArgument("RequestInspector needs a scanner");
  std::unique_ptr<RequestInspector> inspector(new RequestInspector());
  inspector->connection_ = std::make_unique<inspect::Connection>(std::move(scanner), limits);
  return inspector;
}

Result<std::vector<InspectedRequest>> RequestInspector::feed(std::string_view plaintext) {
  if (failed_) {
    return failedPrecondition("the request inspector failed earlier and decodes no more");
  }
  auto done = connection_->feed(plaintext, offset_);
  offset_ += plaintext.size();
  if (!done) failed_ = true;
  return done;
}

void RequestInspector::setEvidenceKey(std::string key) {
  connection_->setEvidenceKey(std::move(key));
}

bool RequestInspector::pending() const {
  return connection_->pending();
}

std::optional<std::string> RequestInspector::pendingHost() const {
  return connection_->pendingHost();
}

std::string_view RequestInspector::protocol() const {
  return connection_->protocol();
}

}  // namespace sluice::agent
