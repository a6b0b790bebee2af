// One test per detector, through the public API, with the value's exact span checked.
#include "scanner_fixture.h"

namespace sluice::scanner {
namespace {

TEST(Detect, Ssn) {
  EXPECT_FINDS("SSN 536-22-1234 on file", "SSN", "536-22-1234");
  EXPECT_FINDS("social security number: 536221234", "SSN", "536221234");
  EXPECT_CLEAN("reference 666-22-1234 and 900-12-3456");
  // 123-45-6789 is the example printed on forms and in documentation: not reported, even
  // after an SSN label (isValidSsn() says why).
  EXPECT_CLEAN("SSN 123-45-6789");
  EXPECT_CLEAN("ssn: 123-45-6789 for the patient");
}

TEST(Detect, PhoneAndFax) {
  EXPECT_FINDS_BESIDE("call (217) 555-0143 today", "PHONE", "(217) 555-0143");
  EXPECT_FINDS_BESIDE("Fax: 312-555-0199", "FAX", "312-555-0199");
  EXPECT_FINDS_BESIDE("cell 3125550199.", "PHONE", "3125550199");
}

TEST(Detect, Dates) {
  EXPECT_FINDS("DOB: 03/14/1962", "DATE", "03/14/1962");
  EXPECT_FINDS("Date of birth 14th of March 1962", "DATE", "14th of March 1962");
  EXPECT_FINDS("Patient admitted on March 3, 2021 with pneumonia.", "DATE", "March 3, 2021");
  EXPECT_FINDS("The patient was seen 2021-03-04 in clinic.", "DATE", "2021-03-04");
  EXPECT_FINDS("dob 19620314", "DATE", "19620314");
  EXPECT_FINDS("DOB: Mar-14-1962", "DATE", "Mar-14-1962");
  EXPECT_FINDS("Admitted 01/05/2024 14:30 via ED", "DATE", "01/05/2024");
}

// Only a year-first date followed by a time is a log timestamp; a US date before a visit
// time is a date of service, and "visit" is no version cue (" v").
TEST(Detect, DatesBeforeVisitTimes) {
  EXPECT_FINDS("PT home visit 03/09/2025 13:45-14:30, gait training.", "DATE", "03/09/2025");
  EXPECT_FINDS("Wound care: visit 04/17/2025 0815-0900 at home.", "DATE", "04/17/2025");
}

// Dates of service in notes that the older cue list did not take for clinical: injury,
// operative and work-status wording.
TEST(Detect, DatesOfServiceInInjuryAndWorkNotes) {
  EXPECT_FINDS("Forklift crush injury; DOI 02/11/2025, seen by ortho.", "DATE", "02/11/2025");
  EXPECT_FINDS_BESIDE("s/p ORIF distal radius, restrictions from 5/6/2025 on.", "DATE", "5/6/2025");
  EXPECT_FINDS_BESIDE("Wound check done. Light duty until 06/02/2025.", "DATE", "06/02/2025");
}

// HIPAA keeps only the year: a month and day are PHI when they are about the patient.
TEST(Detect, DatesWithoutAYear) {
  EXPECT_FINDS_BESIDE("Pt underwent appendectomy on Aug 9, tolerating diet.", "DATE", "Aug 9");
  EXPECT_FINDS("Her mother passed away on October 14th at home.", "DATE", "October 14th");
  EXPECT_FINDS_BESIDE("Insulin started 2nd of June; A1c due next month.", "DATE", "2nd of June");
  EXPECT_FINDS("Patient discharged 9/14 to rehab with a walker.", "DATE", "9/14");
  EXPECT_FINDS_BESIDE("Is the patient covered through 1/31? Copay questions.", "DATE", "1/31");
  EXPECT_FINDS_BESIDE("Therapist note, Jan. 6: client reports better sleep.", "DATE", "Jan. 6");
}

TEST(Detect, DatesWithEuropeanMonthNames) {
  EXPECT_FINDS("Paciente nacida el 9 de agosto de 1971, dolor lumbar.", "DATE",
               "9 de agosto de 1971");
  EXPECT_FINDS("Patient urodzony 30 listopada 1944, nadci\xc5\x9bnienie.", "DATE",
               "30 listopada 1944");
  EXPECT_FINDS("Patientin, geboren am 5. M\xc3\xa4rz 1939, Diabetes.", "DATE",
               "5. M\xc3\xa4rz 1939");
}

TEST(Detect, DatesInCareRecords) {
  EXPECT_FINDS_BESIDE("HPI: fall at home.\nArrival: 4/09 at 13:20 by ambulance", "DATE", "4/09");
  EXPECT_FINDS_BESIDE("HPI: rash. Amoxicillin stopped 8/14 after hives.", "DATE", "8/14");
  EXPECT_FINDS_BESIDE("HPI: cough.\n6/21 09:15 - seen in clinic", "DATE", "6/21");
  EXPECT_FINDS("Diagnosis: OSA. CPAP rental 10/01/2026-10/31/2026, use 81%", "DATE", "10/31/2026");
  EXPECT_FINDS("Diagnosis: OSA. CPAP rental 10/01/2026-10/31/2026, use 81%", "DATE", "10/01/2026");
  EXPECT_FINDS_BESIDE("IMMUNIZATION HISTORY\nTdap: 2023-02-11, 2024-06-30", "DATE", "2024-06-30");
}

// A cue counts at a word's start: "resection" holds "section", which marks a statute's date.
TEST(Detect, CuesAtWordStarts) {
  EXPECT_FINDS_BESIDE("s/p partial 2nd ray resection 08/20/2024 (Dr. Menon).", "DATE",
                      "08/20/2024");
  EXPECT_FINDS_BESIDE("Dx: preeclampsia. Emergent C-section 02/09/2025 for HELLP.", "DATE",
                      "02/09/2025");
  EXPECT_CLEAN("Under O.C.G.A. section 9-3-33 the period runs two years.");
  // camelCase keys start words too.
  EXPECT_FINDS("PatientDTO(id=5521873, firstName=Marisol, lastName=Quintero-Baez, dob=1978-03-14)",
               "NAME", "Marisol");
}

TEST(Detect, RangesOfMonthsAndDays) {
  for (const char* range : {"8/27-9/24", "4/18-4/20", "9/28-10/2"}) {
    std::string text = std::string("Dx: wound. NPWT continuous ") + range + ", then dressing.";
    std::string first(range, std::string_view(range).find('-'));
    std::string last(std::string_view(range).substr(first.size() + 1));
    EXPECT_FINDS_BESIDE(text, "DATE", first);
    EXPECT_FINDS_BESIDE(text, "DATE", last);
  }
  // Months of years, open-ended ranges, a year only at the end, a list of dates.
  auto f = testing::foundBeside(
      "Dx: ADHD. Methylphenidate (08/2023-02/2024, insomnia), guanfacine (03/2024-present). "
      "PHP admission 08/12-08/30/2024. BMZ x2 complete (2/7, 2/8).");
  for (const char* date : {"08/2023", "02/2024", "03/2024", "08/12", "08/30/2024", "2/7", "2/8"}) {
    EXPECT_TRUE(testing::has(f, "DATE", date)) << date << ": " << testing::dump(f);
  }
  // Scores stay scores.
  EXPECT_CLEAN("Dx: weakness. Strength 3/5-4/5 in the left arm.");
}

TEST(Detect, DatesReadByOcr) {
  EXPECT_FINDS("PATIENT: Szymanski, Bogdan J.   DOB: O6/O2/1948", "DATE", "O6/O2/1948");
  EXPECT_FINDS("Dx: wet AMD. Date of Service: 1O/O3/2024", "DATE", "1O/O3/2024");
  EXPECT_FINDS_BESIDE("Dx: wet AMD. Last inj OD: O8/O8/2O24 (faricimab)", "DATE", "O8/O8/2O24");
}

TEST(Detect, CaseAndRequestNumbers) {
  // Only beside the patient's other identifiers: staff and vendors open cases too.
  EXPECT_FINDS_BESIDE("Cause pending, ME notified (case ME25-01877, declined).", "ID",
                      "ME25-01877");
  EXPECT_FINDS_BESIDE("PA submitted 02/27, ref PA-BCNC-7731902, status pending.", "ID",
                      "PA-BCNC-7731902");
  EXPECT_FINDS_BESIDE("ticket PSUP-33018: patient says someone else logged in", "ID", "PSUP-33018");
  EXPECT_CLEAN("Opened ticket PSUP-33018 for the badge printer.");
  auto codes = testing::foundBeside("Coded as ICD-10-CM E11.9; ref CPT-99213 and CVE-2024-3094.");
  EXPECT_FALSE(testing::has(codes, "ID", "CPT-99213")) << testing::dump(codes);
  EXPECT_FALSE(testing::has(codes, "ID", "CVE-2024-3094")) << testing::dump(codes);
}

TEST(Detect, FhirPatientIdsAndPlanGroups) {
  EXPECT_FINDS(R"({"resourceType": "Patient", "id": "pt-88213", "birthDate": "1961-02-03"})", "ID",
               "pt-88213");
  EXPECT_FINDS(R"({"subject": {"reference": "Patient/pt-5592013"}, "status": "final"})", "ID",
               "pt-5592013");
  EXPECT_FINDS(R"({"plan": "Cigna Open Access Plus", "group": "3340982", "status": "active"})",
               "HEALTH_PLAN", "3340982");
  EXPECT_FINDS(R"({"case_id": "EH-BBP-2024-0391", "status": "open"})", "ID", "EH-BBP-2024-0391");
  EXPECT_CLEAN(R"({"resourceType": "Organization", "id": "org-55120", "name": "Bayview"})");
  EXPECT_CLEAN(R"({"group": "3340982", "role": "admins"})");
}

// A table that opens a JSON string: a tool's CSV result.
TEST(Detect, TableAtTheStartOfAString) {
  testing::foundAll(
      R"({"role": "tool", "content": "patient_id,patient_name,dob,wound_id
WC-10442,"Obuya, Francis",1949-03-02,W1
"})",
      {{"MRN", "WC-10442"}, {"NAME", "Obuya, Francis"}, {"DATE", "1949-03-02"}});
}

TEST(Detect, NamesWithAccentedLetters) {
  testing::foundAll("Patient: \xc3\x89tienne Fontaine, DOB 03/04/1960",
                    {{"NAME", "\xc3\x89tienne Fontaine"}});
  testing::foundAll("Patient: Tr\xe1\xba\xa7n Th\xe1\xbb\x8b Mai Anh, MRN 55-2190-338",
                    {{"NAME", "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b Mai Anh"}});
  // Found whole by the name dictionaries, not as "Hern" before its accented letter.
  auto f = testing::foundAll(
      "Mar\xc3\xad"
      "a Hern\xc3\xa1ndez came in with chest pain, DOB 03/04/1960",
      {{"NAME",
        "Mar\xc3\xad"
        "a Hern\xc3\xa1ndez"}});
  EXPECT_FALSE(testing::has(f, "NAME",
                            "Mar\xc3\xad"
                            "a Hern"))
      << testing::dump(f);
}

TEST(Detect, IdentifiersOfOtherCountries) {
  EXPECT_FINDS("IPP : 802214673     NIR : 2 71 04 33 063 118 42", "ID", "2 71 04 33 063 118 42");
  EXPECT_FINDS_BESIDE("Sohn Matthias (Tel. 0176 5550 2281) begleitet sie.", "PHONE",
                      "0176 5550 2281");
  EXPECT_FINDS("Patient: Wojcik, Stanislaw J.  DOB: 1931-12-08 (93 y)", "AGE", "93 y");
  EXPECT_FINDS(
      "Son num\xc3\xa9ro de s\xc3\xa9"
      "curit\xc3\xa9 sociale est le 2 39 08 69 123 456 78.",
      "ID", "2 39 08 69 123 456 78");
}

TEST(Detect, AccountNames) {
  EXPECT_FINDS("Portal user: tmarchetti1958 | Sent: Tue 11/12/2024", "ID", "tmarchetti1958");
  EXPECT_FINDS("portal user: imani.w.oduya asked about the PA", "ID", "imani.w.oduya");
  // A log's user counts only beside the patient's other identifiers.
  EXPECT_FINDS_BESIDE("LOGIN_SUCCESS user=bsantangelo88 ip=10.0.0.4", "ID", "bsantangelo88");
  EXPECT_CLEAN("LOGIN_SUCCESS user=svc_backup01 ip=10.0.0.4");
  // A person's name in words is no account name.
  auto f = testing::found("User: Kayla Brightwater DOB 2006-11-23");
  EXPECT_FALSE(testing::has(f, "ID", "Kayla")) << testing::dump(f);
}

TEST(Detect, MiddleInitialsAndObservationDates) {
  EXPECT_FINDS("MEMBER NAME: JAVIER A ESTRADA-LUNA, dx diabetes", "NAME", "JAVIER A ESTRADA-LUNA");
  EXPECT_FINDS("OBX|1|ST|11778-8^EDD^LN||20240616||||||F", "DATE", "20240616");
  EXPECT_CLEAN("OBX|2|NM|2345-7^GLUCOSE^LN||102|mg/dL|70-99|H|||F");
}

TEST(Detect, AgesOverEightyNine) {
  EXPECT_FINDS("A 93-year-old man presented with syncope.", "AGE", "93-year");
  EXPECT_FINDS("pt is 96 y.o. with CHF", "AGE", "96 y.o");
  EXPECT_FINDS("Age: 101", "AGE", "Age: 101");
  EXPECT_CLEAN("A 54-year-old woman presented with chest pain.");
  // Caregivers write the age after a verb.
  EXPECT_FINDS("My grandfather is 97 and lives alone.", "AGE", "97");
  EXPECT_FINDS("Mom turned 102 in June", "AGE", "102");
  EXPECT_CLEAN("The room is 104, the score is 95 and he is 98.6 F, she is 91 kg.");
  // Written out.
  EXPECT_FINDS("Resident Walter Pike, ninety-four, needs a walker.", "AGE", "ninety-four");
  EXPECT_FINDS("my aunt is ninety-one years old", "AGE", "ninety-one");
  EXPECT_FINDS("She died aged one hundred and three.", "AGE", "one hundred and three");
  EXPECT_CLEAN("Ninety percent of residents got the vaccine within ninety days.");
}

TEST(Detect, Email) {
  EXPECT_FINDS_BESIDE("reach me at jane.doe+clinic@mail.example.org.", "EMAIL",
                      "jane.doe+clinic@mail.example.org");
}

TEST(Detect, UrlWithPersonalPath) {
  EXPECT_FINDS("portal https://mychart.example.org/patient/88231 ok", "URL",
               "https://mychart.example.org/patient/88231");
}

TEST(Detect, InternationalPhoneMacImeiRouting) {
  EXPECT_FINDS_BESIDE("daughter in London: +44 20 7946 0958", "PHONE", "+44 20 7946 0958");
  EXPECT_FINDS("insulin pump MAC address 00:1B:44:11:3A:B7", "DEVICE", "00:1B:44:11:3A:B7");
  // A serial with no medical device named before it, and any account number, count beside
  // another identifier: equipment's and vendors' as often as a patient's.
  EXPECT_FINDS_BESIDE("phone IMEI 356938035643809", "DEVICE", "356938035643809");
  EXPECT_FINDS_BESIDE("routing number 021000021", "ACCOUNT", "021000021");
  EXPECT_CLEAN("switch port 00:1B:44:11:3A:B7 flapped");  // a MAC without a device cue
}

TEST(Detect, IpAddresses) {
  EXPECT_FINDS("login from 73.162.10.45 at noon", "IP", "73.162.10.45");
  EXPECT_FINDS("client 2001:db8:85a3::8a2e:370:7334 connected", "IP",
               "2001:db8:85a3::8a2e:370:7334");
}

TEST(Detect, CardsAreAccounts) {
  EXPECT_FINDS("card 4111 1111 1111 1111 exp 12/27", "ACCOUNT", "4111 1111 1111 1111");
  EXPECT_FINDS_BESIDE("Account number: 00112233445", "ACCOUNT", "00112233445");
}

TEST(Detect, LicencesNpiDea) {
  // A provider's numbers count beside a patient's identifier (EXPECT_FINDS_BESIDE).
  EXPECT_FINDS_BESIDE("NPI 1245319599", "LICENSE", "1245319599");
  EXPECT_FINDS_BESIDE("NPI of ordering provider 1245319599.", "LICENSE", "1245319599");
  EXPECT_FINDS_BESIDE("prescriber DEA AB1234563", "LICENSE", "AB1234563");
  EXPECT_FINDS("Driver's license: D1234-5678-9012", "LICENSE", "D1234-5678-9012");
}

TEST(Detect, HealthPlanAndMrn) {
  EXPECT_FINDS("Medicare MBI 1EG4-TE5-MK74", "HEALTH_PLAN", "1EG4-TE5-MK74");
  EXPECT_FINDS("Member ID: XJH123456789", "HEALTH_PLAN", "XJH123456789");
  EXPECT_FINDS("MRN: 00482913", "MRN", "00482913");
  EXPECT_FINDS("MRN00482913 admitted", "MRN", "00482913");
  // A group number with no '#' or ':' right after the member's ID, and a card's "Grp:".
  EXPECT_FINDS("BCBS member ID XJK884917201, group 0043127", "HEALTH_PLAN", "0043127");
  EXPECT_FINDS_BESIDE("Policy: LTD-0092817, Group 44719 (Tri-County)", "HEALTH_PLAN", "44719");
  EXPECT_FINDS("ID: XQB884120057  Grp: 277410", "HEALTH_PLAN", "277410");
  // The bare word before a number as long as a member ID's, and not before a badge or a count.
  EXPECT_FINDS("pt called re her claim, member W2874410932, MRI denied", "HEALTH_PLAN",
               "W2874410932");
  EXPECT_CLEAN("team member 4410 badge for the MRI suite; member 2 of 3 had a flu shot");
  // Not a plan's: a "group" not right after the member's ID, or with no four-digit number.
  for (const char* text : {"Member ID: XJH123456789. Support group 20241 meets Tuesdays.",
                           "Member ID: XJH123456789, group 2 of the study"}) {
    auto f = testing::found(text);
    EXPECT_EQ(f.size(), 1u) << text << "\nfound: " << testing::dump(f);
  }
}

TEST(Detect, VehicleDeviceBiometricId) {
  EXPECT_FINDS("VIN 1M8GDM9AXKP042788", "VEHICLE", "1M8GDM9AXKP042788");
  EXPECT_FINDS("license plate: 7ABC123", "VEHICLE", "7ABC123");
  // An equipment serial is a patient's only beside their other identifiers; an implant's is theirs.
  EXPECT_FINDS_BESIDE("UDI (01)00614141999996(17)250101", "DEVICE", "(01)00614141999996(17)250101");
  EXPECT_FINDS("pacemaker serial number: PM-88213-X", "DEVICE", "PM-88213-X");
  EXPECT_FINDS("fingerprint template: FP-9a8b7c6d", "BIOMETRIC", "FP-9a8b7c6d");
  EXPECT_FINDS("Claim number: CLM-2024-000123", "ID", "CLM-2024-000123");
  EXPECT_FINDS("Group #: 88213A, Policy: ZKP449120", "HEALTH_PLAN", "ZKP449120");
  EXPECT_FINDS_BESIDE("Account: 20019934 (billing)", "ACCOUNT", "20019934");
}

TEST(Detect, Addresses) {
  EXPECT_FINDS("lives at 42 Oak Street, Springfield, IL 62704.", "ADDRESS",
               "42 Oak Street, Springfield, IL 62704");
  EXPECT_FINDS_BESIDE("mail to P.O. Box 1234 please", "ADDRESS", "P.O. Box 1234");
  EXPECT_FINDS_BESIDE("Zip code: 60614", "ADDRESS", "60614");
  EXPECT_FINDS("Clinic intake, diabetes. Zip code: 60614", "ADDRESS", "60614");
  // Outside clinical text a street address is anyone's: it counts beside another identifier.
  EXPECT_FINDS_BESIDE("INSERT INTO t VALUES ('88 Juniper Ct', 'x')", "ADDRESS", "88 Juniper Ct");
  // A city with its state after where someone lives or was born.
  EXPECT_FINDS("She grew up in Cedar Rapids, Iowa and moved last year.", "ADDRESS",
               "Cedar Rapids");
  EXPECT_FINDS("my husband was born in Tupelo, Mississippi", "ADDRESS", "Tupelo");
  EXPECT_CLEAN("Our build servers run in Ashburn, Virginia and Hillsboro, Oregon.");
  EXPECT_FINDS_BESIDE("Discharge note: Lowe, Virginia admitted with CHF", "NAME", "Lowe, Virginia");
}

TEST(Detect, NamesNeedPairsOrCues) {
  EXPECT_FINDS_BESIDE("Summary for Maria Gonzalez regarding her labs", "NAME", "Maria Gonzalez");
  EXPECT_FINDS_BESIDE("Seen by Dr. Okonkwo today", "NAME", "Okonkwo");
  EXPECT_FINDS("Patient Name: Xavier Quill", "NAME", "Xavier Quill");
  EXPECT_FINDS_BESIDE("Johnson, Robert was admitted", "NAME", "Johnson, Robert");
  EXPECT_FINDS_BESIDE("John A. Smith came in", "NAME", "John A. Smith");
  EXPECT_FINDS("Hi, I'm Priya Raghavan and my mother is ill.", "NAME", "Priya Raghavan");
  EXPECT_FINDS("Client: Nguyen Van Thanh, seen today", "NAME", "Nguyen Van Thanh");
  EXPECT_FINDS_BESIDE("Jayden Smith was admitted", "NAME", "Jayden Smith");  // not a Census name
  EXPECT_CLEAN("Patient Education: drink water. I'm Sorry for the delay.");
  EXPECT_FINDS_BESIDE("Discharge summary for SMITH, JOHN. Admitted with CHF.", "NAME",
                      "SMITH, JOHN");
  EXPECT_FINDS("DIAGNOSIS: CHF. PATIENT MARIA GONZALEZ SEEN TODAY", "NAME", "MARIA GONZALEZ");
  EXPECT_CLEAN("PLEASE READ THE MARK TWAIN QUOTE ALOUD");  // capitals outside clinical text
  EXPECT_CLEAN("Will you review the March report? Grant access to Rose Garden.");
  EXPECT_CLEAN("Smith reported the error.");  // a lone surname without a cue
}

// Names that the dictionaries miss, found by the words around them: a role label, a title
// after the label, a relation with an appositive comma, a birth cue after the name, a caller
// naming themselves, a newborn not yet named, accented letters.
TEST(Detect, NamesByTheirCues) {
  EXPECT_FINDS("Applicant: Tendai Moyo\nEmployer: Acme", "NAME", "Tendai Moyo");
  EXPECT_FINDS("Decedent: Yevhen Kovalchuk", "NAME", "Yevhen Kovalchuk");
  EXPECT_FINDS("RESIDENT NAME: MRS. FARIDA HUSSAINI", "NAME", "FARIDA HUSSAINI");
  EXPECT_FINDS("Patient name: Dr. Keoni Kahale", "NAME", "Keoni Kahale");
  EXPECT_FINDS("Please help me write to my mother, Thandiwe Nkosi, about her meds.", "NAME",
               "Thandiwe Nkosi");
  EXPECT_FINDS("Records for Bao Lin Truong, born 04/09/1944, are attached.", "NAME",
               "Bao Lin Truong");
  EXPECT_FINDS("Discharge Summary Oksana Melnyk (DOB 1950-02-03)", "NAME", "Oksana Melnyk");
  EXPECT_FINDS("Hello, this is Folasade Bankole calling about my refill.", "NAME",
               "Folasade Bankole");
  EXPECT_FINDS("Nursery note: Baby Boy Okafor, 3.2 kg", "NAME", "Okafor");
  EXPECT_FINDS("Patient: Inés Muñoz-Ibáñez", "NAME", "Inés Muñoz-Ibáñez");
  // Double given names, hyphenated.
  EXPECT_FINDS_BESIDE("Jean-Luc Moreau called about his results", "NAME", "Jean-Luc Moreau");
  EXPECT_FINDS_BESIDE("Write a call note: Min-jun Park called to pay", "NAME", "Min-jun Park");
  // Patients write in lower case.
  EXPECT_FINDS("hey this is tyrone whitfield, need a refill on my inhaler", "NAME",
               "tyrone whitfield");
  EXPECT_FINDS("my daughter jazmyne okafor-bell has a rash", "NAME", "jazmyne okafor-bell");
  EXPECT_CLEAN("it's april already and my son will graduate soon");
  EXPECT_CLEAN("its grace period ends, my mom said hello");
  // The same cues around words that are no names.
  EXPECT_CLEAN("This is Important: read the Discharge Instructions, born of experience.");
  EXPECT_CLEAN("Applicant: Please Complete Section Two.");
  EXPECT_CLEAN("He was born in 1950 and served in the Navy.");
  // A relative named by the word before a first name alone, beside another identifier; in a
  // story alone, a character ("son Theo"), and a word that is also English ("son Will").
  EXPECT_FINDS_BESIDE("Family present: son Ambrose and granddaughter Priya.", "NAME", "Ambrose");
  EXPECT_FINDS_BESIDE("Family present: son Ambrose and granddaughter Emily.", "NAME", "Emily");
  EXPECT_CLEAN("In the scene, Nora's estranged son Theo finally calls.");
  EXPECT_CLEAN("Her son Will graduates in May.");
}

// A second round of cues: a relation in parentheses after a name, an appositive after
// "patient", "her name is" in lower case, a double surname, a licence after its state, an
// E.164 number as SMS APIs take it.
TEST(Detect, NamesAndNumbersByMoreCues) {
  EXPECT_FINDS("Contact: Bogdan Melnychuk (brother), cell 617-926-3482", "NAME",
               "Bogdan Melnychuk");
  EXPECT_FINDS("A patient, Tomasz Wojcik, asked about the bill.", "NAME", "Tomasz Wojcik");
  EXPECT_FINDS("her name is lucia fernandez and she lives with us", "NAME", "lucia fernandez");
  EXPECT_FINDS("Seen today: Adaeze Okafor-Bennett, 51F, for follow-up", "NAME",
               "Adaeze Okafor-Bennett");
  EXPECT_FINDS("CDL: TX 44910283 expires soon", "LICENSE", "44910283");
  EXPECT_FINDS_BESIDE(R"({"to": "+16179263482", "body": "reminder"})", "PHONE", "+16179263482");
  EXPECT_CLEAN("The patient, however, declined the (optional) survey.");
}

// Query output and API records: psql's table, a FHIR period, a tool result's "name" next to
// a birth date.
TEST(Detect, RecordsFromToolsAndQueries) {
  const std::string psql =
      " member_id | last_name | first_name |    dob\n"
      "-----------+-----------+------------+------------\n"
      "    771204 | Osei      | Kwabena    | 1971-08-02\n"
      "(1 row)";
  EXPECT_FINDS(psql, "NAME", "Osei");
  EXPECT_FINDS(psql, "NAME", "Kwabena");
  EXPECT_FINDS(psql, "DATE", "1971-08-02");
  EXPECT_FINDS(R"({"resourceType": "Encounter", "period": {"start": "2025-04-03T10:05:00-05:00"}})",
               "DATE", "2025-04-03T10:05:00-05:00");
  EXPECT_FINDS(R"({"name": "Taras Bondarenko", "birthDate": "1949-01-30"})", "NAME",
               "Taras Bondarenko");
  EXPECT_CLEAN(R"({"retry": {"start": "2025-04-03T10:05:00Z", "end": "2025-04-03T10:06:00Z"}})");
  EXPECT_CLEAN(R"({"name": "Cedar Grove Pharmacy", "phone_type": "main"})");
  EXPECT_CLEAN("Patient: Send refills to Rose Hill Clinic.");
}

// A patient's identifier in a URL path without its scheme, and an account in a key=value log.
TEST(Detect, IdentifiersInPathsAndLogs) {
  EXPECT_FINDS("10:02 GET /fhir/r4/patients/A77120934/everything 200", "ID", "A77120934");
  EXPECT_FINDS("auth ok user=mem_4471902 ip=203.0.114.9", "ID", "mem_4471902");
  EXPECT_CLEAN("GET /api/patients/search?limit=20 returned 200; user=admin logged out");
}

// Numbers after their bare labels: claims, accessions, reports, prescriptions, plates.
TEST(Detect, IdentifiersAfterBareLabels) {
  EXPECT_FINDS("Claim 4490021873 was denied", "ID", "4490021873");
  EXPECT_FINDS("claim no. BX-2025-55103 appeal", "ID", "BX-2025-55103");
  EXPECT_FINDS("Acc #: CT-7731-220 pending read", "ID", "CT-7731-220");
  EXPECT_FINDS("Incident number 2025-118834 filed", "ID", "2025-118834");
  EXPECT_FINDS("Rx# 3318207 refill requested", "ID", "3318207");
  EXPECT_FINDS("Texas plate KXR 7731 involved", "VEHICLE", "KXR 7731");
  // All zeros describe a format, they identify nobody.
  EXPECT_CLEAN("Reject serial 0000 and group 00 in the validator.");
  EXPECT_CLEAN("Claim the refund for 2 items.");
}

// An identifier label in capitals after a name cue is the label of the next value, not a
// name: "Patient SSN" reported "SSN" as a NAME.
TEST(Detect, IdentifierLabelsAreNotNames) {
  EXPECT_EQ(testing::dump(testing::found("Patient SSN: 536-22-1847")), "SSN='536-22-1847' ");
  EXPECT_EQ(testing::dump(testing::found("patient ssn 536-22-1847")), "SSN='536-22-1847' ");
  EXPECT_EQ(testing::dump(testing::found("Patient MRN: 00482913")), "MRN='00482913' ");
  EXPECT_EQ(testing::dump(testing::found("Pt: DOB 03/14/1962")), "DATE='03/14/1962' ");
  EXPECT_CLEAN("Mr. SSN");
  // A name ends before the label that follows it.
  EXPECT_FINDS("Patient: John Smith SSN 536-22-1847", "NAME", "John Smith");
  EXPECT_FINDS("PATIENT: MARIA GONZALEZ DOB 03/14/1962", "NAME", "MARIA GONZALEZ");
}

TEST(Detect, Images) {
  std::string body =
      R"({"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64",)"
      R"("media_type":"image/png","data":"iVBORw0KGgo+Smith/AAAA"}}]}]})";
  auto f = testing::found(body);
  ASSERT_EQ(f.size(), 1u) << testing::dump(f);
  EXPECT_EQ(f[0].first, "IMAGE");
  EXPECT_FINDS("see data:image/jpeg;base64,/9j/4AAQSkZJRg== here", "IMAGE",
               "data:image/jpeg;base64,/9j/4AAQSkZJRg==");
}

TEST(Detect, JsonKeysGiveContext) {
  EXPECT_FINDS(R"({"memberId": "W123456789", "dob": "1962-03-14"})", "HEALTH_PLAN",
               "W123456789");
  EXPECT_FINDS(R"({"memberId": "W123456789", "dob": "1962-03-14"})", "DATE", "1962-03-14");
  EXPECT_FINDS(R"({"patient_name": "Quentin Zebulon"})", "NAME", "Quentin Zebulon");
  EXPECT_CLEAN(R"({"name": "get_weather", "description": "Get the weather"})");
}

TEST(Detect, Hl7Fields) {
  std::string msg =
      "MSH|^~\\&|EPIC|HOSP|||20230101120000||ADT^A01|123|P|2.5\r"
      "PID|1||4455667^^^HOSP^MR||DOE^JANE^A||19750412|F|||12 ELM ST^^BOSTON^MA^02115||"
      "(617)555-0199|||||ACC998877|536-22-1234\r"
      "NK1|1|DOE^JOHN|SPO|12 ELM ST^^BOSTON^MA^02115|(617)555-0100\r"
      "IN1|1|BCBS123|" + std::string(13, '|') + "DOE^JANE||19750412" + std::string(18, '|') +
      "POL-556677\r";
  auto f = testing::found(msg);
  EXPECT_TRUE(testing::has(f, "MRN", "4455667")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "NAME", "DOE^JANE^A")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "DATE", "19750412")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "ADDRESS", "12 ELM ST^^BOSTON^MA^02115")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "SSN", "536-22-1234")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "NAME", "DOE^JOHN")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "HEALTH_PLAN", "BCBS123")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "HEALTH_PLAN", "POL-556677")) << testing::dump(f);
}

