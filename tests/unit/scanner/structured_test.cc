// Structured input pasted into prompts: HL7 v2 fields by position, FHIR identifiers by their
// type, delimited tables by their header and SQL INSERT values by their column. Each test
// pairs the values that must be found with neighbours of the same shape that must not be.
#include <map>
#include <string>

#include "scanner_fixture.h"

namespace sluice::scanner {
namespace {

using testing::dump;
using testing::found;
using testing::has;

// One HL7 v2 segment with `fields` at their positions (MSH counts its field separator as
// MSH-1, so its first field after "MSH|" is MSH-2).
std::string segment(const std::string& id, const std::map<int, std::string>& fields) {
  std::string out = id;
  int position = id == "MSH" ? 1 : 0;
  for (const auto& [field, value] : fields) {
    while (position < field) {
      out += '|';
      ++position;
    }
    out += value;
  }
  return out + "\r";
}

TEST(Hl7, TimestampsOfTheRecordAreDatesWithTheirTime) {
  std::string msg =
      segment("MSH", {{2, "^~\\&"}, {3, "CERNER"}, {4, "MERCY"}, {7, "20250314161205-0500"},
                      {9, "ORU^R01"}, {10, "Q88120457"}, {12, "2.5"}}) +
      segment("PID", {{3, "7730442^^^MERCY^MR"}, {5, "ACHTERBERG^LIESBETH"},
                      {7, "198211050930"}}) +
      segment("OBR", {{1, "1"}, {4, "24323-8^CMP^LN"}, {7, "202503140745"},
                      {14, "20250314081503.25"}}) +
      segment("OBX", {{1, "1"}, {2, "NM"}, {3, "2345-7^GLUCOSE^LN"}, {5, "20250314"},
                      {6, "mg/dL"}, {14, "20250314074500"}});
  auto f = found(msg);
  EXPECT_TRUE(has(f, "DATE", "20250314161205-0500")) << dump(f);  // MSH-7
  EXPECT_TRUE(has(f, "DATE", "198211050930")) << dump(f);         // PID-7 with its time
  EXPECT_TRUE(has(f, "DATE", "202503140745")) << dump(f);         // OBR-7
  EXPECT_TRUE(has(f, "DATE", "20250314081503.25")) << dump(f);    // OBR-14
  EXPECT_TRUE(has(f, "DATE", "20250314074500")) << dump(f);       // OBX-14
  // MSH-10 (message control ID) and OBX-5 (the result, here a number shaped like a date)
  // are no record of the patient.
  EXPECT_FALSE(has(f, "DATE", "20250314")) << dump(f);
  for (const auto& [type, text] : f) EXPECT_NE(text, "Q88120457") << dump(f);
}

TEST(Hl7, VisitAndInsuranceIdentifiersByPosition) {
  std::string msg =
      segment("MSH", {{2, "^~\\&"}, {3, "MEDITECH"}, {7, "20250602"}, {9, "ADT^A03"}}) +
      segment("EVN", {{1, "A03"}, {2, "202506021130"}}) +
      segment("PV1", {{1, "1"}, {2, "I"}, {3, "5N^512^B"}, {10, "MED"}, {19, "VN2025-88143"},
                      {44, "202505281940"}, {45, "202506021115"}}) +
      segment("IN1", {{1, "1"}, {2, "HMO7"}, {4, "KESTREL HEALTH"}, {16, "ACHTERBERG^LIESBETH"},
                      {36, "KH-4471902"}, {37, "250.00"}, {49, "KHX330817"}});
  auto f = found(msg);
  EXPECT_TRUE(has(f, "DATE", "20250602")) << dump(f);              // MSH-7, a date alone
  EXPECT_TRUE(has(f, "DATE", "202506021130")) << dump(f);          // EVN-2
  EXPECT_TRUE(has(f, "ID", "VN2025-88143")) << dump(f);            // PV1-19 visit number
  EXPECT_TRUE(has(f, "DATE", "202505281940")) << dump(f);          // PV1-44 admit
  EXPECT_TRUE(has(f, "DATE", "202506021115")) << dump(f);          // PV1-45 discharge
  EXPECT_TRUE(has(f, "HEALTH_PLAN", "KH-4471902")) << dump(f);     // IN1-36 policy number
  EXPECT_TRUE(has(f, "HEALTH_PLAN", "KHX330817")) << dump(f);      // IN1-49 insured's ID
  // PV1-3 (a bed) and IN1-37 (the policy deductible) are not identifiers.
  for (const auto& [type, text] : f) {
    EXPECT_NE(text, "5N^512^B") << dump(f);
    EXPECT_NE(text, "250.00") << dump(f);
  }
}

TEST(Hl7, AnInvalidTimestampOrAFieldOutsideTheSegmentIsNotADate) {
  // MSH-7 with month 13 is no date; "EVN|" inside a field does not start a segment.
  std::string msg = segment("MSH", {{2, "^~\\&"}, {7, "20251305"}, {9, "ADT^A08"}}) +
                    "NTE|1||ref=EVN|A08|20250107\r" +
                    segment("EVN", {{1, "A08"}, {2, "20250108093000"}});
  auto f = found(msg);
  EXPECT_TRUE(has(f, "DATE", "20250108093000")) << dump(f);
  EXPECT_FALSE(has(f, "DATE", "20251305")) << dump(f);
  EXPECT_FALSE(has(f, "DATE", "20250107")) << dump(f);
}

TEST(Fhir, IdentifierTypedAsMrnHasItsValueReportedAsMrn) {
  // Pretty-printed, as pasted into a prompt: "type" sits between "system" and "value", and
  // the system is an opaque OID that says nothing about the kind of number.
  std::string body =
      "{\n  \"resourceType\": \"Patient\",\n  \"identifier\": [\n    {\n"
      "      \"use\": \"usual\",\n"
      "      \"system\": \"urn:oid:2.16.840.1.113883.3.7204.1.2\",\n"
      "      \"type\": {\n        \"coding\": [\n          {\n"
      "            \"system\": \"http://terminology.hl7.org/CodeSystem/v2-0203\",\n"
      "            \"code\": \"MR\"\n          }\n        ]\n      },\n"
      "      \"value\": \"QX7781020\"\n    },\n    {\n"
      "      \"type\": { \"text\": \"Medical Record Number\" },\n"
      "      \"value\": \"88-201-443\"\n    },\n    {\n"
      "      \"type\": { \"text\": \"Social Security Number\" },\n"
      "      \"value\": \"528-31-4470\"\n    }\n  ],\n"
      "  \"address\": [\n    {\n      \"line\": [\"77 Larkspur Hollow\", \"Unit 3\"],\n"
      "      \"district\": \"Washtenaw\",\n      \"city\": \"Ypsilanti\",\n"
      "      \"postalCode\": \"48197\"\n    }\n  ]\n}";
  auto f = found(body);
  EXPECT_TRUE(has(f, "MRN", "QX7781020")) << dump(f);
  EXPECT_TRUE(has(f, "MRN", "88-201-443")) << dump(f);
  EXPECT_TRUE(has(f, "SSN", "528-31-4470")) << dump(f);
  EXPECT_TRUE(has(f, "ADDRESS", "77 Larkspur Hollow")) << dump(f);
  EXPECT_TRUE(has(f, "ADDRESS", "Unit 3")) << dump(f);
  EXPECT_TRUE(has(f, "ADDRESS", "Washtenaw")) << dump(f);
  EXPECT_TRUE(has(f, "ADDRESS", "Ypsilanti")) << dump(f);
  EXPECT_TRUE(has(f, "ADDRESS", "48197")) << dump(f);
}

TEST(Fhir, TypeObjectsThatNameNoIdentifierKindReportNothing) {
  // An Observation: "type"-like objects and "value" members that are no identifiers; and a
  // "line" outside any address (an error location in a tool result).
  std::string body =
      R"({"resourceType":"Encounter","identifier":[{"type":{"text":"Admission note"},)"
      R"("value":"NOTE-2025-0419"}],"class":{"code":"AMB"},)"
      R"("error":{"file":"map.py","line":["44 Cedar Row parse"],"type":{"code":"MR"}},)"
      R"("participant":[{"type":{"text":"MRN"},"value":"MRN-TBD"}],)"
      R"("extension":[{"type":{"text":"Medical Record Number"},"valueInteger":88201443}]})";
  auto f = found(body);
  EXPECT_TRUE(f.empty()) << dump(f);
  // The same identifier with a real value is reported: the negatives above are not blind
  // spots of the detector.
  EXPECT_FINDS(R"({"identifier":[{"type":{"text":"MRN"},"value":"MRN-4471920"}]})", "MRN",
               "MRN-4471920");
}

}  // namespace
}  // namespace sluice::scanner
