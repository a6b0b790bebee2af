// The built-in AI-vendor catalog: coverage, hostname and IP matching, regions and groups, and
// the loader's checks on catalog data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sluice/policy/catalog.h"

namespace sluice::policy {
namespace {

using ::testing::HasSubstr;

const Catalog& cat() {
  return Catalog::builtin();
}

std::string sourceDir() {
  const char* src = std::getenv("SLUICE_SOURCE_DIR");
  return src != nullptr ? src : ".";
}

TEST(CatalogTest, BuiltinCoversTheVendorsIssueFiveNames) {
  EXPECT_FALSE(cat().version().empty());
  for (const char* id :
       {"openai",        "azure-openai", "anthropic", "aws-bedrock", "google-vertex",
        "google-gemini", "mistral",      "cohere",    "groq",        "together",
        "fireworks",     "deepseek",     "xai",       "perplexity",  "openrouter",
        "huggingface",   "replicate",    "ai21",      "voyage",      "jina"}) {
    const Vendor* v = cat().findVendor(id);
    ASSERT_NE(v, nullptr) << id;
    EXPECT_FALSE(v->name.empty()) << id;
    EXPECT_FALSE(v->hosts.empty()) << id;
    EXPECT_FALSE(v->sources.empty()) << id;
    // Every vendor's own sample names match back to it.
    for (const auto& h : cat().sampleHosts(*v)) {
      auto m = cat().matchHost(h);
      ASSERT_TRUE(m.has_value()) << h;
      EXPECT_EQ(m->vendor->id, id) << h;
    }
  }
}

TEST(CatalogTest, BuiltinEqualsTheYamlInTheSourceTree) {
  auto from_disk = Catalog::loadDirectory(sourceDir() + "/policy/catalog");
  ASSERT_TRUE(from_disk.ok()) << from_disk.error().message();
  EXPECT_EQ(from_disk->version(), cat().version());
  EXPECT_EQ(from_disk->vendorIds(), cat().vendorIds());
}

struct HostCase {
  const char* host;
  const char* vendor;
  const char* region;
};

TEST(CatalogTest, MatchesHostnamesAndReadsTheirRegion) {
  for (const HostCase& c : std::vector<HostCase>{
           {"bedrock-runtime.us-east-1.amazonaws.com", "aws-bedrock", "us-east-1"},
           {"bedrock-runtime.eu-west-1.amazonaws.com", "aws-bedrock", "eu-west-1"},
           {"bedrock-runtime-fips.us-gov-west-1.amazonaws.com", "aws-bedrock", "us-gov-west-1"},
           {"us-central1-aiplatform.googleapis.com", "google-vertex", "us-central1"},
           {"europe-west4-aiplatform.googleapis.com", "google-vertex", "europe-west4"},
           {"aiplatform.googleapis.com", "google-vertex", "global"},
           {"generativelanguage.googleapis.com", "google-gemini", "global"},
           {"api.openai.com", "openai", "us"},
           {"eu.api.openai.com", "openai", "eu"},
           {"API.OpenAI.com.", "openai", "us"},
           {"api.anthropic.com", "anthropic", "us"},
           {"api.mistral.ai", "mistral", "eu"},
           {"api.deepseek.com", "deepseek", "cn"},
           {"contoso.openai.azure.com", "azure-openai", ""},
           {"agency.openai.azure.us", "azure-openai", "us"},
           {"my-ep.us-east-1.aws.endpoints.huggingface.cloud", "huggingface", "us-east-1"},
           {"router.huggingface.co", "huggingface", "global"},
       }) {
    auto m = cat().matchHost(c.host);
    ASSERT_TRUE(m.has_value()) << c.host;
    EXPECT_EQ(m->vendor->id, c.vendor) << c.host;
    EXPECT_EQ(m->region, c.region) << c.host;
  }
  auto azure = cat().matchHost("contoso.openai.azure.com");
  ASSERT_TRUE(azure.has_value());
  EXPECT_EQ(azure->resource, "contoso");
  EXPECT_TRUE(azure->vendor->resource_pins);
}

TEST(CatalogTest, DoesNotMatchLookAlikes) {
  for (const char* host : {"openai.com", "evilapi.openai.com", "api.openai.com.evil.example",
                           "x.api.openai.com", "bedrock-runtime.amazonaws.com",
                           "bedrock-runtime..amazonaws.com", "bedrock-runtime.a.b.amazonaws.com",
                           "-aiplatform.googleapis.com", "openai.azure.com", "example.com", ""}) {
    auto m = cat().matchHost(host);
    EXPECT_FALSE(m.has_value()) << host << " matched " << (m ? m->vendor->id : "");
  }
}

TEST(CatalogTest, MatchesPublishedIpRanges) {
  auto m = cat().matchIp(*Cidr::parseAddress("160.79.104.10"));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->vendor->id, "anthropic");
  EXPECT_EQ(m->pattern, nullptr);
  auto v6 = cat().matchIp(*Cidr::parseAddress("2607:6bc0::10"));
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->vendor->id, "anthropic");
  EXPECT_FALSE(cat().matchIp(*Cidr::parseAddress("160.79.106.1")).has_value());
  EXPECT_FALSE(cat().matchIp(*Cidr::parseAddress("192.0.2.1")).has_value());
}