TEST(Detect, FhirIdentifierSystem) {
  std::string body = R"({"resourceType":"Patient","identifier":[{"system":)"
                     R"("http://hl7.org/fhir/sid/us-ssn","value":"536221234"},)"
                     R"({"value":"A77001","system":"urn:oid:1.2.36.146.595.217.0.1/mrn"}],)"
                     R"("name":[{"family":"Okafor","given":["Chidi","N"]}],"telecom":[)"
                     R"({"system":"phone","value":"(312) 555-0142"}]})";
  auto f = testing::found(body);
  EXPECT_TRUE(testing::has(f, "SSN", "536221234")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "MRN", "A77001")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "NAME", "Okafor")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "NAME", "Chidi")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "PHONE", "(312) 555-0142")) << testing::dump(f);
}

TEST(Detect, JsonSentAsAJsonStringIsDecodedTwice) {
  // An OpenAI tool call: "arguments" is a JSON document inside a JSON string.
  std::string body =
      R"({"tool_calls":[{"function":{"name":"save_note","arguments":)"
      R"("{\"note\":\"MRN: 00482913\\nDOB: 03/14/1962\"}"}}]})";
  auto findings = testing::sharedScanner().scan(body);
  ASSERT_TRUE(findings.ok());
  auto f = testing::describe(body, *findings);
  EXPECT_TRUE(testing::has(f, "MRN", "00482913")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "DATE", "03/14/1962")) << testing::dump(f);
  auto stream = testing::sharedScanner().openStream();
  ASSERT_TRUE(stream.ok());
  for (size_t i = 0; i < body.size(); i += 7) {
    ASSERT_TRUE((*stream)->write(std::string_view(body).substr(i, 7)).ok());
  }
  auto streamed = (*stream)->finish();
  ASSERT_TRUE(streamed.ok());
  EXPECT_EQ(*streamed, *findings);
}

TEST(Detect, EscapesDoNotHideValuesAndOffsetsPointAtRawBytes) {
  std::string body = R"({"content":"note:\nSSN\u003a 536\u002d22-1234\nDOB: 03\/14\/1962"})";
  auto findings = testing::sharedScanner().scan(body, Reach::kAll);
  ASSERT_TRUE(findings.ok());
  auto f = testing::describe(body, *findings);
  EXPECT_TRUE(testing::has(f, "SSN", R"(536\u002d22-1234)")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "DATE", R"(03\/14\/1962)")) << testing::dump(f);
}

// A name, date or address of an organisation's mailbox with no cue is anyone's: it makes a
// request PHI only beside another identifier. Beside one, it is reported.
TEST(Detect, WeakFindingsNeedAnotherIdentifier) {
  EXPECT_CLEAN("Draft a reply to Karen Liu about moving the Q3 review to Thursday.");
  EXPECT_CLEAN("Write a story where Elena Vasquez, a lighthouse keeper, finds a bottle.");
  EXPECT_FINDS("Draft a reply to Karen Liu about her SSN 536-22-1234.", "NAME", "Karen Liu");
  // Clinicians and authors: "Dr." and "Prof." are no patient cues.
  EXPECT_CLEAN("Grand Rounds: Dr. Rosalind Achebe on heart failure in the ICU, Thursday.");
  EXPECT_FINDS_BESIDE("Grand Rounds: Dr. Rosalind Achebe on heart failure.", "NAME",
                      "Rosalind Achebe");
  // Dates with no care or life-event word: a policy's, a study's.
  EXPECT_CLEAN("Nursing policy 4.2, effective 01/01/2027, replaces the 03/15/2024 revision.");
  EXPECT_CLEAN("Newsletter: the trial enrolled from 3 March 2019 to 30 June 2022 in 14 ICUs.");
  // A staff address at the hospital's domain; a patient's personal mailbox stays PHI alone.
  EXPECT_CLEAN(
      "From: Dana Whitfield <dwhitfield@mercyvalleyhealth.org>\nThe infusion pump "
      "contract renews in March; the nursing units need 40 more.");
  EXPECT_FINDS("pt asks that results go to jdoe1987@gmail.com", "EMAIL", "jdoe1987@gmail.com");
  // A toll-free number is a business's.
  EXPECT_CLEAN("Questions about your prescription? Call the pharmacy at 1-866-393-4585.");
  EXPECT_FINDS_BESIDE("Patient Maria Lopez, callback 1-866-393-4585.", "PHONE", "1-866-393-4585");
}

// Contact details with no health context, a sender's sign-off, a story's characters and a
// device model are nobody's record.
TEST(Detect, PeopleWhoAreNoPatients) {
  EXPECT_CLEAN("Hotel booking: Guest: Marcus Oyelowo-Chen, +33 1 43 54 21 90, two nights.");
  EXPECT_CLEAN("Can we move our sync to Dec 19? My direct line is 312-555-0147.\nBest,\nDan");
  EXPECT_CLEAN(
      "The discharge workflow demo went well; the nurses liked it.\n\nBest,\n"
      "Trevor Nguyen\nAccount Executive, CareSync\n(312) 555-0187");
  EXPECT_FINDS("Patient reports dizziness since Monday; callback (312) 555-0187.", "PHONE",
               "(312) 555-0187");
  EXPECT_CLEAN(
      "Continue this screenplay:\nINT. MERCY GENERAL - ICU - NIGHT\nDR. ELENA VOSS "
      "studies a monitor.\nTHEO: Bed six, Mr. Halvorsen is crashing.");
  EXPECT_FINDS("Is a novel anticoagulant safe for Mr. Halvorsen after his bleed?", "NAME",
               "Halvorsen");
  EXPECT_CLEAN("Pump manual, section 4: UDI-DI (01)00850012345678, sterile, single use.");
  EXPECT_FINDS("Pacemaker check: UDI (01)00850012345678(21)PM88231 interrogated, battery ok.",
               "DEVICE", "00850012345678");
}

TEST(Detect, IdentifiersInFormsLogsAndApis) {
  EXPECT_FINDS("insurance_carrier: Regence\nmember_id: RGZ884129047\ngroup_number: 10048821",
               "HEALTH_PLAN", "RGZ884129047");
  EXPECT_FINDS("rx-refill name=\"Rosalind Achebe\" plan=AETNA member=W228471935", "HEALTH_PLAN",
               "W228471935");
  EXPECT_FINDS("Member ID: RXP7730419926  BIN 610014  Group: OPTRX-4471", "HEALTH_PLAN",
               "OPTRX-4471");
  EXPECT_FINDS("Die AU ist bei der TK, Versichertennummer K482910377.", "HEALTH_PLAN",
               "K482910377");
  EXPECT_FINDS(R"({"appointments": [{"patient": {"id": "P-004187", "name": "Gideon Szymanski"}}]})",
               "MRN", "P-004187");
  EXPECT_CLEAN(R"({"appointment": {"id": "A-77120", "status": "confirmed"}})");
  EXPECT_FINDS(R"({"patient": "Consuelo Arriaga", "rx_number": "RX4418092", "status": "ready"})",
               "ID", "RX4418092");
  EXPECT_FINDS("triage note: Maria Gonzalez 29M arrived 23:10 by EMS", "NAME",
               "Maria Gonzalez");
  EXPECT_CLEAN("Ask Maria Gonzalez 45 minutes before the triage huddle.");
  // An insurance plan's own identifier (HIOS) names no member.
  EXPECT_CLEAN("Compare SILVERLINE HMO 3500 (Plan ID 48212CA0450017) and the PPO.");
}

TEST(Detect, OrganisationsContactDetails) {
  EXPECT_CLEAN("Measles update: free MMR clinics at Grove Community Center, 600 Main St. "
               "Questions: county health dept (217) 555-0199.");
  EXPECT_FINDS("Patient lives at 600 Main St with her daughter, was admitted for CHF.", "ADDRESS",
               "600 Main St");
}

TEST(Detect, FamilyLabels) {
  EXPECT_FINDS("hi, my mum Brenda Okafor had her hip replacement and is running 38.4", "NAME",
               "Brenda Okafor");
  EXPECT_FINDS("my grandmother Edith Szabo had cataract surgery last week", "NAME", "Edith Szabo");
  EXPECT_FINDS("PD catheter placed 11/04, MRN 20558174. Wife (Funmi) reports mild discomfort.",
               "NAME", "Funmi");
  EXPECT_CLEAN("Family history: mother (MGM side) had breast cancer at 52.");
}

