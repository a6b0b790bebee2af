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

// The findings in `text`, after checking that each of `expected` (type, text) is among them
// and that the stream API, written 61 bytes at a time, finds the same.
testing::Found findsAll(const std::string& text, const testing::Found& expected) {
  auto f = testing::foundAll(text, expected);
  auto stream = testing::sharedScanner().openStream(Reach::kAll);
  EXPECT_TRUE(stream.ok());
  for (size_t i = 0; stream.ok() && i < text.size(); i += 61) {
    EXPECT_TRUE((*stream)->write(std::string_view(text).substr(i, 61)).ok());
  }
  auto streamed = (*stream)->finish();
  EXPECT_TRUE(streamed.ok());
  if (streamed.ok()) {
    EXPECT_EQ(dump(testing::describe(text, *streamed)), dump(f)) << "stream API";
  }
  return f;
}

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
      segment("MSH", {{2, "^~\\&"},
                      {3, "CERNER"},
                      {4, "MERCY"},
                      {7, "20250314161205-0500"},
                      {9, "ORU^R01"},
                      {10, "Q88120457"},
                      {12, "2.5"}}) +
      segment("PID", {{3, "7730442^^^MERCY^MR"}, {5, "ACHTERBERG^LIESBETH"}, {7, "198211050930"}}) +
      segment("OBR",
              {{1, "1"}, {4, "24323-8^CMP^LN"}, {7, "202503140745"}, {14, "20250314081503.25"}}) +
      segment("OBX", {{1, "1"},
                      {2, "NM"},
                      {3, "2345-7^GLUCOSE^LN"},
                      {5, "20250314"},
                      {6, "mg/dL"},
                      {14, "20250314074500"}});
  auto f = findsAll(msg, {
                             {"DATE", "20250314161205-0500"},  // MSH-7
                             {"DATE", "198211050930"},         // PID-7 with its time
                             {"DATE", "202503140745"},         // OBR-7
                             {"DATE", "20250314081503.25"},    // OBR-14
                             {"DATE", "20250314074500"},       // OBX-14
                         });
  // MSH-10 (message control ID) and OBX-5 (the result, here a number shaped like a date)
  // are no record of the patient.
  EXPECT_FALSE(has(f, "DATE", "20250314")) << dump(f);
  for (const auto& [type, text] : f) EXPECT_NE(text, "Q88120457") << dump(f);
}