TEST(CatalogTest, RegionsAndGroups) {
  EXPECT_EQ(cat().groupOf("us-east-1"), "us");
  EXPECT_EQ(cat().groupOf("eastus"), "us");
  EXPECT_EQ(cat().groupOf("europe-west4"), "eu");
  EXPECT_EQ(cat().groupOf("eu-west-2"), "uk");  // London is not in the EU
  EXPECT_EQ(cat().groupOf("eu"), "eu");
  EXPECT_EQ(cat().groupOf("global"), "");
  EXPECT_TRUE(cat().isKnownRegion("us"));
  EXPECT_TRUE(cat().isKnownRegion("us-west-2"));
  EXPECT_TRUE(cat().isKnownRegion("global"));
  EXPECT_FALSE(cat().isKnownRegion("mars-north-1"));

  const std::vector<std::string> us = {"us"};
  EXPECT_TRUE(cat().regionAllowed("us-east-1", us));
  EXPECT_TRUE(cat().regionAllowed("us", us));
  EXPECT_FALSE(cat().regionAllowed("eu-west-1", us));
  EXPECT_FALSE(cat().regionAllowed("global", us));
  EXPECT_FALSE(cat().regionAllowed("", us));
  EXPECT_FALSE(cat().regionAllowed("mars-north-1", us));
  EXPECT_TRUE(cat().regionAllowed("global", {"global"}));
  // A group region may mean any member, so one member does not allow it.
  EXPECT_FALSE(cat().regionAllowed("eu", {"eu-west-1"}));
  EXPECT_TRUE(cat().regionAllowed("eu-west-1", {"eu-west-1"}));
  EXPECT_FALSE(cat().regionAllowed("eu-west-3", {"eu-west-1"}));
}

TEST(CatalogTest, BuiltinPackIsTheFileInTheSourceTree) {
  auto text = builtinPack("hipaa-default");
  ASSERT_TRUE(text.has_value());
  std::ifstream in(sourceDir() + "/policy/packs/hipaa-default.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(*text, ss.str());
  EXPECT_FALSE(builtinPack("hipaa").has_value());
}

constexpr const char* kCatalogFile = R"(apiVersion: sluice.dev/v1
kind: Catalog
version: "1"
regionGroups:
  us: {regions: [us-east-1]}
)";

std::string vendorFile(const std::string& id, const std::string& pattern,
                       const std::string& region) {
  return "apiVersion: sluice.dev/v1\nkind: Vendor\nid: " + id +
         "\nname: N\nbaa: {offered: "
         "unknown}\nregion: " +
         region + "\nhosts: [{pattern: \"" + pattern + "\"}]\nsources: [https://example.com]\n";
}

TEST(CatalogTest, LoaderRejectsInconsistentData) {
  auto ok = Catalog::fromTexts(
      {{"c.yaml", kCatalogFile}, {"a.yaml", vendorFile("a", "a.example", "us")}});
  ASSERT_TRUE(ok.ok()) << ok.error().message();

  auto dup = Catalog::fromTexts({{"c.yaml", kCatalogFile},
                                 {"a.yaml", vendorFile("a", "a.example", "us")},
                                 {"b.yaml", vendorFile("a", "b.example", "us")}});
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(dup.error().message(), HasSubstr("b.yaml:1:1: duplicate vendor id 'a'"));

  auto region = Catalog::fromTexts(
      {{"c.yaml", kCatalogFile}, {"a.yaml", vendorFile("a", "a.example", "eu-west-1")}});
  ASSERT_FALSE(region.ok());
  EXPECT_THAT(region.error().message(), HasSubstr("unknown region 'eu-west-1'"));

  auto pattern = Catalog::fromTexts(
      {{"c.yaml", kCatalogFile}, {"a.yaml", vendorFile("a", "{region}.{region}.x", "us")}});
  ASSERT_FALSE(pattern.ok());
  EXPECT_THAT(pattern.error().message(), HasSubstr("a.yaml:7:19: bad host pattern"));

  auto no_catalog = Catalog::fromTexts({{"a.yaml", vendorFile("a", "a.example", "")}});
  ASSERT_FALSE(no_catalog.ok());
  EXPECT_THAT(no_catalog.error().message(), HasSubstr("exactly one kind: Catalog file"));
}

}  // namespace
}  // namespace sluice::policy