// A famous patient's history: the dates after "diagnosed" or "born" are the figure's.
TEST(HardNegatives, PublicFiguresDates) {
  EXPECT_CLEAN(
      "History class: Lou Gehrig was diagnosed with ALS at Mayo Clinic on June 19, "
      "1939, his 36th birthday.");
  EXPECT_CLEAN("Seminar guide on Henrietta Lacks (born August 1, 1920; died October 4, 1951).");
  EXPECT_CLEAN("Franklin D. Roosevelt's paralysis (onset August 1921) was diagnosed as polio.");
  EXPECT_FINDS("Patient Maria Gonzalez was diagnosed with ALS on June 19, 2024.", "DATE",
               "June 19, 2024");
}

TEST(HardNegatives, ServicesAndExamples) {
  EXPECT_CLEAN("readiness probe failed: Get \"http://10.42.7.19:8080/healthz\" on patient-api");
  // 1234567893 is the NPI CMS publishes as its example.
  EXPECT_CLEAN("My NPI validator passes for 1234567893 but fails for our provider.");
}

TEST(Detect, PatientCuesAroundAName) {
  // The age and sex a note gives its patient after the name.
  EXPECT_FINDS("Progress note, visit 8: Ngozi Eze-Thompson, 44F, quad lag resolved.", "NAME",
               "Ngozi Eze-Thompson");
  EXPECT_FINDS("Prenatal note: Maria Gonzalez, 33 y/o G2P1001 at 28w3d.", "NAME", "Maria Gonzalez");
  EXPECT_FINDS("ED note: Tomas Ruiz (67M) with chest pain.", "NAME", "Tomas Ruiz");
  // A clinical message addresses its patient by the full name.
  EXPECT_FINDS("Hi Devon Richards, your MRI is on March 12, 2024 at 9:15 AM.", "NAME",
               "Devon Richards");
  EXPECT_FINDS("Session 6. Client Jordan Whitfield-Moore reports fewer panic attacks.", "NAME",
               "Jordan Whitfield-Moore");
  // Labels and titles in Spanish, Portuguese and French.
  EXPECT_FINDS("Meu nome \xc3\xa9 Luana Ferraz Bittencourt, fiz uma ces\xc3\xa1rea.", "NAME",
               "Luana Ferraz Bittencourt");
  EXPECT_FINDS(
      "INFORME DE ALTA\nPaciente: Mar\xc3\xad"
      "a Dolores Etxeberria Ruiz\nNHC: 3390127",
      "NAME",
      "Mar\xc3\xad"
      "a Dolores Etxeberria Ruiz");
  EXPECT_FINDS(
      "Je vous adresse Mme L\xc3\xa9onie Babineaux-Fournier, n\xc3\xa9"
      "e le 22/01/1947.",
      "NAME", "L\xc3\xa9onie Babineaux-Fournier");
  EXPECT_FINDS(
      "Je vous adresse Mme L\xc3\xa9onie Babineaux-Fournier, n\xc3\xa9"
      "e le 22/01/1947.",
      "DATE", "22/01/1947");
}

// X12 837 and 835 segments: the patient's or insured's name, IDs, address and dates.
TEST(Detect, X12ClaimSegments) {
  std::string claim =
      "ST*837*0001*005010X222A1~\nNM1*IL*1*BRANNIGAN*CORDELIA*M***MI*ZGH449201837~\n"
      "N3*418 WILLAMETTE HEIGHTS RD~\nN4*SPRINGFIELD*OR*97477~\nDMG*D8*19630921*F~\n"
      "CLM*RPT20261031A*420***11:B:1*Y*A*Y*Y~\nNM1*82*1*FOLEY*DERMOT****XX*1245319599~\n"
      "DTP*472*D8*20261031~\n";
  auto f = testing::found(claim);
  EXPECT_TRUE(testing::has(f, "NAME", "BRANNIGAN*CORDELIA")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "HEALTH_PLAN", "ZGH449201837")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "ADDRESS", "418 WILLAMETTE HEIGHTS RD")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "ADDRESS", "SPRINGFIELD")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "ADDRESS", "97477")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "DATE", "19630921")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "ACCOUNT", "RPT20261031A")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "NAME", "FOLEY*DERMOT")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "LICENSE", "1245319599")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "DATE", "20261031")) << testing::dump(f);
  EXPECT_FINDS(
      "CLP*88120394*4*1250*0*0*MC*2026291004417*11*1~\nREF*EA*ACCT7730912~\n"
      "DTM*232*20260914~",
      "MRN", "ACCT7730912");
  // A template's placeholders, and a provider alone, are nobody's record.
  EXPECT_CLEAN(
      "NM1*IL*1*<SUB_LAST>*<SUB_FIRST>****MI*<MEMBER_ID>~\nN3*<ADDR_LINE_1>~\n"
      "N4*<CITY>*<ST>*<ZIP>~");
  EXPECT_CLEAN("How do I fill NM1*82*1*FOLEY*DERMOT for the rendering provider?");
}

TEST(Detect, OtherCountriesIdentifiersPhonesAndAddresses) {
  EXPECT_FINDS("Patient: Oliver Smith, NHS number 943 476 5919, admitted with pneumonia.", "ID",
               "943 476 5919");
  EXPECT_FINDS("Paciente: Jo\xc3\xa3o Silva, CPF 318.442.907-15, internado por pneumonia.", "ID",
               "318.442.907-15");
  EXPECT_FINDS(
      "Paciente: Ana Garc\xc3\xad"
      "a, DNI: 16059874K, ingreso por disnea.",
      "ID", "16059874K");
  EXPECT_FINDS("Patient Liam Tremblay, SIN 046 454 286, diabetic follow-up.", "ID", "046 454 286");
  EXPECT_FINDS(
      "Pt: Jean Dupont, t\xc3\xa9l. 06 12 34 56 78, diab\xc3\xa8"
      "te.",
      "PHONE", "06 12 34 56 78");
  EXPECT_FINDS("Patient Ann Hale, phone 020 7946 0958, seen for asthma.", "PHONE", "020 7946 0958");
  EXPECT_FINDS(
      "Pt: Jean Dupont, 12 rue de la Paix, 75002 Paris. Diagnostic: diab\xc3\xa8"
      "te.",
      "ADDRESS", "12 rue de la Paix, 75002 Paris");
  EXPECT_FINDS("Paciente: Ana Ruiz, Calle Mayor 12, 28013 Madrid, ingreso por disnea.", "ADDRESS",
               "Calle Mayor 12, 28013 Madrid");
  EXPECT_FINDS(
      "Patient: Karl Weber, Hauptstra\xc3\x9f"
      "e 5, 10115 Berlin, Diabetes.",
      "ADDRESS",
      "Hauptstra\xc3\x9f"
      "e 5, 10115 Berlin");
  EXPECT_FINDS(
      "Paciente: Carmen Ortiz, vive en la Calle 14 #23-56, Bogot\xc3\xa1"
      ", diabetes.",
      "ADDRESS", "Calle 14 #23-56, Bogot\xc3\xa1");
  EXPECT_FINDS("Patient: Oliver Smith, 14 Baker Street, London NW1 6XE, admitted with pneumonia.",
               "ADDRESS", "14 Baker Street, London NW1 6XE");
  // Labels with no identifier after them, and a lower-case "via" or a date before it.
  EXPECT_CLEAN("Code status DNR/DNI confirmed with the family on rounds.");
  EXPECT_CLEAN("NHS England published its 2024 workforce plan for nurses.");
  EXPECT_CLEAN("The order shipped on November 12 via FedEx Freight to the loading dock.");
}

TEST(Detect, NicknamesAndLabelsOfFormsAndLogs) {
  EXPECT_FINDS("Patient Robert \"Bobby\" Fischer was admitted for sepsis.", "NAME",
               "Robert \"Bobby\" Fischer");
  EXPECT_FINDS("Pt seen today. claim_no=0093-2287741 | patient=Abimbola Eze | status=PENDED",
               "NAME", "Abimbola Eze");
  EXPECT_FINDS("Pt seen today. claim_no=0093-2287741 | status=PENDED", "ID", "0093-2287741");
  EXPECT_FINDS("Roberta Vang, member ID HMO 992-044-1186, CPAP compliance review.", "HEALTH_PLAN",
               "HMO 992-044-1186");
  EXPECT_FINDS("VSP kicked back the claim for the patient, auth # 88120455633, frame allowance.",
               "ID", "88120455633");
  EXPECT_FINDS("Insurance card\nKIMBERLY ODUYA\nID W281745509\nGRP 0867153-10-002\n", "HEALTH_PLAN",
               "0867153-10-002");
  EXPECT_FINDS("Dad: Vikram Sehgal, 84, moderate Alzheimer's, uses a walker since the fall.",
               "NAME", "Vikram Sehgal");
  EXPECT_FINDS("my sis got dx w lupus yesterday, bday is 7/9/91, shes scared", "DATE", "7/9/91");
  EXPECT_FINDS("Records chronology:\n02/11/2026: Neck pain persists; diagnosed cervical strain.",
               "DATE", "02/11/2026");
  // A bare "ID", an employee number outside clinical text, a provider's NPI: only beside
  // another identifier.
  EXPECT_CLEAN("Vendor onboarding: ID 48213377 assigned to the supplier portal account.");
  EXPECT_CLEAN("Please join me in congratulating our new lead (employee #E-31822) on Monday.");
  EXPECT_CLEAN("Pharmacy change of ownership: type 2 NPI 1944502180 stays with the store.");
  EXPECT_FINDS_BESIDE("Prescriber NPI 1245319599 on the refill request.", "LICENSE", "1245319599");
}

TEST(HardNegatives, PlaceholdersSyntheticDataAndDocuments) {
  auto test_patient = testing::found(
      "MSH|^~\\&|LAB|REF|EHR|CLINIC|20250101120000||ORU^R01|1|T|2.5.1\r"
      "PID|1||TEST123456^^^REFLAB^MR||ZZTEST^PATIENT^A||19000101|F");
  EXPECT_FALSE(testing::has(test_patient, "MRN", "TEST123456")) << testing::dump(test_patient);
  EXPECT_FALSE(testing::has(test_patient, "NAME", "ZZTEST^PATIENT^A"))
      << testing::dump(test_patient);
  EXPECT_FALSE(testing::has(test_patient, "DATE", "19000101")) << testing::dump(test_patient);
  EXPECT_CLEAN("Backfill the sentinel dob 19000101 with NULL before the load.");
  EXPECT_CLEAN(
      "These Synthea rows are synthetic data: Abe604 Kuhlman484, 768 Runte Parade "
      "Unit 2, Worcester, born 1968-04-11, seen in clinic on 2019-06-02.");
  EXPECT_CLEAN("Use the CMS sample MBI 1EG4-TE5-MK73 in the validator's unit test.");
  EXPECT_CLEAN(
      "The profile is http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient "
      "for the patient resource.");
  EXPECT_CLEAN("The limit for malpractice is 2 years (O.C.G.A. \xc2\xa7 9-3-33) after the injury.");
  EXPECT_CLEAN(
      "RETURN TO WORK POLICY\nEffective: January 1, 2027\nEmployees returning from "
      "medical leave provide a fitness-for-duty note.");
  EXPECT_CLEAN("Lou Gehrig was diagnosed with ALS at the Mayo Clinic on June 19, 1939.");
  EXPECT_CLEAN(
      "The host key fingerprint SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 "
      "changed after the patient portal's server was rebuilt.");
}

TEST(HardNegatives, OrganisationsOwnContactDetails) {
  // Clinical words around them, but a business's details: its name, place or voice before
  // them, an extension after them, or the headers of an e-mail.
  EXPECT_CLEAN(
      "After your colonoscopy call Riverbend GI & Endoscopy, (614) 555-0148, 2100 "
      "Olentangy River Rd, Suite 300 with questions about sedation.");
  EXPECT_CLEAN("Grand Rounds on sepsis: Auditorium B, Ridgeway Campus, 3300 Ridgeway Blvd.");
  EXPECT_CLEAN("Questions about the clinic's flu shots: health office 555-238-4100 ext 3.");
  EXPECT_CLEAN(
      "ICU RN opening. Contact recruiter Melissa Tran, mtran@riverside.org, "
      "559-555-0102. Patient care experience required.");
  EXPECT_CLEAN(
      "Whitmore Lane Surgery\n14 Whitmore Lane, Sunningdale, Ascot SL5 0NS\n"
      "Tel 01344 621 900\nFlu clinics for patients over 65 start in October.");
  EXPECT_CLEAN(
      "Reply to this:\nFrom: Greg Atwater <ga@payer.example>\nTo: Nadia <n@clinic.example>\n\nThe "
      "fee schedule for E/M visits is attached; my direct line is 860-555-0153.");
  EXPECT_CLEAN("Readmissions: WHERE e.discharge_ts BETWEEN '2025-07-01' AND '2026-06-30'");
  EXPECT_CLEAN("Use the sepsis order set (Order Set ID 40021) for every admission.");
  EXPECT_CLEAN("Board of trustees, present: Sr. Mary Kathleen Doyle, chair of the hospital.");
  EXPECT_CLEAN("RETURN TO WORK POLICY: leave between 1 February 2025 and 31 May 2025 counts.");
  // A patient's own details stay: a name with a birth date after it, and a phone with no
  // organisation near it.
  EXPECT_FINDS("why is Giordano, Lucia 10/02/1967 rejecting at the clearinghouse?", "DATE",
               "10/02/1967");
  EXPECT_FINDS("Patient: Ann Hale, discharged home; cell 614-719-2083 for the nurse call.", "PHONE",
               "614-719-2083");
}

TEST(Detect, OtherCountriesLabelsOfRecordsAndPlaces) {
  EXPECT_FINDS("93yo lady Edna Pritchard, Hosp No RTH0123456, lives alone, fall at home.", "MRN",
               "RTH0123456");
  EXPECT_FINDS("Patient Suresh Rao, UHID: NSH-BLR-00728815, admitted with chest pain.", "MRN",
               "NSH-BLR-00728815");
  EXPECT_FINDS("Paciente: Ana Lima, cel (11) 97321-4480, gestante de 32 semanas.", "PHONE",
               "(11) 97321-4480");
  EXPECT_FINDS("Paciente: Ana Lima, CEP 01304-001, gestante de 32 semanas.", "ADDRESS",
               "01304-001");
  EXPECT_FINDS("Patient: Ann Hale, Postcode: LS6 4BP, seen for asthma.", "ADDRESS", "LS6 4BP");
  EXPECT_FINDS("Utente: Maria Pires, 91 anos, internada por pneumonia.", "AGE", "91 anos");
  EXPECT_FINDS("Versichertennummer: K829104557, Techniker Krankenkasse, Diabetes.", "HEALTH_PLAN",
               "K829104557");
  EXPECT_FINDS("Paziente: Giuseppina Bianchi, tessera sanitaria 80380800301234567890, TAC.", "ID",
               "80380800301234567890");
  EXPECT_FINDS("Verwijzing cardiologie voor mevr. Anouk Bakker, palpitaties.", "NAME",
               "Anouk Bakker");
  EXPECT_CLEAN("Write a regex for Canadian postal codes (A1A 1A1) in our intake form.");
}

TEST(Detect, TablesWithUnitsAndDatedTimelines) {
  auto table = testing::found(
      "Flag the worst control:\nMRN,Name,DOB,A1c (Oct 2026),eGFR,notes\n"
      "5520193,Wanda Pruitt,1957-02-14,8.9,71,on glargine\n5587041,Carlos "
      "Mendez,1969-09-30,7.6,58,\n");
  EXPECT_TRUE(testing::has(table, "MRN", "5520193")) << testing::dump(table);
  EXPECT_TRUE(testing::has(table, "MRN", "5587041")) << testing::dump(table);
  EXPECT_FINDS_BESIDE("TIMELINE from the audit trail:\n11/19 1450  Admitted from ED w/ dx UTI.",
                      "DATE", "11/19");
  EXPECT_FINDS("Post-discharge calls:\n1. Gerald Fontaine, 78, d/c 11/27, new on Entresto.", "DATE",
               "11/27");
}

TEST(Detect, MemberNumbersTimelinesAndFamilyAbroad) {
  EXPECT_FINDS("Call note: member Alicia Moss (TRH290443318) called about a denied MRI.",
               "HEALTH_PLAN", "TRH290443318");
  EXPECT_FINDS_BESIDE("Denied lines after the knee surgery: TRH300918842, knee brace.",
                      "HEALTH_PLAN", "TRH300918842");
  EXPECT_CLEAN("ADT feed ok: msgType=ADT^A08 ctrlId=MSG00029381 ack=AA for the admission.");
  EXPECT_FINDS_BESIDE(
      "Case timeline: admitted for a hip fracture.\n10/13             SNF MDS "
      "5-day assessment.",
      "DATE", "10/13");
  EXPECT_FINDS("oi, meu filho Davi Henrique tem febre de 39 desde domingo", "NAME",
               "Davi Henrique");
  EXPECT_FINDS("Name: Siobhan Byrne, PPSN 6418273S, seen for hand pain and stiffness.", "ID",
               "6418273S");
  EXPECT_FINDS_BESIDE("Rua de Requesenda 188, Porto. Telem\xc3\xb3vel: 912 447 083.", "PHONE",
                      "912 447 083");
  // A business's details in clinical words: toll-free fax, an appeals unit's PO box, an
  // event's address.
  EXPECT_CLEAN("Prior authorization requests for surgery: use the portal or fax 1-888-555-0170.");
  EXPECT_CLEAN("Mail appeals of a denied surgery to Tri-River Health, Appeals Unit, PO Box 4400.");
  EXPECT_CLEAN(
      "Flu and COVID vaccine clinics at a ribbon-cutting on December 9 at 61535 S Hwy 97.");
}

TEST(Detect, ValuesSaidAloudInCallTranscripts) {
  // A phone number digit by digit and a birth date in words, after a transcript's marker.
  std::string call =
      "Summarize this nurse-line call.\n<transcript>\nAGENT: and a good callback number\n"
      "CALLER: six one four five five five zero one nine two\nAGENT: his date of birth\n"
      "CALLER: uh october ninth twenty twenty one\nCALLER: his name is jayden j a y d e n "
      "and he has a fever and is breathing fast\n</transcript>";
  auto f = testing::found(call);
  EXPECT_TRUE(testing::has(f, "PHONE", "six one four five five five zero one nine two"))
      << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "DATE", "october ninth twenty twenty one")) << testing::dump(f);
  // A spelled name and the word it spells; "k as in kilo" is a letter.
  EXPECT_TRUE(testing::has(f, "NAME", "jayden")) << testing::dump(f);
  EXPECT_TRUE(testing::has(f, "NAME", "j a y d e n")) << testing::dump(f);
  EXPECT_FINDS(
      "pharmacy refill call transcript\ncaller: it's kowalski k as in kilo o w a l s k i, "
      "refill my sertraline",
      "NAME", "k as in kilo o w a l s k i");
  // A birth-date label with its value said in words, without a marker.
  EXPECT_FINDS(
      "Mammogram results call.\nB: what's her date of birth?\nC: april the twentieth "
      "nineteen thirty two",
      "DATE", "april the twentieth nineteen thirty two");
  // Spanish digits after a phone label.
  EXPECT_FINDS(
      "Triage: la paciente tiene diabetes, mi tel\xc3\xa9"
      "fono es nueve cinco seis, cinco "
      "cinco cinco, cero uno cuatro siete",
      "PHONE", "nueve cinco seis, cinco cinco cinco, cero uno cuatro siete");
  // Not outside clinical text, and not an interjection or a count.
  EXPECT_CLEAN(
      "Sales call transcript\ncaller: my number is six one four five five five zero one nine "
      "two, send the brochure");
  EXPECT_CLEAN(
      "Call transcript about a fever: oh one more thing, give two doses of five ml and "
      "call back in three days");
}

