// A person's identifiers are PHI only in a request about someone's health (Reach): the
// health vocabulary, the identifiers that count as health context themselves, and the same
// verdicts through the stream API wherever the writes are cut.
#include "scanner_fixture.h"
#include "sluice/scanner/redact.h"

namespace sluice::scanner {
namespace {

// The default reach, as the agent and `sluicectl scan` run it.
testing::Found reported(std::string_view text) {
  auto findings = testing::sharedScanner().scan(text);
  EXPECT_TRUE(findings.ok());
  return findings.ok() ? testing::describe(text, *findings) : testing::Found{};
}

std::vector<Finding> streamed(std::string_view body, size_t write) {
  auto stream = testing::sharedScanner().openStream();
  EXPECT_TRUE(stream.ok());
  for (size_t at = 0; stream.ok() && at < body.size(); at += write) {
    EXPECT_TRUE((*stream)->write(body.substr(at, write)).ok());
  }
  auto findings = (*stream)->finish();
  EXPECT_TRUE(findings.ok());
  return findings.ok() ? *findings : std::vector<Finding>{};
}

constexpr std::string_view kW2 =
    "My W-2 shows the wrong SSN. Name Tamsin Ellery-Brooks, SSN on file 423-61-8057. Draft an "
    "email to payroll asking for a corrected W-2c.";
constexpr std::string_view kCarSale =
    "Bill of sale: 2019 Subaru Outback, VIN 4S4BSAFC3K3365120, sold by Brian Kessler, phone "
    "651-555-0188, for $21,900.";
constexpr std::string_view kBooking =
    "Reservation for Saturday 7:30, name: Dana Whitfield, phone 503-555-0144, email "
    "dana.whitfield@gmail.com.";
constexpr std::string_view kTravel =
    "Booking info: Traveler: Derek M. Olsen, DOB 02/11/1984, Passport: 568214337, flight "
    "DL 1426 on Mar 13 2025.";

TEST(HealthContext, PersonalDetailsWithoutHealthAreNotReported) {
  for (std::string_view text : {kW2, kCarSale, kBooking, kTravel}) {
    auto f = reported(text);
    EXPECT_TRUE(f.empty()) << text << "\nfound: " << testing::dump(f);
    // The detectors still find them, for masking (Reach::kAll).
    EXPECT_FALSE(testing::found(text).empty()) << text;
  }
}

TEST(HealthContext, AHealthTermAnywhereMakesThemPhi) {
  const std::vector<std::string> health = {
      " She needs it for her chemotherapy billing.",  // a clinical cue
      " It is for his FMLA paperwork.",               // a clinical cue, upper case
      " Her cardiologist asked for it.",              // a stem ("cardiolog*")
      " He is diabetic.",                             // a stem
      " I have a pt who needs it.",                   // a whole word
      " Is HIGH BLOOD PRESSURE relevant?",            // any case
      " Mi médico lo pidió.",                         // Spanish
      " C'est pour ma mutuelle.",                     // French
  };
  for (const std::string& tail : health) {
    std::string text = std::string(kW2) + tail;
    auto f = reported(text);
    EXPECT_TRUE(testing::has(f, "SSN", "423-61-8057")) << text << "\nfound: " << testing::dump(f);
    EXPECT_TRUE(testing::has(f, "NAME", "Tamsin Ellery-Brooks")) << testing::dump(f);
  }
}

// Public health's case and contact work: the diseases and the words of an interview.
TEST(HealthContext, PublicHealthCaseWork) {
  auto f = reported(
      "Draft exclusion letter for the daycare director.\nChild: Noor Haddad (DOB 07/11/2021), "
      "attends Little Sprouts. Shigella sonnei reported 5/20.");
  EXPECT_TRUE(testing::has(f, "NAME", "Noor Haddad")) << testing::dump(f);
  f = reported(
      "crypto cluster - aquatic center. calc median incubation & flag anyone who swam while "
      "ill\n\nname,age,phone,swim_dates,onset\nTheo Brandvold,8,555-661-0023,\"7/6;7/9\",7/14");
  EXPECT_TRUE(testing::has(f, "PHONE", "555-661-0023")) << testing::dump(f);
  // ... and a community clinic's Spanish.
  f = reported(
      "resume p/ el handoff: Ana Luc\u00eda Ferrer 02/11/1978 glucosa 240 en ayunas, "
      "no trajo gluc\u00f3metro");
  EXPECT_TRUE(testing::has(f, "DATE", "02/11/1978")) << testing::dump(f);
}

// Vital records, genetic testing, the health services of the UK and Canada, and a TB
// contact list in Spanish.
TEST(HealthContext, VitalRecordsGeneticsAndHealthServices) {
  auto f = reported(
      "A man came to the counter: on the birth certificate of his son Santiago Cardenas Rojas, "
      "born November 9, 2022 in Phoenix, the father's name is missing its accents.");
  EXPECT_TRUE(testing::has(f, "DATE", "November 9, 2022")) << testing::dump(f);
  f = reported(
      "Name: Maureen Tilghman, DOB 03/02/1961, says someone downloaded her raw genotype file.");
  EXPECT_TRUE(testing::has(f, "DATE", "03/02/1961")) << testing::dump(f);
  f = reported("Rejected by OHIP: HCN 1286 453 907 VC: AB  DOB 19620822");
  EXPECT_TRUE(testing::has(f, "DATE", "19620822")) << testing::dump(f);
  f = reported(
      "Lista de contactos: el caso \u00edndice es Arturo Medina Coronado, CURP "
      "MECA850412HBCDRR07. Frotis positivo.");
  EXPECT_TRUE(testing::has(f, "NAME", "Arturo Medina Coronado")) << testing::dump(f);
}

// Children's coverage, crisis teams and occupational health put a request in health
// context.
TEST(HealthContext, EligibilityCrisisTeamsAndOccupationalHealth) {
  const std::string household =
      R"({"first":"Yesenia","last":"Garza","dob":"1990-12-03","ssn":"463-81-2290"})";
  auto f = reported("Validate this CHIP application payload. " + household);
  EXPECT_TRUE(testing::has(f, "SSN", "463-81-2290")) << testing::dump(f);
  f = reported("Validate this loan application payload. " + household);
  EXPECT_TRUE(f.empty()) << testing::dump(f);
  f = reported(
      "Pima County Mobile Crisis: adult male, Desmond Achterberg, 41, on the overpass; brother "
      "Luis's cell 520-555-0173, plate CDX4417.");
  EXPECT_TRUE(testing::has(f, "PHONE", "520-555-0173")) << testing::dump(f);
  f = reported(
      "Check for a standard threshold shift. Name: Okonkwo, Chidi  Emp# 7731  DOB 05-30-1968");
  EXPECT_TRUE(testing::has(f, "DATE", "05-30-1968")) << testing::dump(f);
  f = reported("Case note: Client Marisela Vega met her spend-down for March, SSN 463-81-2290.");
  EXPECT_TRUE(testing::has(f, "SSN", "463-81-2290")) << testing::dump(f);
}

// Immigration medicals and physical examinations, in English and as their own languages
// write them, put a request in health context.
TEST(HealthContext, ExaminationsForVisasInTheirOwnLanguages) {
  auto f = reported(
      "\u59d3\u540d\uff1a\u738b\u4e3d\u5a1c\n\u8eab\u4efd\u8bc1\u53f7\uff1a"
      "440106199005172248\n\u4f53\u68c0\u65e5\u671f\uff1a2024\u5e747\u67082\u65e5");
  EXPECT_TRUE(testing::has(f, "NAME", "\u738b\u4e3d\u5a1c")) << testing::dump(f);
  f = reported("Civil surgeon's worksheet: Marta Lindqvist, DOB 11/02/1984, SSN 463-81-2290.");
  EXPECT_TRUE(testing::has(f, "SSN", "463-81-2290")) << testing::dump(f);
  f = reported("Guest of the hotel: Marta Lindqvist, DOB 11/02/1984, SSN 463-81-2290.");
  EXPECT_TRUE(f.empty()) << testing::dump(f);
}

// COVID testing, a dialysis access and a patient's family in Spanish put a request in
// health context.
TEST(HealthContext, CovidAccessesAndPatientsInSpanish) {
  auto f = reported(
      "write a 2 line covid neg letter for travel: Marisol Ybarra dob 04/22/1988, PCR collected "
      "7/9 result neg 7/10, passport # 582194736");
  EXPECT_TRUE(testing::has(f, "DATE", "04/22/1988")) << testing::dump(f);
  f = reported(
      "heads up, Big Mike (Michael Strand) called, his ride cancelled again. Mrs. Papadakis's "
      "fistula looked red + warm yesterday");
  EXPECT_TRUE(testing::has(f, "NAME", "Michael Strand")) << testing::dump(f);
  f = reported(
      "la hija de un paciente escribe: soy Yesenia Carrillo, mi pap\u00e1 no puede ir ma\u00f1ana");
  EXPECT_TRUE(testing::has(f, "NAME", "Yesenia Carrillo")) << testing::dump(f);
}

// "pt " is a label of a lower-case name, not a health term: "Apt 31D" is an address's.
TEST(HealthContext, AnApartmentIsNoPatient) {
  auto f = reported(
      "Bill of sale: VIN 878YMKJX2220UA42Z, buyer Kelly Hill, 2853 Willow Dr, Apt 31D, Omaha, "
      "NE 68104.");
  EXPECT_TRUE(f.empty()) << testing::dump(f);
}

TEST(HealthContext, TermsCountAsWholeWordsOrStemsOnly) {
  // "pt" inside "ptr" and "receipt", "icu" inside "ridiculous", "ed visit" unspaced, words
  // that software and travel use in other senses: none is a health term.
  for (std::string_view tail :
       {" The ptr was null; the receipt is ridiculous.", " The nav-pills use stroke-width 2.",
        " Treatment group B saw the new tablet layout.", " Blood orange soda."}) {
    std::string text = std::string(kBooking) + std::string(tail);
    auto f = reported(text);
    EXPECT_TRUE(f.empty()) << text << "\nfound: " << testing::dump(f);
  }
}

TEST(HealthContext, HealthIdentifiersAreContextThemselves) {
  // A record number, a plan's member ID, an age over 89: everything beside them counts.
  auto mrn = reported(std::string(kBooking) + " MRN: 00482913");
  EXPECT_TRUE(testing::has(mrn, "MRN", "00482913")) << testing::dump(mrn);
  EXPECT_TRUE(testing::has(mrn, "PHONE", "503-555-0144")) << testing::dump(mrn);
  auto age = reported("Centenarian Carlos Garcia, age 103, celebrated on Sunday.");
  EXPECT_TRUE(testing::has(age, "AGE", "age 103")) << testing::dump(age);
  EXPECT_TRUE(testing::has(age, "NAME", "Carlos Garcia")) << testing::dump(age);
  // An image is reported in any request, for the policy to judge; alone it is no context.
  std::string image = R"({"content":[{"type":"image_url","image_url":{"url":"data:image/png;)"
                      R"(base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"}},)"
                      R"({"type":"text","text":"Seller Brian Kessler, phone 651-555-0188"}]})";
  auto img = reported(image);
  ASSERT_EQ(img.size(), 1u) << testing::dump(img);
  EXPECT_EQ(img.front().first, "IMAGE");
}

