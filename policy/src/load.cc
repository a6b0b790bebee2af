// The loader's entry points: read the file, parse YAML (a syntax error is one more
// diagnostic), run both passes, and sort what was found by position.
#include <algorithm>

#include "parse_internal.h"
#include "text_file.h"

namespace sluice::policy {
namespace {

Error reportError(const PolicyReport& report) {
  std::string msg;
  for (const auto& d : report.diagnostics) {
    if (d.severity != Severity::kError) continue;
    msg += (msg.empty() ? "" : "\n") + d.toString();
  }
  return invalidArgument(msg);
}

Result<Policy> toResult(PolicyReport report) {
  if (!report.ok()) return reportError(report);
  return std::move(*report.policy);
}

}  // namespace

PolicyReport checkPolicy(std::string_view yaml_text, const std::string& file_name,
                         const ParseOptions& options) {
  detail::Diagnostics diags(file_name);
  detail::ParsedPolicy parsed;
  PolicyReport report;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    SourceLoc loc{file_name, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                  e.mark.column >= 0 ? e.mark.column + 1 : 0};
    report.diagnostics.push_back(Diagnostic{loc, "YAML syntax error: " + e.msg, Severity::kError});
    return report;
  }
  try {
    if (detail::parseShape(root, parsed, diags)) detail::validateSemantics(parsed, options, diags);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on node states the readers do not expect; report, never crash.
    diags.add(SourceLoc{file_name, 0, 0}, std::string("cannot read policy: ") + e.what(),
              Severity::kError);
  }
  report.diagnostics = std::move(diags.all());
  std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.loc.line, a.loc.col) < std::tie(b.loc.line, b.loc.col);
                   });
  if (report.errorCount() == 0) {
    parsed.policy.source_file = file_name;
    parsed.policy.sha256 = sha256Hex(yaml_text);
    parsed.policy.warnings = report.diagnostics;
    report.policy = std::move(parsed.policy);
  }
  return report;
}

Result<PolicyReport> checkPolicyFile(const std::string& path, const ParseOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, detail::readTextFile(path, "policy"));
  return checkPolicy(text, path, options);
}

Result<Policy> parsePolicy(std::string_view yaml_text, const std::string& file_name,
                           const ParseOptions& options) {
  return toResult(checkPolicy(yaml_text, file_name, options));
}

Result<Policy> parsePolicy(std::string_view yaml_text, const std::string& file_name) {
  return parsePolicy(yaml_text, file_name, ParseOptions{});
}

Result<Policy> loadPolicyFile(const std::string& path, const ParseOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, detail::readTextFile(path, "policy"));
  return parsePolicy(text, path, options);
}

Result<Policy> loadPolicyFile(const std::string& path) {
  return loadPolicyFile(path, ParseOptions{});
}

}  // namespace sluice::policy