TEST(Detect, PaddedPipeTablesMonthDayAndDicom) {
  // Columns padded to line up: a header cell is still a header cell.
  auto table = testing::found(
      "Audit the critical value log:\n\nDate       | Patient              | MRN      | "
      "Test\n11/19/2024 | Abdi, Farhiya        | 5590217  | Glucose\n");
  EXPECT_TRUE(testing::has(table, "NAME", "Abdi, Farhiya")) << testing::dump(table);
  EXPECT_TRUE(testing::has(table, "MRN", "5590217")) << testing::dump(table);
  // Month/day and month/year in a clinical document, beside the patient's identifiers.
  auto log = testing::foundBeside(
      "home health aide visit log, blood sugar 287\nmon 11/4 - bathed, foot swollen\n"
      "PT x12 completed 03/2024, DUI 06/2018. Card exp 06/2024.");
  EXPECT_TRUE(testing::has(log, "DATE", "11/4")) << testing::dump(log);
  EXPECT_TRUE(testing::has(log, "DATE", "03/2024")) << testing::dump(log);
  EXPECT_TRUE(testing::has(log, "DATE", "06/2018")) << testing::dump(log);
  EXPECT_FALSE(testing::has(log, "DATE", "06/2024")) << testing::dump(log);
  // ... but alone they make no request PHI.
  EXPECT_CLEAN("Home health aide log: mon 11/4 - bathed, blood sugar 287, foot swollen.");
  // A DICOM header dump, and one whose identity was removed.
  testing::foundAll(
      "(0008,0020) DA [20240603]     #   8, 1 StudyDate\n(0008,0050) SH [RAD8830271]  #  10, "
      "1 AccessionNumber\n(0010,0010) PN [KOWALCZYK^TERESA^M]  # 18, 1 PatientName\n"
      "(0010,0020) LO [MW00417729]  # 10, 1 PatientID\n(0010,0030) DA [19430918]  # 8, 1 "
      "PatientBirthDate\n(0010,1040) LO [118 BRADDOCK AVE^^PITTSBURGH^PA^15218]  # 38, 1 "
      "PatientAddress\n",
      {{"DATE", "20240603"},
       {"ID", "RAD8830271"},
       {"NAME", "KOWALCZYK^TERESA^M"},
       {"MRN", "MW00417729"},
       {"DATE", "19430918"},
       {"ADDRESS", "PITTSBURGH"},
       {"ADDRESS", "15218"}});
  EXPECT_CLEAN(
      "(0010,0010) PN [ANONYMIZED]  PatientName\n(0010,0020) LO [SUBJ-0001]  PatientID\n"
      "(0010,0030) DA [19550101]  PatientBirthDate\n(0012,0062) CS [YES]  "
      "PatientIdentityRemoved\n");
}

TEST(HardNegatives, AnimalsTemplatesAndVoltages) {
  // An animal's record: its owner is no patient.
  EXPECT_CLEAN(
      "Can you explain this vet estimate?\nPatient: Mochi (feline, 11y)\nOwner: Kendra "
      "Vasquez-Hall, 1407 Alder St, Eugene OR 97401\n- Anesthesia + monitoring $420");
  EXPECT_CLEAN(
      "Summarize calls for Paws and Claws Animal Hospital.\nagent: the pet's name\ncaller: "
      "waffles, he vomited. my number is 503-555-0177, owner greg pennington");
  // A template's variables.
  EXPECT_CLEAN(
      "HL7 template for the lab interface:\nPID|1||${MRN}^^^MAINLAB||${LAST_NAME}^"
      "${FIRST_NAME}||${DOB}|F");
  // "vin=" of a power supply.
  EXPECT_CLEAN("Infusion pump service log, no patient: brownout detected vin=10.9V at boot.");
}

TEST(Detect, AcuteCareLabelsAlignedTablesAndTimestamps) {
  EXPECT_FINDS("ED sepsis alert. Patient: Ruiz-Castellanos, Ofelia   CSN: 7200488315", "ID",
               "7200488315");
  EXPECT_FINDS("EMS run report, chest pain. Run# 24-118377, crew was rushed", "ID", "24-118377");
  EXPECT_FINDS("Medical examiner intake, 91-year-old found down. ME Case: 2025-ME-00613", "ID",
               "2025-ME-00613");
  EXPECT_FINDS("Transfer for stroke. MRN (sending) KH-2004417, rotor wing requested.", "MRN",
               "KH-2004417");
  EXPECT_FINDS("Refugee TB screening, QFT positive. A# A-219-554-301, CXR clear.", "ID",
               "A-219-554-301");
  EXPECT_FINDS("Life insurance APS, hypertension. DL: PA 31 884 207, non-smoker.", "LICENSE",
               "PA 31 884 207");
  EXPECT_FINDS("Diabetes follow-up. Patient: Zarghuna Ahmadzai, Medicaid 7720419936", "HEALTH_PLAN",
               "7720419936");
  // A query's output aligned with spaces, its names written LAST,FIRST.
  testing::foundAll(
      "AF cohort without anticoagulation:\nPAT_ID    PAT_MRN_ID PAT_NAME               "
      "BIRTH_DATE  DX_CODE\nZ4418206  31055428   WEATHERBY,CLAUDE R     1947-05-30  I48.91\n"
      "Z5520913  40922174   ORTIZ-MEDINA,LUZ       1952-12-04  I48.0\n",
      {{"MRN", "31055428"},
       {"NAME", "WEATHERBY,CLAUDE R"},
       {"DATE", "1947-05-30"},
       {"MRN", "40922174"},
       {"NAME", "ORTIZ-MEDINA,LUZ"}});
  // A pandas DataFrame printed with its index, columns aligned loosely.
  testing::foundAll(
      ">>> df_idx.head()\n   enc_id      mrn           name         dob   zip\n"
      "0  918201  0087713  Whitfield, Orla  1941-05-16  02139\n"
      "1  918377  0091042  Mbeki, Thandiwe  1956-12-03  02446\n",
      {{"MRN", "0087713"},
       {"NAME", "Whitfield, Orla"},
       {"DATE", "1941-05-16"},
       {"MRN", "0091042"},
       {"NAME", "Mbeki, Thandiwe"}});
  // A CSV row whose last, free-text column holds an unquoted comma; an accented surname.
  auto csv = testing::found(
      "Dedupe the mobile clinic log:\nvisit_date,first,last,dob,zip,notes\n"
      "2025-04-08,Yadira,Hern\xc3\xa1ndez,1994-07-02,85009,BP check\n"
      "2025-04-08,Samuel,Ogbonna,1961-11-19,85007,wound care,L foot, diabetic\n");
  EXPECT_TRUE(testing::has(csv, "NAME", "Hern\xc3\xa1ndez")) << testing::dump(csv);
  EXPECT_TRUE(testing::has(csv, "ADDRESS", "85007")) << testing::dump(csv);
  // The time of a patient's event in a clinical record counts beside the patient's other
  // identifiers; a log's timestamps alone stay clean.
  auto pump = testing::found(
      "Infusion pump log for heparin. Patient MRN: 300482716\n"
      "{\"t\": \"2024-11-02T19:05:40Z\", \"rate_ml_h\": 15.1}");
  EXPECT_TRUE(testing::has(pump, "DATE", "2024-11-02T19:05:40Z") ||
              testing::has(pump, "DATE", "2024-11-02"))
      << testing::dump(pump);
  EXPECT_CLEAN("Heparin protocol rollout log: 2024-11-02T19:05:40Z deploy ok, nurse education.");
}

TEST(HardNegatives, RolesDirectoriesAndSpeakers) {
  // A role on a form outside clinical text.
  EXPECT_CLEAN("Payroll fix. Employee: Marcus Delgado, Emp ID 40177, Warehouse Lead, Reno DC");
  // The people a meeting lists.
  EXPECT_CLEAN(
      "Board minutes of the community clinic.\nPresent: Rev. Jesse Holloway (chair), Maria "
      "Teresa Banuelos (vice chair), Duc Nguyen (treasurer)\nBudget approved.");
  // A speaker's sentence in a role-play.
  EXPECT_CLEAN(
      "Interpreter role-play about black stool and nausea.\nPATIENT: Just the pills my cousin "
      "sent from home.");
  // Staff with their role, an organisation's place, and an agency directory.
  EXPECT_CLEAN(
      "Community health worker job posting, diabetes outreach. Apply by Jan 31 to Latisha "
      "Greene, HR Generalist, 319-555-0131.");
  EXPECT_CLEAN(
      "Naloxone and HIV testing at the Harm Reduction Hub, 17 Mission St. Results in "
      "20 minutes.");
  EXPECT_CLEAN(
      "Food pantries for diabetes patients: {\"results\": [{\"name\": \"Westside Food "
      "Bank\", \"address\": \"1919 W Commerce St\", \"hours\": \"Tue/Thu 9-1\", "
      "\"phone\": \"210-555-0120\"}]}");
  // A cue inside a word ("edd" in "embedded"), and data its author says is synthetic.
  EXPECT_CLEAN("Objective: evaluate an EHR-embedded sepsis alert (deployed March 1, 2022).");
  EXPECT_CLEAN(
      "pytest fixture, all values are synthetic: {\"encounters\": [{\"date\": "
      "\"2000-01-01\", \"type\": \"99213\"}], \"dx\": \"E11.9 diabetes\"}");
  // A service tier and a token after a role label inside an identifier.
  EXPECT_CLEAN("Infusion pump quote for the committee.\n  Service: Gold, 5 yrs, $212 per channel");
  EXPECT_CLEAN("Epic FHIR sandbox for patient lookup: 401 msg=\"invalid_client: JWT expired\"");
  // A keyword inside a value, and a fixture's made-up mailbox.
  auto fixture = testing::found(
      "pytest fixture for the oncology portal: Patient(first_name=\"Ada\", "
      "mrn=\"TEST-MRN-0001\", email=\"test.patient@example.com\")");
  EXPECT_FALSE(testing::has(fixture, "MRN", "0001")) << testing::dump(fixture);
  EXPECT_FALSE(testing::has(fixture, "EMAIL", "test.patient@example.com"))
      << testing::dump(fixture);
  // SQL VALUES tuples under an INSERT are no CSV rows.
  EXPECT_CLEAN(
      "Fixture rows, synthetic patients:\nINSERT INTO #pat (PAT_ID, PAT_MRN_ID, PAT_NAME, "
      "BIRTH_DATE) VALUES\n ('Z900001','ZZ0000001','ZZTEST,ALPHA','1900-01-01');\nINSERT "
      "INTO #enc (PAT_ENC_CSN_ID, PAT_ID, HOSP_ADMSN_TIME) VALUES\n (9000000001,'Z900001',"
      "'2024-01-02 08:00');");
}

TEST(HardNegatives, StoresStaffAndMeetingLists) {
  EXPECT_CLEAN(
      "Vaccine fridge down at the pharmacy. Questions: Dispatch lead Omar Fitzgerald "
      "972-555-0100.");
  EXPECT_CLEAN("Flu shots this week. District Mgr: Denise Marsh 404-555-0131.");
  EXPECT_CLEAN(
      "Which NPI goes on the pharmacy claim? Store 0732 NPI is 1588472104 and DEA "
      "BB9033868.");
  EXPECT_CLEAN(
      "Rescheduling the IRB committee.\nTo: Dr. Laura Benedetti, Ms. Felicia Okoro\n"
      "The protocol review moves to Tuesday.");
  EXPECT_CLEAN("Measles alert for clinicians: Epidemiology line 614-555-0167, Fax 614-555-0155.");
  // An organisation's word further back, past a bracket or a dash: "Urgent Care – Westfield".
  EXPECT_CLEAN(
      "Flu shots at Riverbend Urgent Care \xe2\x80\x93 Westfield\n1840 N Meridian Rd, "
      "Suite 100, Westfield, IN 46074\nWalk in, no appointment needed.");
}

TEST(Detect, CapitalSurnamesTitlesInLowerCaseAndAppointmentTimes) {
  // A surname in capitals, a comma and a given name the first-name list misses or holds only
  // as too short a word for a literal; a double surname from its start.
  EXPECT_FINDS_BESIDE(
      "Coding audit, diabetes visits.\nAcct 40018837 | HUANG, WEI | DOS 01/09/24 | Billed 99215",
      "NAME", "HUANG, WEI");
  EXPECT_FINDS_BESIDE("MPI duplicates, diabetes clinic:\n  2 | NGUYEN, THI | 1960-01-01", "NAME",
                      "NGUYEN, THI");
  EXPECT_FINDS_BESIDE("Wound care worklist: O'ROURKE, SEAMUS | bed 4", "NAME", "O'ROURKE, SEAMUS");
  EXPECT_FINDS_BESIDE("NICU census: PIERRE-LOUIS, NADEGE | 2023-08-30", "NAME",
                      "PIERRE-LOUIS, NADEGE");
  // A title typed in lower case, then a surname alone, in clinical text.
  EXPECT_FINDS("draft a text: remind mrs. delacroix her colonoscopy prep starts 5/2 at 6pm", "NAME",
               "delacroix");
  EXPECT_FINDS("appeal: mr. petties was on an IV furosemide drip in the hospital x48h", "NAME",
               "petties");
  EXPECT_FINDS("sn visit 6/18 pt mrs adaeze okafor 81yo f @ home, hospice aide present", "NAME",
               "adaeze okafor");
  // An HL7 appointment's start and end in SCH-11's components.
  EXPECT_FINDS(
      "SCH|7719283^EPIC|7719283^EPIC|||||ROUTINE^Routine|FOLLOWUP|30|MIN|"
      "^^30^20250121093000^20250121100000\rPID|1||88201947^^^NWHC^MR||OYELARAN^TUNDE",
      "DATE", "20250121100000");
  // A caregiver's chat in Portuguese: clinical by the medicine it names.
  EXPECT_FINDS(
      "[12/06/2024 21:04] Renata Bastos: ela tomou o losartana de manh\xc3\xa3, meu cel "
      "508-555-0146",
      "PHONE", "508-555-0146");
  EXPECT_FINDS("Paciente: Sra. Guadalupe Ibarra Sol\xc3\xads, diabetes tipo 2", "NAME",
               "Guadalupe Ibarra Sol\xc3\xads");
  EXPECT_FINDS("\xe6\x82\xa3\xe8\x80\x85\xe7\x97\x85\xe5\x8e\x86\xe5\x8f\xb7: ZS20240314-0877",
               "MRN", "ZS20240314-0877");
}

TEST(Detect, SpreadsheetHeadersAndPatientIds) {
  // A column named with a question mark ("Verified?") still heads a table.
  EXPECT_FINDS(
      "dental ins verification:\nPatient\tPt DOB\tSub ID\tVerified?\tNotes\n"
      "Ellis Yarborough\t05/22/2015\tMET770193842\tN\t\n",
      "NAME", "Ellis Yarborough");
  // A FHIR Patient's logical id beside the patient's name, and a VIN beside a patient's.
  EXPECT_FINDS(R"({"resourceType":"Patient","id":"pt-88213","name":[{"family":"Okafor",)"
               R"("given":["Ada"]}],"birthDate":"1961-05-18"})",
               "ID", "pt-88213");
  EXPECT_FINDS_BESIDE("Crash intake, ED: patient's car 1FTBR2C85MKA11047 was towed.", "VEHICLE",
                      "1FTBR2C85MKA11047");
}

// Digits that OCR read as letters in a faxed or scanned form (misread.h).
TEST(Detect, DigitsMisreadByOcr) {
  const char* form =
      "CONSULTATION REQUEST\nPatient Name: WHITAKER, Denise L\nD0B: O4/l7/1961  Sex: F\n"
      "Phone (h): (555) 3O2-8817\nSSN  4O1-66-2B93\nReason: +FIT 02/2O/24, Hgb 9.2\n";
  EXPECT_FINDS(form, "DATE", "O4/l7/1961");
  EXPECT_FINDS(form, "PHONE", "(555) 3O2-8817");
  EXPECT_FINDS(form, "SSN", "4O1-66-2B93");
  EXPECT_FINDS(form, "DATE", "02/2O/24");
}

// A nickname after a name, a Markdown table with a "#" column, an employer.
TEST(Detect, NicknamesNumberedTablesAndEmployers) {
  EXPECT_FINDS("Met w/ pt Harold Brzezinski (goes by Hal) at bedside, 91 y/o, admitted 3/11.",
               "NAME", "Hal");
  EXPECT_FINDS("NICU d/c checklist: Baby Girl Castillo (\"Sofia\") MRN 80031577, GA 29+1", "NAME",
               "Sofia");
  EXPECT_FINDS(
      "Tumor board:\n| # | Patient | MRN | Age | Dx |\n|---|---|---|---|---|\n"
      "| 1 | Okafor, Adaeze | 3391027 | 58 | pancreatic adenoca |\n",
      "MRN", "3391027");
  EXPECT_FINDS(
      "First report of injury. Employee: Dale Cortez, DOB 5/30/1979\nEmployer: Tri-County "
      "Pallet & Crate LLC (FEIN on file), supervisor notified",
      "NAME", "Tri-County Pallet & Crate LLC");
  EXPECT_FINDS(
      "Living donor: MRN 81200447, DOB 02/09/1980, works for Meijer (distribution center).", "NAME",
      "Meijer");
}

// Numbers said aloud in a dictation, a note's shorthand for group and member numbers, and
// a street type abbreviated four letters long.
TEST(Detect, DictationsShorthandAndStreetTypes) {
  EXPECT_FINDS(
      "this is doctor raman dictating a follow up note on patient jerome okafor medical "
      "record number four four seven two nine one zero date of service november fourth",
      "MRN", "four four seven two nine one zero");
  EXPECT_FINDS(
      "Transcribe: operative report account number eight one one four zero two two seven six "
      "date of surgery october the twelfth two thousand twenty four",
      "ACCOUNT", "eight one one four zero two two seven six");
  EXPECT_FINDS("pt in 612 trach/peg vent wean failed x3, needs LTACH. humana mbr H58219034.",
               "HEALTH_PLAN", "H58219034");
  EXPECT_FINDS("NSTEMI transfer. Ins: BCBS PPO  ID XQH448102917  grp 00291433", "HEALTH_PLAN",
               "00291433");
  EXPECT_FINDS(
      "DISCHARGE SUMMARY -- Name: Beatrix Lindqvist  DOB: 03-09-1947  Addr: 7720 Lakeview Terr "
      "N, Woodbury, MN 55125  Discharged 08/21/2025",
      "ADDRESS", "7720 Lakeview Terr N, Woodbury, MN 55125");
}

// A day of the month said alone, relatives named after the word for them, an age under
// "Age/Sex", a death in care, a grievance's number.
TEST(Detect, OrdinalDaysRelativesAgesAndDeaths) {
  const char* message =
      "Oncology nurse line: next infusion is 7/2 and my daughter Kayla is out of town till the "
      "30th. Can I go to the graduation on the 22nd? MRN 4471882";
  EXPECT_FINDS(message, "DATE", "30th");
  EXPECT_FINDS(message, "DATE", "22nd");
  EXPECT_FINDS("OUD intake, MRN 5521907: lives w/ boyfriend Danny at the shelter.", "NAME",
               "Danny");
  EXPECT_FINDS(
      "Fall huddle:\nBed   Patient                Age/Sex  MRN\n"
      "5N01  Castellano, Domenico   94 M     00739120\n",
      "AGE", "94");
  EXPECT_FINDS(
      "Handoff for the decedent affairs office: expired 11/03 0412, NOK son Pierre Delacroix "
      "504-555-0181.",
      "PHONE", "504-555-0181");
  EXPECT_FINDS_BESIDE("Patient relations. Grievance #: GRV-2024-00871, received 06/14/2024.", "ID",
                      "GRV-2024-00871");
  // An EMS incident's number, in digits only or after INC#.
  EXPECT_FINDS_BESIDE("Field termination. Incident 25-118204 on 01/04/2025, DOB 03/02/1950.", "ID",
                      "25-118204");
  EXPECT_FINDS_BESIDE("CAD export: INC#  F24-0098812  TYPE: CARDIAC ARREST  DOB 01/02/1960", "ID",
                      "F24-0098812");
}

// An overdose outreach list, and employees' health in a table with their employee numbers.
TEST(Detect, OverdoseOutreachAndEmployeesHealth) {
  EXPECT_FINDS(
      "From our post-overdose outreach list (narcan, refused transport):\n"
      "1. Kyle Brennan-Voss, 29, OD 2/2, cell 555-433-0871, staying at mom's",
      "PHONE", "555-433-0871");
  EXPECT_FINDS(
      "Nudge emails for the wellness screening:\n| name | emp_id | email | A1c | BP |\n"
      "|---|---|---|---|---|\n| Gloria Tremblay | 118204 | gtremblay@mercywestern.org | 7.4 | "
      "142/91 |\n",
      "NAME", "Gloria Tremblay");
}