TEST(HealthContext, StreamFindsTheTermWhereverTheWritesAreCut) {
  // The term comes 100 KB after the identifiers, and is split by every write size. ("copay"
  // is not a clinical cue, which would also raise the name's score in one-shot alone: the
  // stream judges the name before the cue arrives; docs/scanner.md.)
  std::string filler(100000, 'x');
  for (size_t i = 80; i < filler.size(); i += 81) filler[i] = ' ';
  std::string late = std::string(kW2) + " " + filler + " for her copay.";
  std::string none = std::string(kW2) + " " + filler + " for her copy.";
  for (const std::string* body : {&late, &none}) {
    auto one_shot = testing::sharedScanner().scan(*body);
    ASSERT_TRUE(one_shot.ok());
    EXPECT_EQ(one_shot->empty(), body == &none);
    for (size_t write : {1u, 3u, 7u, 97u, 1460u, 65536u}) {
      EXPECT_EQ(streamed(*body, write), *one_shot) << write << "-byte writes";
    }
  }
}

TEST(HealthContext, MaskingCoversEveryIdentifier) {
  std::string masked = maskPhi(testing::sharedScanner(), kW2);
  EXPECT_EQ(masked.find("423-61-8057"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("Ellery-Brooks"), std::string::npos) << masked;
}

}  // namespace
}  // namespace sluice::scanner