TEST(Hl7, VisitAndInsuranceIdentifiersByPosition) {
  std::string msg =
      segment("MSH", {{2, "^~\\&"}, {3, "MEDITECH"}, {7, "20250602"}, {9, "ADT^A03"}}) +
      segment("EVN", {{1, "A03"}, {2, "202506021130"}}) +
      segment("PV1", {{1, "1"},
                      {2, "I"},
                      {3, "5N^512^B"},
                      {10, "MED"},
                      {19, "VN2025-88143"},
                      {44, "202505281940"},
                      {45, "202506021115"}}) +
      segment("IN1", {{1, "1"},
                      {2, "HMO7"},
                      {4, "KESTREL HEALTH"},
                      {16, "ACHTERBERG^LIESBETH"},
                      {36, "KH-4471902"},
                      {37, "250.00"},
                      {49, "KHX330817"}});
  auto f = findsAll(msg, {
                             {"DATE", "20250602"},           // MSH-7, a date alone
                             {"DATE", "202506021130"},       // EVN-2
                             {"ID", "VN2025-88143"},         // PV1-19 visit number
                             {"DATE", "202505281940"},       // PV1-44 admit
                             {"DATE", "202506021115"},       // PV1-45 discharge
                             {"HEALTH_PLAN", "KH-4471902"},  // IN1-36 policy number
                             {"HEALTH_PLAN", "KHX330817"},   // IN1-49 insured's ID
                         });
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
  auto f = findsAll(body, {
                              {"MRN", "QX7781020"},
                              {"MRN", "88-201-443"},
                              {"SSN", "528-31-4470"},
                              {"ADDRESS", "77 Larkspur Hollow"},
                              {"ADDRESS", "Unit 3"},
                              {"ADDRESS", "Washtenaw"},
                              {"ADDRESS", "Ypsilanti"},
                              {"ADDRESS", "48197"},
                          });
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

TEST(Tables, ColumnNamesTypeTheirCellsInATableAboutPeople) {
  // Short and compound column names; names in capitals that no dictionary holds.
  std::string csv =
      "Flag the overdue ones:\n"
      "acct_no,PtLastName,PtFirstName,birth_dt,svc_date,cpt\n"
      "A-99120,NWACHUKWU-BELL,THANDIWE,03/02/1961,2025-04-18 13:05,99213\n"
      "A-99187,ZBOROWSKA,ILKA,11/23/1944,2025-04-18 14:40,99214\n";
  auto f = findsAll(csv, {
                             {"NAME", "NWACHUKWU-BELL"},
                             {"NAME", "THANDIWE"},
                             {"NAME", "ZBOROWSKA"},
                             {"NAME", "ILKA"},
                             {"DATE", "11/23/1944"},
                             {"DATE", "2025-04-18"},
                             {"ACCOUNT", "A-99187"},
                         });
  for (const auto& [type, text] : f) EXPECT_NE(text, "99213") << dump(f);  // a CPT code

  std::string markdown =
      "| MRN | Last | First | Collected |\n"
      "|-----|:-----|------|-----------|\n"
      "| 40021877 | Ekwueme | Chidinma | 2025-02-11 07:15 |\n";
  f = findsAll(markdown, {
                             {"MRN", "40021877"},
                             {"NAME", "Ekwueme"},
                             {"NAME", "Chidinma"},
                             {"DATE", "2025-02-11"},
                         });

  // The same kinds of columns in a table about tests, not people: nothing to report.
  EXPECT_CLEAN(
      "loinc,test_name,drawn_at,units,ref_low\n"
      "2345-7,Glucose,2025-01-02 08:00,mg/dL,70\n"
      "4548-4,Hemoglobin A1c,2025-01-02 08:00,%,4.0\n");
}

TEST(Sql, InsertValuesAreJudgedByTheirColumns) {
  std::string sql =
      "Why does this fail with a duplicate key?\n"
      "INSERT INTO clinic.visits (visit_id, pt_last, pt_first, birth_dt, home_phone, "
      "addr_line1, town, postcode, notes)\nVALUES\n"
      "  (5521, 'Abernathy-Osei', 'Rosalind', DATE '1947-10-30', '503-274-8812', "
      "'19 Quarry Hill Rd', 'Beaverton', '97005', NULL),\n"
      "  (5522, 'O''Dowd', 'Maja', '1952-01-07', NULL, 'PO Box 3310', 'Tigard', 97223, "
      "'it''s fine');";
  auto f = findsAll(sql, {
                             {"NAME", "Abernathy-Osei"},
                             {"NAME", "Rosalind"},
                             {"DATE", "1947-10-30"},
                             {"PHONE", "503-274-8812"},
                             {"ADDRESS", "19 Quarry Hill Rd"},
                             {"ADDRESS", "Beaverton"},
                             {"ADDRESS", "97005"},
                             {"NAME", "O''Dowd"},
                             {"NAME", "Maja"},
                             {"ADDRESS", "Tigard"},
                             {"ADDRESS", "97223"},
                         });

  // Schema, placeholders and a table about no one.
  EXPECT_CLEAN(
      "CREATE TABLE patients (pt_last VARCHAR(40), pt_first VARCHAR(40), birth_dt DATE);\n"
      "INSERT INTO patients (pt_last, pt_first, birth_dt) VALUES (?, ?, ?), ($1, $2, $3);\n"
      "INSERT INTO patients (pt_last, pt_first) SELECT last, first FROM staging;\n");
  EXPECT_CLEAN(
      "INSERT INTO releases (name, codename, version, shipped_at) VALUES ('Nimbus', 'Larch', "
      "'2.4.1', '2025-03-01 10:00');");
  EXPECT_CLEAN(
      "INSERT INTO stores (name, street, city, zip) VALUES ('Harbor Outlet', "
      "'Pier 21', 'Galveston', '77550');");
}

// A spreadsheet API's range, one JSON array per row (its empty cells at a row's end left
// out), and a pasted range whose column names are in Spanish.
TEST(Tables, JsonArrayRowsAndColumnsNamedInOtherLanguages) {
  std::string sheet =
      "Which patients are over 8.0?\n"
      "{\n  \"values\": [\n"
      "    [\"MRN\", \"Patient\", \"DOB\", \"Last A1c\", \"A1c date\", \"Next visit\"],\n"
      "    [\"448120\", \"Okafor, Chidi\", \"1961-03-14\", \"9.2\", \"2024-04-30\", "
      "\"2024-07-02\"],\n"
      "    [\"447002\", \"Harlan, Denise\", \"1966-12-30\", \"8.9\", \"2024-02-27\"]\n"
      "  ]\n}";
  findsAll(sheet, {
                      {"MRN", "448120"},
                      {"NAME", "Okafor, Chidi"},
                      {"DATE", "1961-03-14"},
                      {"MRN", "447002"},
                      {"NAME", "Harlan, Denise"},
                      {"DATE", "2024-02-27"},
                  });
  std::string excel =
      "Copi\u00e9 este rango de Excel de la cl\u00ednica.\n"
      "Folio\tNombre\tCURP\tFecha nac.\tColonia\tPr\u00f3x. cita\n"
      "F-0931\tMar\u00eda Guadalupe Hern\u00e1ndez R\u00edos\tHERG850312MJCRSD04\t12/03/1985\t"
      "Col. Providencia, Guadalajara\t18/06/2024\n";
  findsAll(excel, {
                      {"ID", "F-0931"},
                      {"NAME", "Mar\u00eda Guadalupe Hern\u00e1ndez R\u00edos"},
                      {"ID", "HERG850312MJCRSD04"},
                      {"DATE", "12/03/1985"},
                      {"ADDRESS", "Col. Providencia, Guadalajara"},
                  });
  // The same shapes holding no one: a range of stock, a zip code column stays a zip code's.
  EXPECT_CLEAN(
      "{\"values\": [\n  [\"SKU\", \"Item\", \"On hand\"],\n  [\"A-1002\", \"Gauze 4x4\", "
      "\"120\"]\n]}");
}

// Each statement is read once: a long VALUES list, and "insert into" repeated inside the
// strings of a statement, take time in proportion to their size.
TEST(Sql, LongStatementsAndRepeatedCuesStayLinear) {
  std::string values = "INSERT INTO patients (last_name, first_name, dob) VALUES ";
  while (values.size() < 150000) values += "('Quill', 'Xavier', '1961-03-14'), ";
  values += "('Quill', 'Xavier', '1961-03-14');";
  std::string cues = "INSERT INTO t (pt_last, dob) VALUES ('Quill', '1961-03-14'), ('";
  while (cues.size() < 400000) cues += "insert into t (pt_last) values ('";
  for (const std::string* body : {&values, &cues}) {
    auto [findings, seconds] = testing::timedScan(*body);
    ASSERT_TRUE(findings.ok());
    auto f = testing::describe(*body, *findings);
    EXPECT_TRUE(has(f, "NAME", "Quill")) << dump(f).substr(0, 200);
    EXPECT_LT(seconds, 5.0);
  }
}

}  // namespace
}  // namespace sluice::scanner