// Long-term care and machine-made text: residents, prescriptions and XML.
TEST(Detect, ResidentsPrescriptionsAndXml) {
  // A patient or a resident named after the word for them.
  EXPECT_FINDS("DME ticket: pt Lucille Haverford, 88, home O2 2L NC continuous.", "NAME",
               "Lucille Haverford");
  EXPECT_FINDS("fix grammar pls: Res Harold Pruitt rm 214B, BIMS 9/15 mod impaired", "NAME",
               "Harold Pruitt");
  // A prescription's number under its column, and abbreviated column names.
  EXPECT_FINDS("resident,dob,rx_no,drug\n\"Hollis, Bernice\",03/08/1936,RX 7730412,amlodipine 5mg",
               "ID", "RX 7730412");
  testing::foundAll(
      "pt_nm_lst|pt_nm_fst|dob_yyyymmdd|addr1_txt|cty|ph_hm|eml\n"
      "GALLAGHER|SIOBHAN|19840311|3 Sunset Ridge|Northfield|8025550142|sg84@yahoo.com\n",
      {{"NAME", "GALLAGHER"},
       {"NAME", "SIOBHAN"},
       {"ADDRESS", "3 Sunset Ridge"},
       {"ADDRESS", "Northfield"},
       {"PHONE", "8025550142"}});
  // A care home's resident number, a court's cause number, a licence after its state.
  EXPECT_FINDS("J. Whitcomb (res# 20417) adm 9/30 GG0130A eating 04", "MRN", "20417");
  EXPECT_FINDS_BESIDE("Guardianship, cause no. 02D01-2410-GU-000417, Allen Superior Court", "ID",
                      "02D01-2410-GU-000417");
  EXPECT_FINDS_BESIDE("Identification presented to notary: VA DL T71-84-2290, exp 01/05/2027.",
                      "LICENSE", "T71-84-2290");
  EXPECT_FINDS_BESIDE(
      "pt has CHF, found in his son's old truck (2009 Ford F-150, plate NY HJW-4418)", "VEHICLE",
      "HJW-4418");
  // Values listed after one label.
  testing::foundAll("Dementia unit: MRN 4410872 and 4410913 are the same resident.",
                    {{"MRN", "4410872"}, {"MRN", "4410913"}});
  // XML elements: a patient's, not the prescriber's.
  std::string newrx =
      "<NewRx><Patient><Name><LastName>Haverford</LastName><FirstName>Caleb</FirstName></Name>"
      "<DateOfBirth><Date>2009-05-03</Date></DateOfBirth><Address><AddressLine1>915 W Juniper "
      "Ln</AddressLine1><City>Boise</City><PostalCode>83702</PostalCode></Address></Patient>"
      "<Prescriber><Name><LastName>Sato</LastName><FirstName>Helen</FirstName></Name>"
      "</Prescriber></NewRx>";
  testing::Found rx = testing::foundAll(newrx, {{"NAME", "Haverford"},
                                                {"NAME", "Caleb"},
                                                {"DATE", "2009-05-03"},
                                                {"ADDRESS", "Boise"},
                                                {"ADDRESS", "83702"}});
  EXPECT_FALSE(testing::has(rx, "NAME", "Sato")) << testing::dump(rx);
  // A clinical message's addressee by first name, beside another identifier.
  EXPECT_FINDS_BESIDE("Hi Marisol, reminder: appt Thu 10/24 at 9:15 AM w/ Dr. Feld, dental clinic.",
                      "NAME", "Marisol");
  // An aligned export whose header words stand one space apart, each over its column, and
  // a row whose accent takes a byte more.
  testing::foundAll(
      "chair shift pattern patient                mrn        ht_cm  edw_kg  notes\n"
      "07    1     TTS     Mbeki, Themba          SD-004471  178    81.5   access: L AVF\n"
      "07    2     TTS     Castellano, In\xc3\xa9s       SD-004518  160    62.0   transport\n"
      "09    1     MWF     Hsu, Wen-Li            SD-004602  155    48.9   new start\n",
      {{"NAME", "Mbeki, Themba"},
       {"MRN", "SD-004471"},
       {"NAME", "Castellano, In\xc3\xa9s"},
       {"NAME", "Hsu, Wen-Li"},
       {"MRN", "SD-004602"}});
  // A log's patient id, and a resident named on a message's From: line.
  EXPECT_FINDS("portal-auth login_success user=gwen58 pat_id=Z4481207 oncology visit", "MRN",
               "Z4481207");
  EXPECT_FINDS("From: bmccallister58 (Brian, son of resident Dorothy McCallister)\nher care plan",
               "NAME", "Dorothy McCallister");
  // Dates in Spanish, Portuguese and French without their year, beside another identifier.
  EXPECT_FINDS_BESIDE("Paciente con diabetes. La cita es el 14 de octubre por la tarde.", "DATE",
                      "14 de octubre");
  EXPECT_FINDS_BESIDE("Paciente com diabetes, consulta no dia 3 de mar\xc3\xa7o.", "DATE",
                      "3 de mar\xc3\xa7o");
  EXPECT_FINDS_BESIDE("Patiente asthmatique, rendez-vous le 4 juin.", "DATE", "4 juin");
  // A court's case number in groups.
  EXPECT_FINDS_BESIDE("subpoena for medical records. Case No. 2024 CV 04417, Plaintiff", "ID",
                      "2024 CV 04417");
  // An unquoted amount does not shift the columns after it.
  EXPECT_FINDS(
      "Refunds\nAcct,Guarantor,Patient,DOS,Payer,Credit Amt,Credit Date\n"
      "88120344,SELF,Yolanda Pritchett,08/14/2024,SELF PAY,$412.50,08/30/2024\n"
      "88125590,Marcus Greer,Aiden Greer,09/02/2024,ANTHEM BCBS,$1,208.00,09/25/2024\n",
      "ACCOUNT", "88125590");
  // A number on a sentence's line is not the contact block's above it.
  EXPECT_FINDS("Discharge instructions.\nUrology.\nWe will call you at 937-555-0129.", "PHONE",
               "937-555-0129");
  // Drug safety and trials: DDMMMYYYY dates and days with their month only, subject and
  // safety case numbers, an E2B report's record number.
  EXPECT_FINDS("pt with asthma. ER visit 19Jul2024 for exacerbation", "DATE", "19Jul2024");
  EXPECT_FINDS_BESIDE("SAE follow-up, hospitalized: dizziness 22-Oct, headache 25-Oct.", "DATE",
                      "22-Oct");
  EXPECT_FINDS("Monitoring visit. Subject 117-009: ICF v5.0 signed, hospitalized for heart failure",
               "ID", "117-009");
  EXPECT_FINDS_BESIDE("Case 2024-US-031177: consumer states her husband had a fall.", "ID",
                      "2024-US-031177");
  EXPECT_FINDS(
      "<patient><patientmedicalrecordnumb>GH-00418836</patientmedicalrecordnumb>"
      "</patient> hepatotoxicity",
      "MRN", "GH-00418836");
  // Dental and rehab records: chart and patient numbers without a space, an age in brackets.
  EXPECT_FINDS("Patient: HOLLOWAY, GRETCHEN A    Chart#: HOLLGR0012    DOB: 07/22/1968", "MRN",
               "HOLLGR0012");
  EXPECT_FINDS("Appt 11/18/2024 08:00 | Op2 | Pruett, Harlan J | Pat# 30417 | D1110 D0120", "MRN",
               "30417");
  EXPECT_FINDS("sealants done today on Aiden Marsh (age 7) #3 #14, mom asked about fluoride",
               "NAME", "Aiden Marsh");
  // An implanted device's serial is its patient's.
  EXPECT_FINDS("my husband's pacemaker serial PJN603418H, is it recalled?", "DEVICE", "PJN603418H");
}

// People in custody and in service: the words for them and their numbers.
TEST(Detect, CustodyAndServiceNumbers) {
  testing::foundAll("Grievance re insulin | Inmate: Luis Echeverria   CDCR#: BK4471",
                    {{"NAME", "Luis Echeverria"}, {"ID", "BK4471"}});
  EXPECT_FINDS("Booking 2024-11873 MARTINEZ, RAY intake: denies SI/HI, COWS 6", "ID", "2024-11873");
  EXPECT_FINDS("MEB NARSUM | Name: BOONE, TAMIKA R. Grade: SSG/E-6 EDIPI: 1387204519", "ID",
               "1387204519");
  // A booking in a year, or of rooms, is no one's number.
  EXPECT_CLEAN("booking 2025 dates for the wound care conference; booking 3 rooms");
}

// Genetics: a pedigree's proband, a biobank participant, Scottish and English records.
TEST(Detect, ProbandsParticipantsAndBritishStreets) {
  EXPECT_FINDS("Proband: Tran Thi Mai Anh, 27F, thalassemia trait", "NAME", "Tran Thi Mai Anh");
  EXPECT_FINDS("Hello, I'm participant number UKGB-33-819207, please withdraw my samples", "ID",
               "UKGB-33-819207");
  testing::foundAll("Pt: Callum Fraser-Oduya, 34M, CHI 2809904471. Addr 6 Balgray Wynd, Dundee",
                    {{"ID", "2809904471"}, {"ADDRESS", "6 Balgray Wynd, Dundee"}});
  EXPECT_FINDS("Patient: Mr. Anand Subramaniam, 14 Birchwood Close, Leeds LS16 7QR. BRCA2 VUS",
               "ADDRESS", "14 Birchwood Close, Leeds LS16 7QR");
}

// Devices, apps and crisis lines: ages said of someone, an XML attribute's birth date, a
// French pharmacy app's labels, a Spanish crisis note's caller, relatives and home.
TEST(Detect, AgesAttributesAndSpanishCrisisNotes) {
  EXPECT_FINDS("my dad's myAir app, he's 91 and keeps saying the mask is leaking", "AGE", "91");
  EXPECT_CLEAN("she's 100% sure the CPAP works; he is 95 percent compliant; she's 92 kg");
  EXPECT_FINDS("<Me HKCharacteristicTypeIdentifierDateOfBirth=\"1958-04-22\"/> heart rate", "DATE",
               "1958-04-22");
  testing::foundAll(
      "Pharmacie | Bonjour H\u00e9l\u00e8ne Marchand | N\u00e9(e) le 08/01/1957 \u00b7 "
      "N\u00b0 dossier 0047-18825",
      {{"DATE", "08/01/1957"}, {"MRN", "0047-18825"}});
  testing::foundAll(
      "L\u00cdNEA DE CRISIS | Persona que llama: Yesenia Carrillo Ortiz (madre) | su hijo "
      "Joaqu\u00edn Carrillo, 19 a\u00f1os | Domicilio: 1205 Calle Nogal, Brownsville TX 78520",
      {{"NAME", "Yesenia Carrillo Ortiz"},
       {"NAME", "Joaqu\u00edn Carrillo"},
       {"ADDRESS", "1205 Calle Nogal, Brownsville TX 78520"}});
  // An address read after its cue ends with its sentence.
  EXPECT_FINDS("Ok so I live at Springfield, IL 62704. Help me write an appeal letter for my MRI",
               "ADDRESS", "Springfield, IL 62704");
  // A template's placeholders in a row make its dates no one's.
  EXPECT_CLEAN(
      "SAMPLE = [{\"patient_name\": \"<PATIENT_NAME>\", \"mrn\": \"<MRN>\", "
      "\"session_date\": \"2024-01-01\", \"present\": True}]  # therapy attendance");
}

// Death records and the families around them: relatives named in brackets and in lists, a
// decedent's label and column, JSON keys that say whose field it is, and a table's last row
// where the JSON string holding the table ends.
TEST(Detect, DecedentsRelativesAndRecordNumbers) {
  EXPECT_FINDS_BESIDE("parents divorced, mom (Dana) thinks its just sports", "NAME", "Dana");
  testing::foundAll(
      "MRN 22004411. She asked whether her 2 daughters (Luc\u00eda 12 and In\u00e9s 9) need "
      "testing; my kids (Elsa is 7 and Jonah is 4); cascade testing of children Amara and Tobi",
      {{"NAME", "Luc\u00eda"},
       {"NAME", "In\u00e9s"},
       {"NAME", "Elsa"},
       {"NAME", "Jonah"},
       {"NAME", "Amara"},
       {"NAME", "Tobi"}});
  EXPECT_FINDS("Decedent: Clarence \"Buddy\" Whitcomb, died 2/17/2025", "NAME",
               "Clarence \"Buddy\" Whitcomb");
  testing::foundAll(
      "{\"accession_number\": \"2024-00417\", \"name_last\": \"ASHWORTH\", \"name_first\": "
      "\"LINDSAY\", \"pt_phone\": \"412-555-0101\", \"dob\": \"1968-07-30\"}",
      {{"NAME", "ASHWORTH"}, {"NAME", "LINDSAY"}, {"PHONE", "412-555-0101"}});
  testing::foundAll(
      "death records past the deadline:\n\nedrs_id,decedent,dod,certifier,status\n"
      "NC-25-031877,\"Hargrove, Willis T\",04/13/2025,Dr. Pak,awaiting MD cert\n",
      {{"NAME", "Hargrove, Willis T"}, {"DATE", "04/13/2025"}, {"ID", "NC-25-031877"}});
  // The table's last line ends where its JSON string does.
  testing::foundAll(
      "{\"messages\": [{\"role\": \"user\", \"content\": \"cancer registry dedupe:\\n"
      "acc_no,last,first,dob,ssn,site\\n"
      "2023-01182,FONTAINE,CLAUDETTE,1949-12-01,229-74-1180,C18.7\\n"
      "2024-00577,MBEKI,THABO,1961-03-27,  ,C61.9\"}], \"temperature\": 0.2}",
      {{"NAME", "MBEKI"}, {"NAME", "THABO"}, {"DATE", "1961-03-27"}, {"ID", "2024-00577"}});
  // Capitalised, the word for relatives names a firm.
  EXPECT_CLEAN("Visitation Thursday at Culver & Sons Funeral Home. Daughters of Charity Hall");
}

// Numbers as the UK, Ireland, Australia and New Zealand write them at home, after their
// trunk '0'.
TEST(Detect, NationalPhoneNumbers) {
  testing::foundAll(
      "Pt: Raymond Kerr (Ray), 91yo | ph (07) 4755 0193 | NOK: wife Morag 01463 555 287 | "
      "Mum: Kylie O'Connor 0412 555 873 | ph 07 555 2210",
      {{"PHONE", "(07) 4755 0193"},
       {"PHONE", "01463 555 287"},
       {"PHONE", "0412 555 873"},
       {"PHONE", "07 555 2210"}});
  // Not a date or a card's number; a freephone line is a service's.
  testing::Found f = testing::found("DOB 03-10-2024, MRN 0458213, ref 0 032 458712003456 7");
  for (const auto& [type, value] : f) EXPECT_NE(type, "PHONE") << value;
  EXPECT_CLEAN("For symptom advice call Healthline 0800 611 116 any time, day or night.");
}

// Short requests typed in lower case: a relative's or a patient's name after the word for
// them, a portal's username.
TEST(Detect, ShortRequestsInLowerCase) {
  EXPECT_FINDS("my grandma ruth tanaka keeps falling at night getting up to pee", "NAME",
               "ruth tanaka");
  testing::foundAll("my son eli was born 2/11/22 and hasnt had his 12 month shots",
                    {{"NAME", "eli"}, {"DATE", "2/11/22"}});
  EXPECT_FINDS("pt cant reset her portal pw, username is t.harjo1988. she needs her vax card", "ID",
               "t.harjo1988");
  // Clinicians' chat: a nickname, a partner, a niece, a wife named after "is".
  testing::foundAll(
      "re Ewing 518B MRN 1188390, pt goes by Teddy, family asking. partner Minh at bedside; "
      "caregiver niece Tayla on site; wife is Marlene, she's at bedside",
      {{"NAME", "Teddy"}, {"NAME", "Minh"}, {"NAME", "Tayla"}, {"NAME", "Marlene"}});
  // Not the rest of a relative's word: "my brother-in-law".
  testing::Found f = testing::found("my brother-in-law was born 2/11/1960, DOB on file");
  EXPECT_FALSE(testing::has(f, "NAME", "in-law")) << testing::dump(f);
}

// A town named alone where a patient lives, and the numbers of accessions, specimens and
// appointments.
TEST(Detect, TownsAccessionsSpecimensAndAppointments) {
  EXPECT_FINDS(
      "Pt Marvin Ekstrand seen 2/7, 66M, COPD, new O2 requirement. Lives in Duluth, plans "
      "to go ice fishing.",
      "ADDRESS", "Duluth");
  EXPECT_FINDS("Rosalind Haverford, 92yo F, MRN 4471902, lives alone in Brookline (Beacon St apt)",
               "ADDRESS", "Brookline");
  EXPECT_FINDS("Discharged 11/8 to her nephew's home in Nicholasville with home PT. MRN 4471902.",
               "ADDRESS", "Nicholasville");
  EXPECT_FINDS(
      "Exam: XR LEFT WRIST 3V   Acc: XR-24-771930   Date: 11/05/2024\n"
      "Patient: Okonkwo-Hale, Ngozi",
      "ID", "XR-24-771930");
  EXPECT_FINDS(
      "Priority,Accession,MRN,Patient,DOB\nSTAT,A6620193,00927714,\"HUYNH, BAO\","
      "03/02/1947",
      "ID", "A6620193");
  EXPECT_FINDS("Specimen: S24-08817 KOWALCZYK, TERESA DOB 02/19/1961", "ID", "S24-08817");
  EXPECT_FINDS(
      "{\"patient_id\": \"EPMC-22019834\", \"appointments\": [{\"appt_id\": \"A-99120774\", "
      "\"dept\": \"Imaging - MRI 2\"}]}",
      "ID", "A-99120774");
  // A column whose header marks it a number ("Rx#", "Enc #").
  EXPECT_FINDS(
      "mail-order exceptions\nRx#       Patient               Drug                     Reason\n"
      "6120448   HOLLOWAY, KEENAN J    Jardiance 25mg #90       CC DECLINED\n"
      "6120991   SZABO, ILONA          levothyroxine 88mcg #90  ADDR UNDELIVERABLE",
      "ID", "6120448");
}

// First names the 1990 Census lists lack (SSA), tables with a blank last column or a
// column named by a count, a patient typed in lower case, a parcel's tracking number.
TEST(Detect, FirstNamesDrawListsAndLowerCasePatients) {
  EXPECT_FINDS("STABLE \u2014 Ignatius Fairclough, 71M, MRN 2287760. Post-op day 3", "NAME",
               "Ignatius Fairclough");
  testing::foundAll(
      "5 WEST AM DRAW 04/22\nRM   PATIENT                 DOB         MRN        TESTS        "
      "              NOTE\n512  Kowalczyk, Bernard      07/19/1948  MR4418207  BMP, CBC, Mg   "
      "            \n507  Ashworth, Delphine      11/02/1961  MR3309154  CMP, lipid (FASTING) "
      "       hard stick",
      {{"NAME", "Kowalczyk, Bernard"}, {"MRN", "MR4418207"}, {"NAME", "Ashworth, Delphine"}});
  EXPECT_FINDS(
      "Day 5 lab log export:\ncase_id,pt_name,partner,retrieval_dt,eggs,MII,2PN,biopsy\n"
      "EMB-25-0311,\"Okafor, Adaeze\",\"Okafor, Chidi\",2025-02-17,14,11,8,Y",
      "NAME", "Okafor, Adaeze");
  EXPECT_FINDS(
      "Pending verification queue\nACC        NAME                     MRN       TEST   RESULT  "
      "[PREV, DATE]\n2504-8831  Mbeki, Thandiwe          10448723  CREA   4.1     [1.0, 04/02]",
      "MRN", "10448723");
  EXPECT_FINDS(
      "rewrite for the chart: called dr kessler 1650 re pt harold brennan rm 614 trop-I 2.31",
      "NAME", "harold brennan");
  EXPECT_FINDS("RN note: pt kayla r. spotting post ET 4/2, MRN 5512093, draft reply", "NAME",
               "kayla");
  EXPECT_FINDS(
      "Your specialty pharmacy order for GARY HAUGLAND DOB 03/04/1950 has shipped. Carrier: UPS "
      "Next Day Air, tracking 1Z 8W4 17A 01 5541 2297",
      "ID", "1Z 8W4 17A 01 5541 2297");
}

// A community clinic's Spanish: its labels of birth dates, members and beneficiaries, and a
// birth date right after a name with accents.
TEST(Detect, SpanishLabelsAndAccentedNames) {
  testing::foundAll(
      "Beneficiario: Crescencio Arellano Vidal  ID Medicaid: 720148853  FN: 02/02/1944\n"
      "Cita: di\u00e1lisis lun/mi\u00e9/vie 6:00 am",
      {{"NAME", "Crescencio Arellano Vidal"},
       {"HEALTH_PLAN", "720148853"},
       {"DATE", "02/02/1944"}});
  EXPECT_FINDS("Nombre: Wilmer Sic Coyoy | Fecha nac: 14/08/1993 | diabetes", "DATE", "14/08/1993");
  EXPECT_FINDS("Seguro: Medicare Parte D, ID de miembro 0H77Q4BA921, insulina", "HEALTH_PLAN",
               "0H77Q4BA921");
  EXPECT_FINDS("handoff: Ana Luc\u00eda Ferrer 02/11/1978 glucose 240 fasting", "DATE",
               "02/11/1978");
}

// A patient named again later by one word of the name; dates a rota or a visit writes with
// its weekday or year first; travel policies, passports and a German member number; a local
// number with no area code beside the patient's other identifiers; a study's participants.
TEST(Detect, RepeatedNamesWeekdaysPoliciesAndLocalNumbers) {
  testing::Found f = testing::foundAll(
      "Patient: Marisol Ybarra, CKD stage 4. Marisol called today. Ybarra has a fistula "
      "check on Monday.",
      {{"NAME", "Marisol Ybarra"}, {"NAME", "Marisol"}, {"NAME", "Ybarra"}});
  // A safe-listed first name is not taken again as a name: "Will call back".
  f = testing::found("Patient: Will Hartley, dialysis MWF. Will call back re transport.");
  EXPECT_TRUE(testing::has(f, "NAME", "Will Hartley")) << testing::dump(f);
  EXPECT_EQ(std::count_if(f.begin(), f.end(), [](const auto& x) { return x.first == "NAME"; }), 1)
      << testing::dump(f);
  EXPECT_FINDS("fix: pt mrs okafor chair 12 2nd shift tues 3/18 post bp 82/40 and dizzy", "DATE",
               "3/18");
  EXPECT_FINDS(
      "our patient Mr. CHOI Min-jun (passport M72041958) was admitted on 2024.12.02 for AML",
      "DATE", "2024.12.02");
  EXPECT_FINDS("Insured: Hannah Brightwater, policy TRV-2024-5581907 (annual multi-trip)",
               "HEALTH_PLAN", "TRV-2024-5581907");
  EXPECT_FINDS(
      "{\"patient\": \"Graham Pike\", \"dx\": \"STEMI\", \"insurance\": {\"policy_no\": "
      "\"AZT-88120394-AU\"}}",
      "HEALTH_PLAN", "AZT-88120394-AU");
  EXPECT_FINDS(
      "Fallecido: Sr. Joaqu\u00edn Pizarro Vidal, pasaporte F14470923, diagn\u00f3stico IAM", "ID",
      "F14470923");
  EXPECT_FINDS("Versicherte Person: Herr Wolfgang Kessler, Mitgliedsnr.: 80 552 417 903",
               "HEALTH_PLAN", "80 552 417 903");
  EXPECT_FINDS(
      "EMU-4, DOB 07/30/1990. Admitted for characterization of spells. Wife Lakshmi at "
      "bedside, cell 555-0172.",
      "PHONE", "555-0172");
  EXPECT_FINDS(
      "Card Last4,Participant,Load Date,Amount,Memo\n8841,TREVINO ALEJANDRO,2024-04-02,75.00,"
      "COVID-LC V2\n3027,PATTERSON-YU JOANNE,2024-04-05,75.00,COVID-LC V2",
      "NAME", "TREVINO ALEJANDRO");
  // Spanish: a patient's daughter in a message, and a Mexico City number.
  testing::foundAll(
      "traduce este mensaje de la hija de un paciente: soy Yesenia Carrillo, hija de Don "
      "Rigoberto Carrillo. Mi pap\u00e1 no va a poder ir a su di\u00e1lisis. Me puede llamar al "
      "55 5512 0438.",
      {{"NAME", "Yesenia Carrillo"}, {"PHONE", "55 5512 0438"}});
}

// A blood unit's donation number beside its recipient, a student's number, an athlete, a
// patient's first name in lower case after "pt", and a visit's date after "seen".
TEST(Detect, DonationNumbersStudentsAndFirstNames) {
  EXPECT_FINDS("Recipient: Geraldine Okafor, MRN 5510293. RBC unit W0512 24 778104 transfused here",
               "ID", "W0512 24 778104");
  EXPECT_FINDS("Pt: Madison Okafor  DOB 04/22/2005  SID 901447312 | Local addr: Brennan Hall", "ID",
               "901447312");
  EXPECT_FINDS("Athlete: Deshawn Whitaker | Concussion, RTL stage 2 as of 10/1", "NAME",
               "Deshawn Whitaker");
  EXPECT_FINDS(
      "SANE follow-up. my pt keisha came in 10/3, strangulation by her ex, hoarseness. "
      "Admitted for observation.",
      "NAME", "keisha");
  EXPECT_FINDS(
      "dx code + brief note pls: Trevor Kaminski 901470831 seen 9/23 ankle inversion playing "
      "intramural bball",
      "DATE", "9/23");
}

// Northern and central Europe: personal numbers that start with the birth date (Sweden's
// with its Luhn check, Denmark's CPR, the Czech birth number), local phones and addresses,
// a PESEL after its label in lower case; and an age between commas after a name.
TEST(Detect, NordicAndCentralEuropeanRecords) {
  testing::foundAll(
      "Pat: Birgitta S\u00f6derberg, 19511127-6837 | Adr: Kungsgatan 23, 411 19 G\u00f6teborg, "
      "tel 031-711 29 04 | remiss",
      {{"ID", "19511127-6837"},
       {"ADDRESS", "Kungsgatan 23, 411 19 G\u00f6teborg"},
       {"PHONE", "031-711 29 04"}});
  testing::foundAll(
      "EPIKRISE Pt.: Mette Holm | CPR-nr.: 110472-3183 | Adresse: N\u00f8rrebrogade 144, 3. tv, "
      "2200 K\u00f8benhavn N | Tlf.: 28 41 67 03",
      {{"ID", "110472-3183"},
       {"ADDRESS", "N\u00f8rrebrogade 144, 3. tv, 2200 K\u00f8benhavn N"},
       {"PHONE", "28 41 67 03"}});
  EXPECT_FINDS("Pacient: Jana Dvo\u0159\u00e1kov\u00e1 | R. \u010d.: 675823/1128 | nemocnice", "ID",
               "675823/1128");
  EXPECT_FINDS("Fr\u00e5n: Lars Nystr\u00f6m (620418-2387) jag har en tid f\u00f6r blodtryck", "ID",
               "620418-2387");
  EXPECT_FINDS("wyniki pani Kami\u0144skiej, pesel 44051703826, zlecenie LAB/2024/118273", "ID",
               "44051703826");
  EXPECT_FINDS("PESEL 03220901577, ul. D\u0142uga 1/2, 61-848 Pozna\u0144", "ADDRESS",
               "ul. D\u0142uga 1/2, 61-848 Pozna\u0144");
  EXPECT_FINDS(
      "TAVR case: our patient Mrs. Gladys Onyango, 93, a retired schoolteacher, presented with "
      "severe AS",
      "AGE", "93");
}

// Records and messages in other scripts: their labels, names, dates and numbers.
TEST(Detect, RecordsInOtherScripts) {
  testing::foundAll(
      "出院小结 姓名：王秀英　性别：女 住院号：2023087415\n身份证号：310104195306122847\n"
      "入院日期：2024年3月5日 联系电话（家属）：138-1762-4093",
      {{"NAME", "王秀英"},
       {"MRN", "2023087415"},
       {"ID", "310104195306122847"},
       {"DATE", "2024年3月5日"},
       {"PHONE", "138-1762-4093"}});
  testing::foundAll(
      "患者氏名：田中 美智子（タナカ ミチコ）様\n生年月日：昭和32年4月8日",
      {{"NAME", "田中 美智子"}, {"NAME", "タナカ ミチコ"}, {"DATE", "昭和32年4月8日"}});
  testing::foundAll(
      "환자 이름: 최영숙 (Young Sook Choi)\n생년월일: 1958.11.23\n주민번호 580817-2183415",
      {{"NAME", "최영숙"}, {"NAME", "Young Sook Choi"}, {"ID", "580817-2183415"}});
  testing::foundAll(
      "Ф.И.О.: Кузнецова Галина Петровна\nДата рождения: 23.09.1961\nСНИЛС: 112-233-445 95",
      {{"NAME", "Кузнецова Галина Петровна"}, {"DATE", "23.09.1961"}, {"ID", "112-233-445 95"}});
  testing::foundAll("الاسم: خالد سعيد المنصوري\nتاريخ الميلاد: 19/03/1975",
                    {{"NAME", "خالد سعيد المنصوري"}, {"DATE", "19/03/1975"}});
  EXPECT_FINDS("intake | pt: 黄淑芬 | DOB 1947-08-09 | cc: 頭暈", "NAME", "黄淑芬");
  EXPECT_FINDS("Ba em tên Nguyễn Văn Hùng, ngày sinh: 14/02/1948, bị tiểu đường", "DATE",
               "14/02/1948");
  // Names in brackets after names, many times over: read one level deep, not recursively.
  std::string nested = "患者氏名：";
  for (int i = 0; i < 4000; ++i) nested += "タナカ（タナカ";
  nested += std::string(4000, ')');
  EXPECT_TRUE(testing::sharedScanner().scan(nested).ok());
  // A form's empty field, and a word after the label that is no name.
  EXPECT_CLEAN("请填写：姓名：性别：出生日期：");
  EXPECT_CLEAN("Пациент жалуется на боль в груди.");
}

// Pasted tables whose shape hides a value: a name left unquoted, a column headed "Pt", a
// note in brackets after a column's name, and an on-call roster's staff.
TEST(Detect, TablesWithUnquotedNamesAndShortHeads) {
  testing::foundAll(
      "member_name,dob,mrn,risk,phone,open_gaps\n"
      "Hargrove, Dennis L,03/14/1956,LH00482913,0.91,(312) 555-0187,\"A1C, eye exam\"\n",
      {{"NAME", "Hargrove, Dennis L"}, {"DATE", "03/14/1956"}, {"MRN", "LH00482913"}});
  // A name with columns of its own: the extra comma is in the free text at the end.
  testing::foundAll(
      "date,first,last,dob,zip,service,notes\n"
      "2025-04-08,Samuel,Ogbonna,1961-11-19,85007,wound care,L foot, diabetic\n",
      {{"NAME", "Samuel"}, {"NAME", "Ogbonna"}, {"DATE", "1961-11-19"}, {"ADDRESS", "85007"}});
  testing::foundAll(
      "Readmissions, May:\n| Case | Pt | Index adm | Readmit | Index dx |\n|---|---|---|---|---|\n"
      "| 1 | J. Whitfield | 5/2 | 5/19 | sepsis |\n| 2 | M. Oyelaran | 5/6 | 5/9 | HF |\n",
      {{"NAME", "M. Oyelaran"}, {"DATE", "5/19"}, {"DATE", "5/9"}});
  testing::foundAll(
      "tag#,cat,name(if known),age/sex,injuries\nSMART-004420,YELLOW,Tomasz Wierzbicki,47M,"
      "chest wall pain\nSMART-004423,GREEN,Yolanda Frye,93F,abrasions\n",
      {{"NAME", "Tomasz Wierzbicki"}, {"AGE", "93"}});
  // "PT" heads a pharmacovigilance table's preferred terms, not its patients.
  auto terms = testing::found(
      "Table 7-3: Serious adverse reactions\n  SOC                 PT              Frequency\n"
      "  Infections          Pneumonia       0.8% (14/1702)\n"
      "  Blood/lymphatic     Neutropenia     0.4% (7/1702)\n");
  EXPECT_FALSE(testing::has(terms, "NAME", "Pneumonia")) << testing::dump(terms);
  EXPECT_CLEAN(
      "radiology_oncall.csv\ndate,modality,attending,attending_cell,resident,resident_pager\n"
      "2024-07-01,Neuro,\"Dr. Fatima Zahir\",(503) 555-0138,\"Dr. Kyle Benton PGY3\",7712\n"
      "2024-07-02,Body,\"Dr. Leonard Pike\",(503) 555-0151,\"Dr. Ana Ruiz PGY2\",7719\n");
}

// Where a name ends: a closing middle initial, a pronoun or a room after the comma, a date's
// weekday and month; and relatives and people named after a title in other languages.
TEST(Detect, NameEndsKinAndForeignTitles) {
  EXPECT_FINDS("Patient: HARTWELL, DENISE M   MRN: 003318842", "NAME", "HARTWELL, DENISE M");
  EXPECT_FINDS("Patient: Hartwell, Denise M\nMRN 003318842", "NAME", "Hartwell, Denise M");
  EXPECT_FINDS("Hi Mrs. Ellison, I'm following up on your voicemail about the MRI bill.", "NAME",
               "Ellison");
  EXPECT_FINDS("Kreatininverlauf des Patienten Herrn \u00d6zt\u00fcrk, Zimmer 4.112, Klinikum",
               "NAME", "\u00d6zt\u00fcrk");
  auto weekday = testing::found("Patient: Tuesday Jan 14 visit, the 5N potluck");
  EXPECT_FALSE(testing::has(weekday, "NAME", "Tuesday Jan")) << testing::dump(weekday);
  EXPECT_FINDS_BESIDE("These are my mother in law's readings. Nana Ruth turns 78 soon.", "NAME",
                      "Ruth");
  // A full street type's period ends the sentence, and the address with it.
  EXPECT_FINDS_BESIDE("Press check-in at 1 Children's Way. Media arrive at 9:30.", "ADDRESS",
                      "1 Children's Way");
}

// Values a fixture, a form or a template made up, reported as no one's.
TEST(Detect, MadeUpValuesOfFixturesAndTemplates) {
  EXPECT_CLEAN("# FAKE fixtures only\nassert redact(\"call 555-555-0100\") == \"call [PHONE]\"");
  EXPECT_CLEAN("Patient MRN: FAKE123 for the unit test of the redactor");
  EXPECT_CLEAN(
      "Sample rows below are FAKE:\npatient_name,dob,adm_date\n"
      "\"Roe, Richard\",1900-01-01,2099-01-01\n");
  EXPECT_CLEAN("Pour s\u00e9curit\u00e9, [VERIFYE AK DOB NAN SIST\u00c8M NAN] pasyan la");
  EXPECT_CLEAN("Versicherter: Max Mustermann, Musterweg 1, Musterstadt (Beispiel)");
  EXPECT_CLEAN(
      "Example payload, all values are illustrative: \"display_name\": \"John "
      "Appleseed\", \"recorded_at\": \"2025-01-01T09:00:00Z\"");
  EXPECT_CLEAN(
      "Sample (PHI scrubbed):\nMSH|^~\\&|LAB|HOSP|EPIC|HOSP|20240822101455||ORU^R01|1|P|"
      "2.5.1\rPID|1||***^^^MRN||***^***||********|*\r");
  EXPECT_CLEAN("NHI format for the patient: [ABC1234 or ABC12DE]");
  // A DICOM dump's person name in brackets stays a value.
  EXPECT_FINDS("(0010,0010) PN [DELACRUZ^MARISOL^T]   #  18, 1 PatientName", "NAME",
               "DELACRUZ^MARISOL^T");
  // A number read aloud has no digits to judge as a fixture's (and must not be read as one).
  EXPECT_FINDS("Patient callback number: five five five, two one two, three four five six", "PHONE",
               "five five five, two one two, three four five six");
}

// Asia-Pacific health and national identifiers after their labels, and phones as written there.
TEST(Detect, AsiaPacificIdentifiersAndPhones) {
  EXPECT_FINDS("Patient NRIC S8234567A, appt at the polyclinic", "ID", "S8234567A");
  EXPECT_FINDS("Re: Mrs O'Sullivan, referral\nMedicare 2951 73841 1  (IRN 1)", "ID",
               "2951 73841 1");
  EXPECT_CLEAN("For your patients: call Medicare on 132 011 (8am-5pm Mon-Fri)");
  EXPECT_FINDS("Patient NHI ZAC5124, seen in clinic", "ID", "ZAC5124");
  EXPECT_FINDS("Patient RRN 850914-2345678", "ID", "850914-2345678");
  EXPECT_FINDS("\u60a3\u8005 \u30de\u30a4\u30ca\u30f3\u30d0\u30fc 2841 7730 5196", "ID",
               "2841 7730 5196");
  EXPECT_FINDS("Patient mobile 9176 2284", "PHONE", "9176 2284");
  EXPECT_FINDS("Patient mobile 87004 15592", "PHONE", "87004 15592");
  EXPECT_FINDS("cannot make my clinic appt lah, my hp 9176 2284", "PHONE", "9176 2284");
  // The scheme's name after a patient cue is no name.
  auto scheme = testing::found("Patient PhilHealth 12-050387612-4");
  EXPECT_FALSE(testing::has(scheme, "NAME", "PhilHealth")) << testing::dump(scheme);
  EXPECT_FINDS("naam Priya Sharma, DOB 7 Aug 1992, ABHA address chahiye", "DATE", "7 Aug 1992");
}

// Rural addresses by route and box, and a day written in words before its month.
TEST(Detect, RuralRouteBoxesAndDaysInWords) {
  EXPECT_FINDS("Home health visit, patient lives at HC 2 Box 19A, Stonewall, Oklahoma", "ADDRESS",
               "HC 2 Box 19A, Stonewall, Oklahoma");
  EXPECT_FINDS("Patient address RR 1 Box 22 Lodge Grass, MT 59050", "ADDRESS",
               "RR 1 Box 22 Lodge Grass, MT 59050");
  EXPECT_FINDS("Patient: Rt 2 Box 114, Ava MO, wound care", "ADDRESS", "Rt 2 Box 114, Ava MO");
  // A column's gap ends the address.
  EXPECT_FINDS("Patient: RR 2 Box 118, Minot ND 58701               Xarelto 20 mg", "ADDRESS",
               "RR 2 Box 118, Minot ND 58701");
  EXPECT_CLEAN("Check the box 4 on the patient intake form");
  EXPECT_FINDS_BESIDE("Patient was discharged on the fourteenth of February and nobody called.",
                      "DATE", "fourteenth of February");
  EXPECT_FINDS_BESIDE("Pt seen on the twenty-third of January for the wound.", "DATE",
                      "twenty-third of January");
  EXPECT_FINDS_BESIDE("Pt seen on the thirty-first of March for the wound.", "DATE",
                      "thirty-first of March");
  auto none =
      testing::foundBeside("Pt had one of many concerns; the thirty-second of May is no day.");
  EXPECT_FALSE(testing::has(none, "DATE", "thirty-second of May")) << testing::dump(none);
}

// DICOM values as each dump prints them, and person names written with carets in logs and
// tool results.
TEST(Detect, DicomDumpsAndCaretNames) {
  EXPECT_FINDS("(0010,0010) Patient's Name        PN: 'Nakamura^Hiroshi'", "NAME",
               "Nakamura^Hiroshi");
  testing::foundAll("(0010,0010) PN  KIM^MINJUN\n(0010,0030) DA  19810607",
                    {{"NAME", "KIM^MINJUN"}, {"DATE", "19810607"}});
  EXPECT_FINDS("I: (0040,0002) DA [20240612]\n(0010,0020) LO [2210458]", "DATE", "20240612");
  // A de-identified header, in pydicom's form; a de-identification tool's word.
  EXPECT_CLEAN(
      "(0010,0010) Patient's Name   PN: 'LSC^0a41f9'\n"
      "(0012,0062) Patient Identity Removed   CS: 'YES'");
  auto anonymized = testing::found("(0010,0010) Patient's Name   PN: 'ANONYMIZED'");
  EXPECT_FALSE(testing::has(anonymized, "NAME", "ANONYMIZED")) << testing::dump(anonymized);
  EXPECT_FINDS("14:21:58.402 ACQ INFO ExamStart  Pat=VOSS^EDGAR^M  Acc=CT2405300288", "NAME",
               "VOSS^EDGAR^M");
  EXPECT_FINDS("14:21:58.402 ACQ INFO ExamStart  Pat=VOSS^EDGAR^M  Acc=CT2405300288", "ID",
               "CT2405300288");
  EXPECT_FINDS("{\"patient_name\":\"LARKIN^TRAVIS^J\",\"dob\":\"1999-11-03\"}", "NAME",
               "LARKIN^TRAVIS^J");
  // The staff a header names by their label.
  auto staff = testing::found("ReferringPhysicianName=WELBY^MARCUS  PatientName=REYES^ANTONIO");
  EXPECT_TRUE(testing::has(staff, "NAME", "REYES^ANTONIO")) << testing::dump(staff);
  EXPECT_FALSE(testing::has(staff, "NAME", "WELBY^MARCUS")) << testing::dump(staff);
  // An order's filler number (the accession in radiology).
  EXPECT_FINDS(
      "MSH|^~\\&|PS|B|EPIC|B|20240523161845||ORU^R01|1|P|2.5.1\r"
      "PID|1||000612884^^^B^MR||TRAN^KIMBERLY^MY||19690110|F\r"
      "OBR|1|ORD77120455|MG24-0523-0091|77067^SCREENING MAMMO|||20240521101500",
      "ID", "MG24-0523-0091");
}

// Case investigations and vital records: a bare age after a name, relatives in Spanish,
// Mexican addresses, certificate and passport numbers.
TEST(Detect, CaseInvestigationsAndVitalRecords) {
  EXPECT_FINDS("Confirmed hep A in a food handler: Kenji Matsuda, 34, line cook", "NAME",
               "Kenji Matsuda");
  auto president = testing::found("Former President Jimmy Carter, 98, chose hospice care.");
  EXPECT_FALSE(testing::has(president, "NAME", "Jimmy Carter")) << testing::dump(president);
  auto counts = testing::found("county,wk01,wk02\nDane,9,11\nDouglas,1,0");
  EXPECT_TRUE(counts.empty()) << testing::dump(counts);
  EXPECT_FINDS("Contactos:\n- Graciela Coronado Ruiz (madre), 71 a\u00f1os", "NAME",
               "Graciela Coronado Ruiz");
  EXPECT_FINDS_BESIDE(
      "con domicilio en Calle R\u00edo Bravo 2231, Col. Libertad, 22400 Tijuana, B.C.", "ADDRESS",
      "Calle R\u00edo Bravo 2231, Col. Libertad, 22400 Tijuana");
  EXPECT_FINDS("Registrant: Brayden Kowalczyk (cert. no. 2023-0061847), born 6/17/2023", "ID",
               "2023-0061847");
  EXPECT_FINDS("su hijo (n\u00famero de certificado 142-2022-118390, nacido en Phoenix)", "ID",
               "142-2022-118390");
  EXPECT_FINDS("trae su acta y pasaporte mexicano G29914072.", "ID", "G29914072");
  EXPECT_FINDS(
      "remind me to refill grandpa joe's warfarin, rx number at walgreens is "
      "0581724-03212",
      "ID", "0581724-03212");
  auto scheme = testing::found("Infant MRN BMH-7728104.\nTennCare ID (mom) 2299104877.");
  EXPECT_FALSE(testing::has(scheme, "NAME", "TennCare ID")) << testing::dump(scheme);
}

// Letters and messages in French and Spanish: dates of care without their year, ages in
// words, other countries' identifiers; and the staff of a ward's or a vendor's page.
TEST(Detect, FrenchAndSpanishLettersAndOfficeStaff) {
  EXPECT_FINDS_BESIDE("Entr\u00e9 le 2 f\u00e9vrier, sorti le 9 f\u00e9vrier.", "DATE",
                      "9 f\u00e9vrier");
  EXPECT_FINDS_BESIDE("Mi hijo Tom\u00e1s naci\u00f3 el 3 de agosto en Cl\u00ednica D\u00e1vila.",
                      "DATE", "3 de agosto");
  EXPECT_FINDS_BESIDE("Paciente con diabetes, fecha de nacimiento 14 de marzo de 1950.", "DATE",
                      "14 de marzo de 1950");
  // A schedule's range is no date of care.
  auto range = testing::foundBeside(
      "Vaccin HPV : 1\u00e8re dose entre le 6 octobre et le 19 d\u00e9cembre 2026.");
  EXPECT_FALSE(testing::has(range, "DATE", "6 octobre")) << testing::dump(range);
  EXPECT_FINDS("Ella se llama Rosa Quispe, tiene noventa y dos a\u00f1os, diabetes.", "AGE",
               "noventa y dos a\u00f1os");
  EXPECT_FINDS("maman a eu quatre-vingt-quatorze ans dimanche", "AGE", "quatre-vingt-quatorze ans");
  EXPECT_FINDS("Patient de nonante-trois ans, chute.", "AGE", "nonante-trois ans");
  EXPECT_CLEAN("En los noventa la cl\u00ednica abri\u00f3 su segunda sede.");
  EXPECT_FINDS("Patiente Mme El Amrani, NISS 72.09.15-284.07, c\u00e9phal\u00e9es.", "ID",
               "72.09.15-284.07");
  EXPECT_FINDS("votre carte d'assur\u00e9 (n\u00b0 AVS 756.1234.5678.97)", "ID",
               "756.1234.5678.97");
  EXPECT_FINDS("Afiliada: ITURRALDE, Valeria\nDNI 28.456.913 \u2013 CUIT 27-28456913-4", "ID",
               "27-28456913-4");
  EXPECT_FINDS("Paciente: Yeison Mosquera\nC.C. 1.017.234.568 de Medell\u00edn", "ID",
               "1.017.234.568");
  EXPECT_FINDS("le paso su curp CAGR480917HJCSRF09 por si la ocupa", "ID", "CAGR480917HJCSRF09");
  EXPECT_FINDS("Patiente Mme Fatima El Amrani, GSM 0478 23 45 61.", "PHONE", "0478 23 45 61");
  EXPECT_FINDS(R"({"nir": "172117511204532", "num_adherent": "00458712"})", "ID",
               "172117511204532");
  // Staff: a ward's secretary, a vendor's representative, a congress's venue.
  auto secretary =
      testing::found("Nuit Dr Lambotte (MACCS)\nSecr\u00e9tariat : Mme Bastin, ext. 4521.");
  EXPECT_FALSE(testing::has(secretary, "NAME", "Bastin")) << testing::dump(secretary);
  EXPECT_CLEAN(
      "Quote #DT-55190 from Sentinel Diagnostics (valid through 12/31/2024), rep: Marcus "
      "Delacroix, 614-555-0148\n- 5-panel DOT urine drug screen: $28.00 ea x 400");
  EXPECT_CLEAN(
      "Congreso Nacional, Palacio de Congresos, Av. de les Corts Valencianes 60. Mesa de "
      "diabetes tipo 2.");
  EXPECT_CLEAN(
      "Write a skit where Homer Simpson fails his respirator fit test. Include Mr. Burns.");
}

// A phone number written out after the words that give it, a form's field without its
// colon, a medevac note in Indonesian, and a fixture that says it is made up.
TEST(Detect, NumbersWrittenOutAndFormsAsScanned) {
  EXPECT_FINDS_BESIDE(
      "Eli broke his wrist. if anything happens call me at six one seven, five five five, "
      "zero one nine two, thanks",
      "PHONE", "six one seven, five five five, zero one nine two");
  EXPECT_FINDS_BESIDE(
      "my dad's ride never showed. I can be reached at two-oh-nine, five five "
      "five, zero one four eight.",
      "PHONE", "two-oh-nine, five five five, zero one four eight");
  auto time = testing::foundBeside("call me at one o'clock about the budget");
  EXPECT_TRUE(time.empty()) << testing::dump(time);
  EXPECT_FINDS(
      "Health Services Request  Date 2/9\nName Darnell Whitfield   ID# 2023-04417  Housing C-12\n"
      "My tooth been hurtin for 4 days",
      "NAME", "Darnell Whitfield");
  auto medevac = testing::found(
      "Pasien: Liam Patrick O'Sullivan, 34 th\nRS BIMC Kuta, No. RM 00-41-88-17, masuk "
      "03-03-2025\nDx: cedera kepala berat, GCS 7");
  EXPECT_TRUE(testing::has(medevac, "NAME", "Liam Patrick O'Sullivan")) << testing::dump(medevac);
  EXPECT_TRUE(testing::has(medevac, "MRN", "00-41-88-17")) << testing::dump(medevac);
  EXPECT_TRUE(testing::has(medevac, "DATE", "03-03-2025")) << testing::dump(medevac);
  EXPECT_CLEAN(
      "EXAMPLE (TEST DATA \u2014 NOT A REAL PERSON):\nAthlete: John Doe | DOB: 01/01/2000 | "
      "Injury date: 01/01/2025\nNote: lateral ankle sprain (mock).");
}

// Addresses and cards in the UK, Ireland and Canada; a birthday as a family writes it.
TEST(Detect, BritishIrishAndCanadianAddresses) {
  EXPECT_FINDS_BESIDE("Address given: Flat 3, 41 Tennyson Rd, Stoke-on-Trent ST4 2QE", "ADDRESS",
                      "41 Tennyson Rd, Stoke-on-Trent ST4 2QE");
  EXPECT_FINDS_BESIDE("Patient lives at 3 Sheares St, Cork T12 E6Y2.", "ADDRESS",
                      "3 Sheares St, Cork T12 E6Y2");
  EXPECT_FINDS("HCN 1286 453 907 VC: AB  name: KOWALCZYK, TERESA", "ID", "1286 453 907");
  auto lead = testing::found(
      "For informal enquiries contact Gemma Lowther, Team Leader, on 01709 423 901.");
  EXPECT_FALSE(testing::has(lead, "NAME", "Gemma Lowther")) << testing::dump(lead);
  EXPECT_FINDS("my son jayden has type 1, dx'd last march 3rd (he was in DKA)", "DATE",
               "march 3rd");
  EXPECT_CLEAN("we march 3 miles to the clinic every day");
  auto royals = testing::foundBeside("Prince Philip had died the previous year.");
  EXPECT_FALSE(testing::has(royals, "NAME", "Prince Philip")) << testing::dump(royals);
  // A name spelled with hyphens in a transcript, and the full name said before it.
  testing::foundAll(
      "Nurse line call transcript, fall at home.\nCALLER: Agnes. Agnes Thorsrud. "
      "T-H-O-R-S-R-U-D.",
      {{"NAME", "Agnes Thorsrud"}, {"NAME", "T-H-O-R-S-R-U-D"}});
}

// Families writing across languages: a Taiwanese ID card and a date of the Minguo era, a
// Lebanese number under an address's floor, Singapore's and Malaysia's labels, the
// Philippines' SSS and PhilHealth numbers, months in Malay and Tagalog; and an office's line.
TEST(Detect, FamiliesAbroadAndTheirCountriesLabels) {
  auto taiwan = testing::found(
      "\u6211\u5abd knee replacement\n\u6797\u6dd1\u82ac, "
      "\u6c11\u570b40\u5e748\u670812\u65e5\u751f\n"
      "\u8eab\u5206\u8b49: A223456789\n\u6211\u54e5\u624b\u6a5f: 0932-118-467");
  EXPECT_TRUE(testing::has(taiwan, "ID", "A223456789")) << testing::dump(taiwan);
  EXPECT_TRUE(testing::has(taiwan, "DATE", "\u6c11\u570b40\u5e748\u670812\u65e5"))
      << testing::dump(taiwan);
  EXPECT_TRUE(testing::has(taiwan, "PHONE", "0932-118-467")) << testing::dump(taiwan);
  EXPECT_FINDS(
      "baba 3endo diabetes type 2.\nesmo Samir Haddad\nsakin Hamra, Rue Makdessi, Bldg Khoury, "
      "3rd floor\ntel: +961 3 458 217",
      "PHONE", "+961 3 458 217");
  EXPECT_FINDS("my mom had knee surgery. phone: 614-201-4477", "PHONE", "614-201-4477");
  EXPECT_FINDS("she got fever, diabetes review.\nHP: 9123 4876 (mine, she don't use phone one)",
               "PHONE", "9123 4876");
  EXPECT_FINDS("dx lung cancer stage 3\nMyKad: 580714-10-5526", "ID", "580714-10-5526");
  EXPECT_FINDS("post-stroke, NGT\n- PhilHealth PIN niya: 12-050123456-7", "ID", "12-050123456-7");
  EXPECT_FINDS_BESIDE("Pt diagnosed with lung cancer. Diagnosis date: 2 Ogos, at UMMC.", "DATE",
                      "2 Ogos");
  // A consulate's visa desk, and a Danish clinic's booking line with its opening hours.
  EXPECT_CLEAN(
      "\u6cf0\u56fd\u536b\u751f\u90e8\u8ba4\u53ef\u533b\u9662\u51fa\u5177\u7684\u9884\u7ea6\u786e"
      "\u8ba4\u4fe1\n\u7b7e\u8bc1\u5904\u7535\u8bdd\uff1a+86 20 8385 5555");
  EXPECT_CLEAN(
      "Indkaldelse til ambulant kontrol. Er De forhindret, skal De melde afbud p\u00e5 tlf. 38 63 "
      "50 00 (hverdage kl. 8-15).");
}

// A pharmacy's and a clinic's numbers, a text message's sender, a date before "in", a
// relative by marriage, a social handle; and the contacts of events, vendors and staff.
TEST(Detect, PrescriptionsTextsAndTheContactsOfOthers) {
  EXPECT_FINDS("Stop A: insulin glargine (COLD) - Rx 3390185", "ID", "3390185");
  auto dose = testing::foundBeside("Rx 500 mg amoxicillin, Rx 2 of 3 refills");
  EXPECT_TRUE(dose.empty()) << testing::dump(dose);
  EXPECT_FINDS("UDS LOG\nSpec# HR-24-118832  collected 4/2/2024 0815", "ID", "HR-24-118832");
  EXPECT_FINDS("Tribal enrollment no. 330-A-55812 (IHS referral)", "ID", "330-A-55812");
  EXPECT_FINDS("hi its Shawna. I know my suboxone appt was moved", "NAME", "Shawna");
  EXPECT_FINDS_BESIDE(
      "I have 2 strips left. Can someone call me back at five oh three, five five five, oh one "
      "nine two?",
      "PHONE", "five oh three, five five five, oh one nine two");
  EXPECT_FINDS("She has her vivitrol shot tmrw. her bday is 11/14 in case u need it", "DATE",
               "11/14");
  EXPECT_FINDS_BESIDE("Pt's daughter-in-law Sunita drives her.", "NAME", "Sunita");
  EXPECT_FINDS(R"({"plate": "8KLM417", "guest_name": "Dennis Yamamoto", "sms": "4155550193"})",
               "PHONE", "4155550193");
  EXPECT_FINDS_BESIDE("NICU graduate! @jaydens.mama_22: Jayden was born at 26 weeks", "ID",
                      "@jaydens.mama_22");
  auto code = testing::foundBeside("Patient model:\n@dataclass\nclass Patient:\n  @property");
  EXPECT_FALSE(testing::has(code, "ID", "@dataclass")) << testing::dump(code);
  EXPECT_CLEAN("the wound is 3/4 in wide and 1/2 in deep");
  EXPECT_CLEAN(
      "levee de fonds pour la Fondation, oncologie. RSVP \u00e0 Julie Bergeron, coordonnatrice "
      "\u00e9v\u00e9nements, julie.bergeron@fondationchum.org ou 514 890-8077.");
  EXPECT_CLEAN("Interpreter invoice, no patient identifiers.\nRemit to: PO Box 202564, Dallas");
  EXPECT_CLEAN(
      "Courier loop, no specimens. Start at Central Supply, 3200 Riverside Dr, Columbus OH "
      "43221.\nIV pole return.");
  EXPECT_CLEAN(
      "hi its Brenda Kowalski from 4 West, ext 44819. the label printer for specimen labels is "
      "printing blanks");
  EXPECT_CLEAN("FAQ 4: Portal del paciente: https://portal.rgvclinica.org, click Forgot password");
  EXPECT_CLEAN(
      R"json(fixture: {"patient": "Jane Doe (FAKE)", "dob": "1901-01-01", "drug": "oxycodone"})json");
  EXPECT_FINDS("wound vac renewal. member#: HUM-H88301927-01 (Humana Gold Plus)", "HEALTH_PLAN",
               "HUM-H88301927-01");
  EXPECT_FINDS_BESIDE("NPWT unit: Genadyne XLR8 PLUS sn GXL8-19-004471", "DEVICE",
                      "GXL8-19-004471");
  EXPECT_FINDS("paciente com diabetes. cart\u00e3o do SUS: 898 0012 3456 7890", "HEALTH_PLAN",
               "898 0012 3456 7890");
  EXPECT_CLEAN(
      "Oxygen CMN header: 'Patient Name: [REDACTED]  Supplier: Allied Respiratory & Infusion, "
      "900 Kirkwood Hwy, Wilmington DE 19805'");
  EXPECT_CLEAN("COPD advisory. Sign off: Wasatch Pulmonary & Sleep, 801-555-0102.");
  EXPECT_CLEAN("stock epinephrine for anaphylaxis: our admin (Mr. Haskins) wants a summary.");
}

TEST(Detect, CustodyEyeCareAndCrisisWork) {
  // A jail's and a prison's numbers under the labels their forms use.
  EXPECT_FINDS("wound check, inmate Castellanos, Ramiro, DOC# 882014, cellulitis", "ID", "882014");
  EXPECT_FINDS("MAR export - olanzapine refused x3, DOC 2209817", "ID", "2209817");
  EXPECT_FINDS("PROGRESS NOTE (Bkg 2024001233), laceration sutured", "ID", "2024001233");
  EXPECT_FINDS("Inmate Lavelle Hargrove, jail # 3319-0047, tooth abscess", "ID", "3319-0047");
  EXPECT_FINDS("Inmate Lavelle Hargrove, jail # 3319-0047, tooth abscess", "NAME",
               "Lavelle Hargrove");
  EXPECT_FINDS("Restraint chair log\nDetainee: J. Okonkwo-Reid  Book# 24C-003197", "ID",
               "24C-003197");
  EXPECT_FINDS("My brother (inmate 24-8830-F) has epilepsy and takes Keppra", "ID", "24-8830-F");
  EXPECT_FINDS("Defendant: Quinton Abara\nSO# 2118874 / FBI# 447129XB3\ncompetency eval", "ID",
               "447129XB3");
  EXPECT_FINDS("found unresponsive 03/11. Autopsy pending (ME case 24-0317).", "ID", "24-0317");
  EXPECT_FINDS("Me llamo Efra\u00edn Castillo, numero de reo 7730419, tos con sangre", "ID",
               "7730419");
  EXPECT_FINDS(R"([{"inmate":"PELLETIER, Gabrielle","id":"5520193","drug":"insulin glargine"}])",
               "ID", "5520193");
  // "DVM" is a veterinarian only as a word: inside a device's model it hides nothing.
  EXPECT_FINDS("ICD model DVMB2D4, serial PZC612347S, implanted 4/18/2022", "DEVICE", "PZC612347S");
  EXPECT_CLEAN("Bella (canine), owner Tom Hale, seen for otitis. Signed, Ana Ruiz, DVM");
  // Eye care: "RD OS" is a retinal detachment, not a dietitian after the name.
  EXPECT_FINDS("handoff: pt Nkechi Adeyemi-Ross, RD OS repaired w/ SB + cryo", "NAME",
               "Nkechi Adeyemi-Ross");
  EXPECT_FINDS("hearing aids fitted bilat, L ser# 2318HX04471, receivers M", "DEVICE",
               "2318HX04471");
  EXPECT_FINDS(R"({"recipient_id": "CIR-00918827", "implant_sn": "C2R7-558102"})", "DEVICE",
               "C2R7-558102");
  EXPECT_FINDS("Patiente : Mme Ginette Lavoie\nNAM : LAVG 5503 1518\nglaucome", "ID",
               "LAVG 5503 1518");
  EXPECT_FINDS_BESIDE(
      "eyeglass order. ship to Devontae Marsh, 5120 Oak Hollow Ln Apt 2B, Charlotte NC 28269",
      "NAME", "Devontae Marsh");
  EXPECT_CLEAN(
      "eyeglass frames restock: ship to Lakeshore Eye & Ear, 2200 N Clark St Suite 300, Chicago "
      "IL 60614");
  // Crisis work and group therapy.
  EXPECT_FINDS_BESIDE(
      "Caller gave first name Kayleigh, took her mom's lorazepam. Callback number: 269-555-0187",
      "PHONE", "269-555-0187");
  EXPECT_FINDS(
      "group therapy attendance\nclient,client_id,attended\nBrianna Colfax,IOP-2291,4 of 5", "MRN",
      "IOP-2291");
}

TEST(Detect, DataFramesConsoleTablesAndLogLines) {
  // A pandas DataFrame aligns its columns to the right, typed by hand give or take a
  // character; its first column is the index.
  std::string frame =
      "claims.head()\n"
      "      claim_id   member_id  pat_last  pat_first   dos_from     dos_to  cpt   paid_amt\n"
      "0  C24061100871  W882104713   Okafor     Chinedu 2024-06-03 2024-06-03  99214    112.40\n"
      "1  C24061100904  W771093355  Brennan   Siobhan  2024-06-04 2024-06-04  97110       NaN\n";
  EXPECT_FINDS(frame, "HEALTH_PLAN", "W771093355");
  EXPECT_FINDS(frame, "NAME", "Siobhan");
  EXPECT_FINDS(frame, "ID", "C24061100871");
  // ... and a German export's columns.
  EXPECT_FINDS(
      ">>> df.head()\n"
      "   Fallnr        Name      Vorname  Geburtsdatum    PLZ   KVNR\n"
      "0  240091873   Schr\u00f6der     Heike    14.02.1961  24105  A123456780\n",
      "HEALTH_PLAN", "A123456780");
  // A DuckDB box, folded to pipes, with its rules between the rows.
  std::string box =
      "\u2502 accession_no \u2502       pt_name        \u2502   pt_dob   \u2502\n"
      "\u2502   varchar    \u2502       varchar        \u2502    date    \u2502\n"
      "\u251c\u2500\u2500\u2500\u2500\u253c\u2500\u2500\u2500\u2500\u253c\u2500\u2500\u2500\u2524\n"
      "\u2502 24-231-00418 \u2502 YAZZIE, NATHANIEL    \u2502 1990-01-09 \u2502\n"
      "\u2502 24-231-00502 \u2502 COLLINS-REYES, JUNE  \u2502 1977-10-30 \u2502\n";
  EXPECT_FINDS(box, "NAME", "COLLINS-REYES, JUNE");
  EXPECT_FINDS(box, "DATE", "1977-10-30");
  // A French log line's key=value pairs.
  std::string log =
      "ERROR c.c.ramq.AdmissibiliteClient : R\u00e9ponse invalide pour NAM=GAGJ72561218, "
      "nom=GAGNON, pr\u00e9nom=JOS\u00c9E, naissance=1972-06-12";
  EXPECT_FINDS(log, "ID", "GAGJ72561218");
  EXPECT_FINDS(log, "NAME", "GAGNON");
  EXPECT_FINDS(log, "DATE", "1972-06-12");
  // An age after a titled surname; an address a log calls its network's is no one's.
  EXPECT_FINDS("Pre-op clearance. Mrs. Pemberton, 94, lives alone, dense cataract", "AGE", "94");
  EXPECT_CLEAN(
      "group therapy video rooms time out. egress NAT: 34.117.59.81, upstream=10.40.2.17:8443");
}

TEST(Detect, PositionsReservationsAndFrenchMobiles) {
  // Latitude and longitude where a patient is: decimal, with hemispheres, or in degrees.
  EXPECT_FINDS("Patient with HAPE, helicopter requested. Position 27.9553N 86.6946E flat ground",
               "ADDRESS", "27.9553N 86.6946E");
  EXPECT_FINDS("Patient with open fracture. Evac point 42.6883 N, 109.2712 W.", "ADDRESS",
               "42.6883 N, 109.2712 W");
  EXPECT_FINDS("Paciente con fractura, punto de evacuación 23°26'12\"S 68°14'55\"W", "ADDRESS",
               "23°26'12\"S 68°14'55\"W");
  EXPECT_FINDS("Patient sprained ankle. GPS: -19.6204, 146.8731, pls advise", "ADDRESS",
               "-19.6204, 146.8731");
  // A route's waypoints, a base's or a platform's position are no one's; nor is a metric's pair.
  EXPECT_CLEAN(
      "Medical kit list. Waypoints: 50°02'N 005°03'W, 47°00'N 012°00'W, "
      "42°30'N 022°00'W, 38°32'N 028°37'W.");
  EXPECT_CLEAN("Medic on board. Platform position 60°38'44\"N 003°43'35\"E");
  EXPECT_CLEAN("The patient cohort model scores 0.9123, 0.8876 on the two sites");
  // A reservation's record locator has fewer digits than other numbers.
  EXPECT_FINDS("Pt with chest pain, return flight IB6800, localizador PNR K4TZ9R", "ID", "K4TZ9R");
  EXPECT_FINDS("Pax HOLLOWAY, Margaret, angina. Booking ref CX7Q2M / cabin 9147", "ID", "CX7Q2M");
  EXPECT_FINDS("Pax HOLLOWAY, Margaret, angina. Booking ref CX7Q2M / cabin 9147", "ID", "9147");
  // A French mobile in pairs; a sequence of the same shape is none.
  EXPECT_FINDS("Patient tombé dans l'escalier. Appelant: 06 71 38 20 44, son fils", "PHONE",
               "06 71 38 20 44");
  EXPECT_CLEAN("Patient rounds on days 06 08 10 12 14 of the month");
  // A Brazilian mobile after its area code; a worker's registration number.
  EXPECT_FINDS("Paciente internado com pneumonia. Contato esposa Cl\u00e1udia: (22) 99814-3307",
               "PHONE", "(22) 99814-3307");
  EXPECT_FINDS(
      "Paciente internado com pneumonia. Trabalhador: Anderson Pereira, matr\u00edcula 7720415",
      "ID", "7720415");
  // A ship's passenger list: the cabin column.
  EXPECT_FINDS(
      "Gastroenteritis log\ncase|name|cabin|age\n01|WHITFIELD, Derek|6021|71\n02|WHITFIELD, "
      "Carol|6021|69",
      "ID", "6021");
  // French months abbreviated.
  EXPECT_FINDS("Participant : Mathieu B\u00e9langer-Roy, visites 14 janv. et 11 f\u00e9vr. 2025",
               "DATE", "11 f\u00e9vr. 2025");
}

TEST(Detect, TrialWordsAndLicenceBarcodes) {
  // A trial's care of its subjects is clinical: a date in a device log's row counts.
  EXPECT_FINDS(
      "Device accountability for the CGM substudy.\nSubject | Name | Applied\n014-002 | Arturo "
      "Delacroix | 03/03/2025",
      "DATE", "03/03/2025");
  EXPECT_FINDS(
      "ICF v6 was signed by LAR (son, Marcus) on June 9 because Mr. Albrecht lacks capacity",
      "NAME", "Albrecht");
  // A driver's licence read from its barcode, on a line or one element a line.
  std::string line =
      "Kiosk log, infusion center registration: DCS=NGUYEN DAC=THANH DBB=08161987 DAQ=41882093 "
      "DAI=GARLAND DAJ=TX";
  EXPECT_FINDS(line, "NAME", "NGUYEN");
  EXPECT_FINDS(line, "DATE", "08161987");
  EXPECT_FINDS(line, "LICENSE", "41882093");
  EXPECT_FINDS(line, "ADDRESS", "GARLAND");
  EXPECT_FINDS("Patient license scan:\nDAQD1234567\nDCSOKAFOR\nDACCHINEDU\nDBB19790412", "NAME",
               "OKAFOR");
  EXPECT_FINDS("Patient license scan:\nDAQD1234567\nDCSOKAFOR\nDACCHINEDU\nDBB19790412", "DATE",
               "19790412");
  // Three capitals alone are no element.
  EXPECT_CLEAN("Patient handout.\nDACA recipients may enroll in the plan");
  // A contraction after a name cue is no name; an apostrophe inside a name is.
  EXPECT_CLEAN("Stretcher transfer rules. Not about any specific patient, I'm writing our SOP.");
  EXPECT_FINDS("I've called Mrs. D'Souza about the transfer, patient is stable", "NAME", "D'Souza");
  // A transplant's recipient, and a biobank's participant in a tool's result.
  EXPECT_FINDS("HLA LAB\nRecipient: FERREIRA-DANTAS, JOAQUIM  MRN 005512904  DOB 1979-04-11",
               "NAME", "FERREIRA-DANTAS, JOAQUIM");
  EXPECT_FINDS(R"({"participant_id":"BB-0093312","name":"Gretchen Albers","dob":"1958-11-30"})",
               "ID", "BB-0093312");
}

TEST(Detect, PostcodesPhotoMetadataMailboxesAndForeignForms) {
  // A UK postcode or a Canadian postal code alone, with its town, beside the patient's other
  // identifiers; and in a postcode column.
  std::string referral =
      "GDP referral. Pt: Miss Chloe Ashworth-Briggs, DOB 23.08.2000\n"
      "Addr 14 Brudenell Mount, Leeds LS6 1HU\nRecurrent pericoronitis LR8";
  EXPECT_FINDS(referral, "ADDRESS", "Leeds LS6 1HU");
  EXPECT_FINDS(
      "Eye screening failsafe list\nNHS_Number,Surname,Postcode,R_Grade\n"
      "943 476 5919,Mahmood,BD8 7QH,R2",
      "ADDRESS", "BD8 7QH");
  EXPECT_FINDS("Teledermatology consult for Amélie Roy, DOB 1987-03-02, postal code H2H 1R8",
               "ADDRESS", "H2H 1R8");
  // A format's example, and a postcode with nothing else, are no one's.
  EXPECT_CLEAN(
      R"({"id": "Patient.address.postalCode", "short": "Postal code for area, e.g. LS1 4HR"})");
  EXPECT_CLEAN("Our clinic moved: 3 Park Square, Leeds LS1 2NE. Parking at the rear.");
  // exiftool's date and GPS angles of a patient's photo, beside the patient's name.
  std::string exif =
      "exiftool output from the photo a patient uploaded to our teledermatology inbox\n"
      "Date/Time Original              : 2024:06:02 18:41:07\n"
      "GPS Latitude                    : 43 deg 39' 12.84\" N\n"
      "GPS Longitude                   : 79 deg 23' 1.20\" W\n"
      "Owner Name                      : Benedict Okafor\n"
      "Patient MRN 00448127, left calf mole";
  EXPECT_FINDS(exif, "DATE", "2024:06:02 18:41:07");
  EXPECT_FINDS(exif, "ADDRESS", "43 deg 39' 12.84\" N");
  // ... and a brochure's, with no patient, stays clean.
  EXPECT_CLEAN(
      "Why is this brochure image 14 MB?\nMake : Canon\nDate/Time Original : 2023:05:18 "
      "10:42:37\nImage Size : 8192x5464");
  // A mailbox at an internet provider is a person's; an ABHA address names a health record,
  // but not a guide's example.
  EXPECT_FINDS("Please email the patient at bokafor@rogers.com about her biopsy", "EMAIL",
               "bokafor@rogers.com");
  EXPECT_FINDS("OPD registration, ABHA address priya.sharma87@abdm, fever 3 days", "HEALTH_PLAN",
               "priya.sharma87@abdm");
  EXPECT_CLEAN("Create your ABHA address (like yourname@abdm) in the app before the camp.");
  // A Japanese check-up record: the health words, and a surname with the iteration mark.
  std::string kenshin = "3歳児健診の記録\n氏名：佐々木 陽葵\n電話 072-555-0136";
  EXPECT_FINDS(kenshin, "NAME", "佐々木 陽葵");
  EXPECT_FINDS(kenshin, "PHONE", "072-555-0136");
  // HL7 segments on a diff's added lines are read as segments.
  std::string diff =
      "Is this just test data?\n+++ b/tests/fixtures/adt_a08.hl7\n"
      "+PID|1||10774213^^^WMC^MRN||FITZGERALD^COLM^PATRICK||19600229|M";
  EXPECT_FINDS(diff, "MRN", "10774213");
  EXPECT_FINDS(diff, "NAME", "FITZGERALD^COLM^PATRICK");
  // A child's label on a French form, a French act of care before its date, and a German
  // serial number's label.
  std::string pmi =
      "Courrier de liaison PMI. Enfant : Lina BENSAÏD. Bilan de santé réalisé le 25 juillet "
      "2024 : retard de langage, otites.";
  EXPECT_FINDS(pmi, "NAME", "Lina BENSAÏD");
  EXPECT_FINDS(pmi, "DATE", "25 juillet 2024");
  EXPECT_FINDS("Kunde: Herr Friedrich Albers, 91 Jahre. Hörgeräte: Seriennr. links 4DK18823",
               "DEVICE", "4DK18823");
}

TEST(Detect, ForeignColumnsRussianNamesGermanAddressesAndKeyedValues) {
  // A Brazilian extract's columns: the record number, the name with its particle, the CPF,
  // the birth date, the town and the CEP.
  std::string extract =
      "Linhas rejeitadas do prontuário:\nid_paciente;nome;cpf;data_nascimento;municipio;cep\n"
      "PAC-0098812;Maria das Graças Souza;123.456.789-10;07/03/1952;Campinas;13083-970";
  EXPECT_FINDS(extract, "MRN", "PAC-0098812");
  EXPECT_FINDS(extract, "NAME", "Maria das Graças Souza");
  EXPECT_FINDS(extract, "DATE", "07/03/1952");
  EXPECT_FINDS(extract, "ADDRESS", "Campinas");
  EXPECT_FINDS(extract, "ADDRESS", "13083-970");
  // A rota's days make its names the staff's.
  EXPECT_CLEAN(
      "Horario promotoras de salud\nnombre,lun,mar,mie,jue,vie,cel_trabajo\n"
      "Lupita Arreola,visitas,oficina,oficina,clase DM,libre,956-555-0141\n"
      "Nidia Zamarripa,oficina,clase DM,visitas,feria salud,oficina,956-555-0142");
  // A Russian name around its patronymic, and dates with Russian month names; not the
  // clinician's name after their title, nor a word that begins with a month's name.
  std::string letter =
      "Пишу по поводу моей мамы, Лебедевой Нины Аркадьевны (дата рождения 05.11.1944). Её "
      "выписали 18 декабря. Лечащий врач Петров Павел Андреевич.";
  EXPECT_FINDS(letter, "NAME", "Лебедевой Нины Аркадьевны");
  EXPECT_FINDS(letter, "DATE", "18 декабря");
  testing::Found found_letter = testing::found(letter);
  EXPECT_FALSE(testing::has(found_letter, "NAME", "Петров Павел Андреевич"))
      << testing::dump(found_letter);
  EXPECT_FINDS("Пациент Иван Сергеевич Орлов, MRN 4410982, диагноз: пневмония", "NAME",
               "Иван Сергеевич Орлов");
  EXPECT_FINDS("Щеплення. Прізвище, ім'я, по батькові: Коваленко Олена Петрівна. Діагноз: ГРВІ",
               "NAME", "Коваленко Олена Петрівна");
  // A name again in its own script in brackets, and a Korean patient's label.
  EXPECT_FINDS(
      "Patient name: KIM, YOUNG SOOK (김영숙)\nDate of birth: July 2, 1949. Knee "
      "arthroplasty.",
      "NAME", "김영숙");
  EXPECT_FINDS("보험 청구 관련 문의. 환자: 최순자, 생년월일 1941년 3월 2일", "NAME", "최순자");
  EXPECT_FINDS("Больная поступила 5 марта 2024 г. с диагнозом пневмония, MRN 4410982", "DATE",
               "5 марта 2024");
  testing::Found lighthouses =
      testing::found("MRN 4410982, диагноз: пневмония. 5 маяков на берегу.");
  EXPECT_FALSE(testing::has(lighthouses, "DATE", "5 мая")) << testing::dump(lighthouses);
  // A German street whose type ends its name, and a German mobile.
  std::string brief =
      "Patientin: Frau Rasha Al-Khatib, geb. 12.06.1979\nAnschrift: Sonnenallee 214, 12059 "
      "Berlin\nDiagnose: Anämie. Tochter Nour, 0176 5550 2291.";
  EXPECT_FINDS(brief, "ADDRESS", "Sonnenallee 214, 12059 Berlin");
  EXPECT_FINDS(brief, "PHONE", "0176 5550 2291");

  // A Python record's repr, a log's quoted key=value and a dict's repr, read by their keys;
  // a sample's town is no one's.
  std::string row =
      "PySpark UDF failed on Row(enc_id='ENC-55129034', mrn='MRN7732019', pt_name='Ikeda, "
      "Haruto', admit_dt='2024-05-19')";
  EXPECT_FINDS(row, "MRN", "MRN7732019");
  EXPECT_FINDS(row, "NAME", "Ikeda, Haruto");
  EXPECT_FINDS(row, "DATE", "2024-05-19");
  EXPECT_FINDS("ivr: rx=6634012 -> MATCH pt=\"LOCKLEAR, VERNON\" -> refill_ok (lisinopril)", "NAME",
               "LOCKLEAR, VERNON");
  EXPECT_FINDS("payload {'mrn': '4410982', 'last': 'NAKAGAWA', 'dx': 'E11.9'}", "NAME", "NAKAGAWA");
  EXPECT_CLEAN(
      "HL7 builder fixture: FAKE = {'mrn': 'TEST0001', 'city': 'ANYTOWN', 'zip': '00000'}; spec "
      "dated 2024-07-01");
  // A date of service beside a person's columns is health information, with no other word
  // of health in the request.
  std::string placement =
      "Placement batch to Meridian Credit Services, pipe-delimited. What will fail?\n"
      "ACCT|LAST|FIRST|DOB|ADDR1|CITY|ST|ZIP|PHONE|DOS|BAL\n"
      "MV00218834|Abernathy|Colleen|19770304|12 Birch Hollow Rd|Nashua|NH|03062|6035550121|"
      "20240111|884.20";
  EXPECT_FINDS(placement, "NAME", "Abernathy");
  EXPECT_FINDS(placement, "DATE", "20240111");
  // An age at an event, by its column; a VIN outside North America has no check digit.
  EXPECT_FINDS("mrn       index_dt     age_at_index\nH882014   2023-02-14   94", "AGE", "94");
  EXPECT_FINDS("Hospital lien. Patient: Shanice Dorsey, DOB 5/27/1992. VIN WVWZZZ1JZXW000001",
               "VEHICLE", "WVWZZZ1JZXW000001");
}

}  // namespace
}  // namespace sluice::scanner

TEST(Detect, DisguisedValuesAreFoundOnTheBytesAsSent) {
  // The folded view (fold.h) reads them; the findings cover the bytes as written.
  EXPECT_FINDS("Patient D e r r i c k  O k a f o r, back pain", "NAME",
               "D e r r i c k  O k a f o r");
  EXPECT_FINDS("hospice form: SSN 6 0 1 . 3 8 . 7 7 2 5, dx pancreatic CA", "SSN",
               "6 0 1 . 3 8 . 7 7 2 5");
  EXPECT_FINDS("Pt Terrence Baptiste, SSN 5\u200b2\u200b9-4\u200b1-8\u200b803", "SSN",
               "5\u200b2\u200b9-4\u200b1-8\u200b803");
  EXPECT_FINDS("患者 佐藤健一 生年月日 昭和２７年４月１８日 電話 ０９０－４４１８－２７７３",
               "PHONE", "０９０－４４１８－２７７３");
  EXPECT_FINDS("Portal message from Jos&eacute; Ram&iacute;rez, DOB 04&#47;19&#47;1962", "DATE",
               "04&#47;19&#47;1962");
  EXPECT_FINDS("patient e-mail: k [dot] ramaswamy [at] yahoo [dot] com, migraine f/u", "EMAIL",
               "k [dot] ramaswamy [at] yahoo [dot] com");
  EXPECT_FINDS("POST /intake name=Hannah%20Lindqvist&mail=hannah.lindqvist%40gmail.com&dx=asthma",
               "EMAIL", "hannah.lindqvist%40gmail.com");
  EXPECT_FINDS(
      "Patient \u0405\u0430r\u0430h \u041cit\u0441h\u0435ll, e-mail "
      "\u0455mitchell.1972@gm\u0430il.com, asthma",
      "EMAIL", "\u0455mitchell.1972@gm\u0430il.com");
  // Look-alikes of disguises stay clean: a pain scale, a range, a threat report's addresses.
  EXPECT_CLEAN("Rate your pain: 0 1 2 3 4 5 6 7 8 9 10");
  EXPECT_CLEAN("Member ID: 9\u201312 alphanumeric characters, no dashes");
  EXPECT_CLEAN("Blocked beacons to 185[.]220[.]101[.]4 and 45[.]153[.]160[.]2 from the EHR host");
}
