// Hard negatives from issue 3: none of these may produce a finding.
#include "scanner_fixture.h"

namespace sluice::scanner {
namespace {

TEST(HardNegatives, IdentifiersOfMachinesNotPeople) {
  EXPECT_CLEAN("request 123e4567-e89b-12d3-a456-426614174000 failed");
  EXPECT_CLEAN("commit 9fceb02d0ae598e95dc970b74767f19372d61af8 and "
               "3f786850e387550fdab836ed7e6dc881de23001b");
  EXPECT_CLEAN("hash 0x7f3a9c2e11d04b5a checksum deadbeefcafebabe");
  EXPECT_CLEAN("bump to 2.14.3 and v10.0.19041.1 then 1.2.3-rc.1");
  EXPECT_CLEAN("pin the client at 1.2.3.4 until the fix ships");
  EXPECT_CLEAN(R"({"model":"gpt-4o-2024-08-06","temperature":0.2})");
  EXPECT_CLEAN(R"({"model":"claude-3-5-sonnet-20241022","max_tokens":1024})");
}

TEST(HardNegatives, LogsAndNumbers) {
  EXPECT_CLEAN("2024-03-05T10:22:01Z INFO worker started pid=4412");
  EXPECT_CLEAN("2024-03-05 10:22:01,233 WARN retry in 5s");
  EXPECT_CLEAN("2025/06/30 08:14:09 [error] 311#311: upstream timed out");
  EXPECT_CLEAN("ts=1709634121000 latency_ms=12");
  EXPECT_CLEAN("Order #A-1234-5678 part PN-00912-B costs $1,299.99 (qty 3)");
  EXPECT_CLEAN("ISBN 978-3-16-148410-0 and ISBN-10 0-306-40615-2");
  EXPECT_CLEAN("invoice 20240312-0042 total 4500.00");
}

TEST(HardNegatives, ClinicalCodesAndDeidentifiedText) {
  EXPECT_CLEAN("ICD-10 E11.9 and I21.4; CPT 99213, 93000; LOINC 2345-7");
  EXPECT_CLEAN("A 54-year-old woman presented with chest pain and diaphoresis.");
  EXPECT_CLEAN("Patient [REDACTED], DOB [REDACTED], MRN [REDACTED] was seen.");
  EXPECT_CLEAN("The patient is a 67 yo male with a history of CHF.");
}

TEST(HardNegatives, ExamplesInfrastructureAndQueries) {
  EXPECT_CLEAN("Build a regex for US phone numbers like (555) 555-5555 or 123-456-7890.");
  EXPECT_CLEAN("Call our support line at 1-800-555-0199 between 9am and 5pm.");
  EXPECT_CLEAN("Our load balancer is at 10.0.12.7 behind NAT; the proxy is 192.168.1.20.");
  EXPECT_CLEAN("SELECT id FROM visits WHERE visit_date >= '2024-01-01' LIMIT 10;");
  EXPECT_CLEAN("Validate SSNs like 123-45-6789; write to support@example.com if it fails.");
  EXPECT_CLEAN("dig @8.8.8.8 example.com; the docs use 203.0.113.7 and 192.0.2.10");
}

// Month/day shapes that are fractions, scores and ratios, and month names that are words.
TEST(HardNegatives, FractionsScoresAndWordsAreNotDates) {
  EXPECT_CLEAN("Patient rates pain 6/10 after surgery; strength 4/5 in the left arm.");
  EXPECT_CLEAN("s/p ORIF: take 1/2 tab of oxycodone on 3/4 of the days as needed.");
  EXPECT_CLEAN("Add 2/3 cup flour since the dough is dry; bake 1/2 hour.");
  EXPECT_CLEAN("The mixing ratio is 3/8 and the odds are 5/6 for this build.");
  EXPECT_CLEAN("Step 2 may fail on Windows; we march 3 miles on May Day.");
  EXPECT_CLEAN("Our sprint planning is on March 3 and the release ships June 12.");
  EXPECT_CLEAN("Nov 24 10:22:01 web01 sshd[812]: Accepted publickey for deploy");
  EXPECT_CLEAN("Julius Caesar was killed on March 15 in 44 BC. Who was Brutus?");
  EXPECT_CLEAN("The Mars 2020 mission landed 18 Feb; mai is French for May.");
  // "clinical" describes the assistant, not the request: no clinical document cue.
  EXPECT_CLEAN("You are a clinical writing assistant. Plan the rollout for 2025-03-02.");
}

TEST(HardNegatives, PublicFiguresInGeneralQuestions) {
  EXPECT_CLEAN("Queen Victoria reigned from 1837 to 1901. Prince Albert died in 1861.");
  EXPECT_CLEAN("Dr. Seuss wrote Green Eggs and Ham. What else did he write?");
  EXPECT_CLEAN("Summarize the plot of Pride and Prejudice: Elizabeth Bennet and Mr. Darcy.");
  EXPECT_CLEAN("What did Abraham Lincoln say at Gettysburg?");
  EXPECT_CLEAN("Compare the theories of Albert Einstein and Isaac Newton.");
  EXPECT_CLEAN("How did Florence Nightingale change nursing?");
  EXPECT_CLEAN("Explain Parkinson disease and Crohn disease.");
  EXPECT_CLEAN("List films with the actors Tom Hanks and Meryl Streep.");
  EXPECT_CLEAN("Which novels did the author Jane Austen write?");
  EXPECT_CLEAN("In the TV show Scrubs, why does Perry Cox mentor John Dorian?");
  EXPECT_CLEAN("Who was born in Hodgenville, Kentucky and later lived in Springfield, Illinois?");
  // A name pair right after a capitalised article is a title.
  EXPECT_CLEAN("For the pediatric clinic waiting room, is A Charlie Brown Christmas OK to play?");
  EXPECT_CLEAN("Psychiatry journal club: does Jay Gatsby meet criteria for a personality "
               "disorder, and is Hannibal Lecter a realistic psychiatrist?");
}

// Templates and announcements: placeholders and an organisation's event dates.
TEST(HardNegatives, TemplatesAndEventDates) {
  EXPECT_CLEAN("Example: PID|1||<MRN>^^^<FAC>^MR||<LAST>^<FIRST>||<DOB>|<SEX>|||<STREET>");
  EXPECT_CLEAN("Post for our page: the new infusion clinic opens June 2, 2027; appointments "
               "by phone.");
  EXPECT_CLEAN("ICU nurse staffing for the week of Mar 8: days need 6 RNs.");
  EXPECT_CLEAN("Catheter kits for the clinic are on backorder until 02/20.");
  EXPECT_CLEAN("Nursing newsletter: how Edward Jenner and Louis Pasteur changed vaccines.");
  EXPECT_CLEAN("Is the fictional surgeon Meredith Grey realistic?");
  EXPECT_CLEAN("In the movie Patch Adams, what did Hunter Adams get wrong?");
}

// The general-knowledge cues hide names, so they count only as words: inside a longer word
// ("foreign", "factor", "authorize") they must not hide a patient's name.
TEST(HardNegatives, GeneralCuesInsideWordsDoNotHideNames) {
  EXPECT_FINDS_BESIDE("Summarize: Maria Lopez called about a foreign exchange question.", "NAME",
                      "Maria Lopez");
  EXPECT_FINDS_BESIDE("Draft a reply to Maria Lopez about the contract factor.", "NAME",
                      "Maria Lopez");
  EXPECT_FINDS_BESIDE("Please authorize payment for Robert Miller today.", "NAME", "Robert Miller");
  EXPECT_FINDS_BESIDE("Ask the contractor to call Robert Miller back.", "NAME", "Robert Miller");
}

TEST(HardNegatives, ServiceLinesPurchaseOrdersAndFixtures) {
  // A clinic's line, said what it is in brackets after it.
  EXPECT_CLEAN(
      "Patients with urgent symptoms after hours should call 919-555-0100 (oncology "
      "triage line).");
  EXPECT_CLEAN("Schedule a colonoscopy: call 317-555-0100 (Mon-Fri 7a-6p).");
  // A person in brackets stays a person ("Ramon" holds "mon").
  EXPECT_FINDS("Dx: CHF. Son's cell 317-555-0142 (Ramon).", "PHONE", "317-555-0142");
  // An X12 purchase order's dates and addresses are a business's.
  EXPECT_CLEAN(
      "ISA*00*          *00*          *ZZ*STBRENDANMC    *ZZ*DISTCONORTH    *250219*1405*^*00401"
      "*000018832*0*P*>~GS*PO*STBRENDANMC*DISTCONORTH*20250219*1405*18832*X*004010~ST*850*0001~"
      "BEG*00*SA*SB-PO-2025-018832**20250219~REF*DP*4410~DTM*002*20250224~N1*ST*ST BRENDAN "
      "MEDICAL CENTER*92*CS-DOCKB~N3*1800 W HARRISON ST~N4*CHICAGO*IL*60612~SE*13*0001~");
  // A test patient's record: ZZ record numbers, TEST addresses, zero phones, 2099 dates.
  EXPECT_CLEAN(
      "PID|1||ZZ9990001^^^NPH^MR||ZZTEST^INTERFACE^A||19000101|U|||123 TEST ST^^TESTVILLE^HI^"
      "00000||(000)000-0000");
  EXPECT_CLEAN("Discharge summary fixture. Admitted: 2099-01-01  Discharged: 2099-01-03");
}

TEST(HardNegatives, DirectoriesStaffTablesAndSchedules) {
  // A FHIR provider directory: a practitioner's and a location's details.
  EXPECT_CLEAN(R"({"resourceType": "Practitioner", "id": "pr-1183", "identifier": [{"system": )"
               R"("http://hl7.org/fhir/sid/us-npi", "value": "1720094418"}], "name": [{"family": )"
               R"("Lindqvist", "given": ["Sven"]}], "telecom": [{"system": "phone", "value": )"
               R"("763-555-0100"}], "qualification": [{"code": {"text": "MD - Endocrinology"}}]})");
  // A badge log: employees, not patients.
  EXPECT_CLEAN(
      "ED pharmacy vault review.\nevent_time,badge_id,employee_id,name,dept,door,result\n"
      "2025-03-02T23:02:11Z,0x4A17F2,u31877,\"Hollis, Brent\",ED Nursing,Med Room,GRANTED\n"
      "2025-03-03T02:48:30Z,0x3390CE,u40092,\"Peck, Jordan\",5N Nursing,Data Center,DENIED\n");
  // A clinic's site and a call schedule's month.
  EXPECT_CLEAN(
      "Occupational health clinic. Main site 312 Harbor Way, Suite 100, Norfolk VA "
      "23510, (757) 555-0400.");
  EXPECT_CLEAN("Transplant Surgery - Call Schedule December 2024\n12/01 Dr. Yusuf Haddad");
}

TEST(HardNegatives, TestMessagesAcksAndApiNames) {
  // MSH-11 says training: a build script's validation patient.
  EXPECT_CLEAN(
      "MSH|^~\\&|SUNQUEST|MAINLAB|CLOVERLEAF|EHR|20240502083011||ORU^R01|SQ000918273|T|2.3\n"
      "PID|1||ZZ999001^^^MAIN^MR||ZZTEST^LABINTERFACE^ONE||19000101|U\n"
      "OBR|1|ORD99001|LAB99001|CBC^COMPLETE BLOOD COUNT^L|||20240502080000");
  // Acknowledgements carry the time of a message about no one.
  EXPECT_CLEAN(
      "MSH|^~\\&|LABCORP|LCA|EPIC|NWHEALTH|20240812101507||ACK^O21|LC0091827731|P|2.5.1\n"
      "MSA|AE|NW20240812-00417\nERR||OBR^1^4^1|103^Table value not found^HL70357|E");
  // "Patient Access API" names an interface, and gateway hosts are no one's.
  EXPECT_CLEAN(
      "the payer's Patient Access API client gets 429s:\n2024-09-18T16:02:11.204Z 10.8.3.14 -> "
      "fhir-gw-02 GET /fhir/r4/ExplanationOfBenefit 429 12ms");
  // Capitals and a comma that are places and credentials.
  EXPECT_CLEAN("Clinic sites: DALLAS, TEXAS and HILL, ST; signed SMITH, MD for the surgery.");
}

TEST(HardNegatives, FixturesGeneratorsAndFleets) {
  // MIMIC's de-identification brackets, a template's LASTNAME*FIRSTNAME, a dev seed row.
  EXPECT_CLEAN("CT CHEST. Patient: [**Name (NI) 1234**]   MRN: [**Medical Record Number 5678**]");
  EXPECT_CLEAN("271 template: NM1*IL*1*LASTNAME*FIRSTNAME*M***MI*XXXXXXXXXXX~ for the patient");
  EXPECT_CLEAN(
      "patient seed row for dev: ehr_mrn TEST000001, given_name Zzdev, birth_date 1900-01-01");
  // A phone that starts with 000 in a test patient's PID.
  EXPECT_CLEAN(
      "TEST = \"PID|1||000000001^^^TESTFAC^MR||TESTPATIENT^ALPHA||19000101|U|||||"
      "(000)000-0000~(000)000-0001\"");
  // A Synthea bundle: its own identifier system and the Patient's logical id.
  EXPECT_CLEAN(
      R"(synthea bundle: {"resourceType":"Patient","id":"6a1e3c7f-2b8d-4f5e-9c01-7d2e8b3a4f10",)"
      R"("identifier":[{"system":"https://github.com/synthetichealth/synthea","value":)"
      R"("6a1e3c7f-2b8d-4f5e-9c01-7d2e8b3a4f10"}],"telecom":[{"system":"phone","value":)"
      R"("555-412-8830"}],"birthDate":"1961-05-18"})");
  // A clinic's flyer in Spanish, and a draw station's hours after its number.
  EXPECT_CLEAN(
      "Terapia acu\xc3\xa1tica en Riverbend Physical Therapy. Llame al (763) 555-0102 o visite "
      "8450 Wedgwood Ln N, Maple Grove MN 55369");
  EXPECT_CLEAN(
      "PSC directory for the lab's physical therapy referrals:\n#02 Lakewood  (253) 555-0121 | "
      "M-F 7:00-15:30, Sa 8-12");
  // A home-medical supplier's vans, their VINs and drivers.
  EXPECT_CLEAN(
      "Home oxygen delivery vans:\nVan | Plate | VIN | Driver\nTRK-07 | IA LHM 4821 | "
      "1FTBR2C85MKA11047 | Cody Ahlgren\nTRK-11 | IA MFX 0192 | 3C6LRVDG4PE512280 | Dwayne "
      "Feeley\n");
}

// What the rewrite of misread digits leaves alone, fixtures' blanks and rows, a made-up
// dictation, an employer named in a job posting.
TEST(HardNegatives, OcrLookalikesBlanksAndPostings) {
  EXPECT_CLEAN("Patient on O2 2 L, Hgb 9.2, I10 and O24.4 coded, B12 low, fluids 2-3l/min.");
  EXPECT_CLEAN(
      "fixture for the patient interface: {'medicaid_id': 'XX0000000', 'zip': '00000', "
      "'dob': '19000101'}");
  EXPECT_CLEAN(
      "intake export fixture, patient DOB column:\nmrn;last;first;dob\n"
      "TEST0001;Testpatient;Alpha;O1/O1/19OO\nTEST0003;Testpatient;Charlie;l2/3l/1999\n");
  EXPECT_CLEAN(
      "training dictation for new scribes: patient john doe medical record number nine nine "
      "nine nine nine nine nine.");
  EXPECT_CLEAN("Job posting: RN, ICU nights. Employer: St. Luke Health System. Apply online.");
}

// Ordinals that are no dates, a training screen's test patient, a load test's accounts, a
// novel's people.
TEST(HardNegatives, OrdinalsTrainingScreensLoadTestsAndNovels) {
  EXPECT_CLEAN(
      "Patient moved to the 15th floor; the 21st century cures act; in the 50th percentile.");
  EXPECT_CLEAN("Patient vaccinated from lot 24-220981; order 2025-0007713 shipped.");
  EXPECT_CLEAN(
      "Epic PLY training screen for new MAs:\nPatient: ZZTEST, TRAINING ONE     MRN: Z9990001    "
      "DOB: 01/01/1950\nmetformin 500 mg tab 1 tab PO BID");
  EXPECT_CLEAN(
      "telehealth load test, patient visits synthetic: session.create user=loadtest_0041 ok\n"
      "session.create user=loadtest_0042 502 Bad Gateway");
  EXPECT_CLEAN(
      "I'm writing a literary novel. Write the scene where Nora Blackwood gets her biopsy "
      "results from Dr. Imani Castellanos. Nora's estranged son Theo is in the waiting room.");
}

// People named with their role, and a trial's public registry number.
TEST(HardNegatives, StaffByTheirRolesAndTrialRegistryNumbers) {
  EXPECT_CLEAN(
      "Compare the liability quotes for the patient safety committee. Broker: Marsh, account "
      "exec Lauren Ziegler 312-555-0163");
  EXPECT_CLEAN(
      "OSHA 300A for the clinic's injuries. Certifying exec: Marianne Foltz, VP Ops, "
      "219-555-0100");
  EXPECT_CLEAN(
      "Protocol ONC-2207 (NCT05889104) eligibility for chemotherapy patients. Sponsor medical "
      "monitor: Dr. Elaine Fairbanks, +1 215 555 0190.");
}

// A roster reconciled against the badge system: employees' phones, dates and names, in a
// hospital's words.
TEST(HardNegatives, StaffRosters) {
  EXPECT_CLEAN(
      "Reconcile the Workday roster before the access audit:\n"
      "EmpID,LastName,FirstName,Dept,HireDate,BadgeNo,CellPhone,HomeZip\n"
      "E104412,ALVARADO,MARISSA,4W MED SURG,04/17/2016,0041877,(616) 555-0192,49503\n"
      "E098821,NGUYEN,TRAM,PHARMACY,11/02/2021,0038810,(616) 555-0177,49507\n");
}

// An organisation's own details: a clinic's sign, a route sheet, an asset record, a PTA's
// newsletter and a school nurses' rota.
TEST(HardNegatives, OrganisationsSignsRouteSheetsAssetsAndRotas) {
  EXPECT_CLEAN(
      "Translate this sign.\nLAKESHORE FAMILY MEDICINE\nAppointments: 616-555-0150\n"
      "After-hours nurse line: 616-555-0123\nFlu and COVID shots without an appointment.");
  EXPECT_CLEAN(
      "Route sheet - LTC Pharmacy, hospice and insulin totes\nStop | Facility | Address | Totes\n"
      "1 | Harbor View Nursing Center | 1500 Shore Dr, Norfolk 23503 | 6\n"
      "5 | Bayside Hospice House | 71 Pleasure House Rd, VA Beach | 3\n"
      "Q: reorder the stops starting from our warehouse at 3201 Azalea Garden Rd?");
  EXPECT_CLEAN(
      "is infusion pump BME-004431 ready? {\"asset_tag\": \"BME-004431\", \"serial\": "
      "\"16213402\", \"udi\": \"(01)10885403810037(21)16213402\", \"tech\": \"Luis Ortega\"}");
  EXPECT_CLEAN("for a family handout: explain FL ICP Medicaid 2024, income cap $2,829/mo.");
  EXPECT_CLEAN(
      "Camp health form: medications given per standing orders signed by Dr. Walter Brennan, "
      "camp medical director. Allergies: ____");
  EXPECT_CLEAN(
      "PTA news: hearing and vision screening the week of Oct 27, follow-up letters home.\n"
      "Book Fair: Nov 10-14 in the library, hosted by Mrs. Dorothy Quan.");
  EXPECT_CLEAN(
      "Nurse assignments:\nHelen Marchetti, RN - Roosevelt ES (M/W/F), 555-210-3345\n"
      "Flu clinic at Roosevelt Oct 22 needs 2 nurses.");
  // A guarantor who is the patient, a department's and a chain store's details, a
  // reminder's sender and a sales e-mail's follow-up.
  testing::Found refunds =
      testing::found("Acct,Guarantor,Patient,DOS\n88120344,SELF,Yolanda Pritchett,08/14/2024\n");
  EXPECT_FALSE(testing::has(refunds, "NAME", "SELF")) << testing::dump(refunds);
  EXPECT_CLEAN(
      "School letter template for T1D: glucose checks, insulin by the school nurse. Signature "
      "block: Lakemont Children's Endocrinology, 1 Children's Plaza, Dayton OH 45404, "
      "937-555-0600.");
  EXPECT_CLEAN(
      "Holiday hours - outpatient pharmacy. For urgent refills use the 24-hour Walgreens at 2800 "
      "Far Hills Ave.");
  EXPECT_CLEAN(
      "Hi {{first_name}}, this is Lakemont Health reminding you of your appt on {{date}}. "
      "Questions call 1-800-555-0140.");
  EXPECT_CLEAN(
      "give me 3 subject line options and tighten this follow-up to under 90 words:\nHappy to "
      "call you at 330-555-0147 Thursday afternoon if that's easier.");
  // An animal's record, its owner's details and its numbers; a report's numbered table.
  EXPECT_CLEAN(
      "Discharge instructions for a veterinary hospital.\nPatient: \"Biscuit\"   Species: Canine"
      "\nOwner: Danielle Fairweather   Phone: (919) 555-0147\nClient ID: C-20418   Patient ID: "
      "P-55102   Date: 11/12/2024");
  EXPECT_CLEAN(
      "This horse owner is disputing the float charge: Colton Ashworth, 7720 Old Stage Rd, "
      "Culpeper VA 22701, 540-555-0175, seen 09/19/2024.");
  EXPECT_CLEAN(
      "Table 14.3.1.2 Treatment-Emergent Adverse Events Occurring in >=5% of Subjects (Safety "
      "Population)");
  // A board packet's presenters, by their offices, and the day they present.
  EXPECT_CLEAN(
      "Finance committee packet: MA utilization running hot in SNF and outpatient PT.\nCFO Dana "
      "Whitlock presenting Dec 12; committee chair is Robert Haines.");
  // A trial's site contact table, its rows judged before the line under it: the rows'
  // phones are staff's, so they do not make the sponsor's contact below count.
  EXPECT_CLEAN(
      "make vCards per coordinator\nSite Contact List - as of 04-Nov-2024\nSite | Institution | "
      "PI | Study Coordinator | Phone | Email\n101 | Summit Cardiology | Dr. Oren Feldstein | "
      "Marisol Tapia | 615-555-0301 | research@summitcardiology.org\n104 | Great Lakes Heart | "
      "Dr. Hyun-woo Baek | Travis Kohl | 616-555-0412 | tkohl@glhv.org\nSponsor CTM: Rebecca "
      "Huang, rhuang@veritasbio.com, 617-555-0199");
  // A collection agency's licences; an interface spec's field names after "Patient".
  EXPECT_CLEAN(
      "Vendor due diligence: NY DCWP Collection Agency License #2089145-DCA (exp 01/31/2027), CO "
      "Collection Agency License #991201");
  EXPECT_CLEAN(
      "Map the DFT^P03 fields for patient billing:\nPID-3 Patient Identifier List -> patient.mrn"
      "\nPID-18 Patient Account Number -> encounter.fin\nCLP*<PATIENT CONTROL NUMBER>*<STATUS>");
  // A title with "Patient" in it on a meeting's attendee line.
  EXPECT_CLEAN(
      "RCA minutes, fall with injury on 4W.\npresent: Dr. Alan Whitcomb (CMO, chair), Rhonda "
      "Pike (CNO), Sarah Lindgren (Patient Safety Officer), Jim Tarrant (Facilities)");
}

// An audit's cycles on the line after "admission", and a VRDR example's placeholder
// decedent: a care word on the line above is that line's, and "Decedent" is no name.
TEST(HardNegatives, AuditCyclesAndExampleDecedents) {
  EXPECT_CLEAN(
      "Audit (HSE hospital): VTE risk assessment within 24h of admission, medical wards\n"
      "Cycle 1: 01/09/2023-30/09/2023, n=212, compliant 131 (61.8%)");
  EXPECT_CLEAN(
      "{\"resourceType\":\"Patient\",\"id\":\"Decedent-Example1\",\"name\":[{\"use\":"
      "\"official\",\"family\":\"Example\",\"given\":[\"Decedent\"]}],\"gender\":\"unknown\"}");
  // A paragraph about a public figure: its later sentences open with a pronoun.
  EXPECT_CLEAN(
      "Summarize for our hospice newsletter:\n\nFormer President Jimmy Carter, 98, decided in "
      "February 2023 to forgo further medical intervention. Carter had a history of melanoma, "
      "treated in 2015. He lived in hospice for nearly two years, and died December 29, 2024, "
      "at age 100.");
  // Staff introducing themselves and a shift's roles; a surgery center's flyer.
  EXPECT_CLEAN(
      "hi, I'm Jessamyn, OR circulator at St. Brendan's. if the surgeon refuses to wait for "
      "the closing count on a crash c-section, do we just document it?");
  EXPECT_CLEAN(
      "VALLEY NORTH SURGERY CENTER\nAddress: 4200 N. 10th St., Suite 150, McAllen, TX 78504\n"
      "Stop warfarin only as your surgeon tells you.");
  // A marketing e-mail's footer: the practice's name, then its address.
  EXPECT_CLEAN(
      "Walk-in flu clinics, no appointment needed.\nTo unsubscribe from marketing emails, click "
      "here. Maple Grove Family Medicine, 4410 Grove Blvd, Suite 120, Springfield, IL 62704");
  // A practice's FAQ answers with its own number.
  EXPECT_CLEAN(
      "Q: Can I get my test results by phone? A: Please call 01632 960 442 after 2pm. For "
      "confidentiality we will ask for your date of birth.");
}

// Countries, months and housing after "lives in", a public figure's home town, a phantom's
// DICOM header, a field list's "Name" column, counts by date, and "X-rayed".
TEST(HardNegatives, CountriesPhantomsFieldListsAndCounts) {
  testing::Found f = testing::found(
      "MRN 5510293, 71M, moved from Ghana in 2019, came home in March, lives in Assisted "
      "Living.");
  EXPECT_FALSE(testing::has(f, "ADDRESS", "Ghana")) << testing::dump(f);
  EXPECT_FALSE(testing::has(f, "ADDRESS", "March")) << testing::dump(f);
  EXPECT_FALSE(testing::has(f, "ADDRESS", "Assisted Living")) << testing::dump(f);
  EXPECT_CLEAN(
      "For our hospice newsletter: former President Jimmy Carter, then 98, chose to receive "
      "hospice care at his home in Plains, Georgia, rather than further medical intervention.");
  EXPECT_CLEAN(
      "why does our anonymizer choke on this phantom scan?\n"
      "(0008,0020) DA [20240502]                               #   8, 1 StudyDate\n"
      "(0010,0010) PN [ACR^PHANTOM^LARGE^^WEEKLY QA]            #  30, 1 PatientName\n"
      "(0010,0020) LO [QA_PHANTOM_01]                          #  14, 1 PatientID");
  f = testing::found(
      "Module               Tag          Name                              Type\n"
      "Sched. Proc. Step    (0040,0100)  Scheduled Procedure Step Sequence 1\n"
      ">                    (0040,0001)  Scheduled Station AE Title        1\n"
      "Patient Identif.     (0010,0020)  Patient ID                        1");
  EXPECT_FALSE(testing::has(f, "NAME", "Scheduled Procedure Step Sequence")) << testing::dump(f);
  EXPECT_CLEAN(
      "Outbreak: Shigella sonnei, Harbor County\nonset_date,confirmed,probable\n2024-06-02,1,0\n"
      "2024-06-03,0,0\n2024-06-04,2,2");
  EXPECT_CLEAN("who was the first patient X-rayed in the US for a fracture?");
}

// Parties to published cases, a public figure's wife, a law firm's letterhead over a
// template, an office's hours, and an event's attendance.
TEST(HardNegatives, CaseLawFiguresFamiliesAndOffices) {
  EXPECT_CLEAN(
      "For my risk mgmt class on informed consent:\n1. Canterbury v. Spence, 464 F.2d 772 (D.C. "
      "Cir. 1972)\n2. Ybarra v. Spangard, 25 Cal.2d 486 (1944)");
  EXPECT_CLEAN(
      "Check my facts: Former President Jimmy Carter entered home hospice care in February "
      "2023 and died December 29, 2024 at age 100. His wife Rosalynn, who had dementia, entered "
      "hospice in November 2023 and died on November 19, 2023.");
  EXPECT_CLEAN(
      "Shorten our records-request cover letter.\n\nMORALES BRANDT TRIAL ATTORNEYS\n2200 Ross "
      "Avenue, Suite 4100, Dallas, TX 75201 | Tel 214-555-0150 | records@moralesbrandt.com\n\n"
      "Re: Patient: [CLIENT NAME]; DOB: [DOB]; Dates of Service: [DOS RANGE]");
  EXPECT_CLEAN(
      "write a FAQ on how patients can request their medical records. Our HIM office: 1200 "
      "Lakeview Blvd, Suite 110, Madison WI 53703, M\u2013F 8:00\u20134:30, phone 608-555-0160.");
  EXPECT_CLEAN(
      "Q3 bereavement metrics\nDeaths on service: 412\nMemorial service attendance Aug 23: 148");
}

// An instruction to address something, and a parcel's tracking number in a purchase order.
TEST(HardNegatives, InstructionsAndParcels) {
  EXPECT_CLEAN(
      "Triage rules for dermatology e-consults.\nAlways address:\n- Differential diagnosis (top "
      "3, most likely first) with one line of reasoning each.");
  EXPECT_CLEAN(
      "reconcile this PO: ordered 11/10/2025, BOTOX Cosmetic 100U qty 10. Packing slip "
      "8840031927 received 11/14/2025. Tracking 1Z 9X4 21E 03 5518 2290");
  // A sample card's placeholder name, and a fixture's VIN of one digit.
  EXPECT_CLEAN(
      "SAMPLE - NOT A VALID CARD\nMember Name\nJANE DOE\nMember ID\nXOF 000000000\nPPO PCP $25");
  EXPECT_CLEAN("{\"claim\": {\"injury\": \"whiplash\", \"vin\": \"11111111111111111\"}}");
  // An employer's group policy in a leave system's configuration.
  EXPECT_CLEAN(
      "{\"leave_types\": [{\"code\": \"STD\", \"paid\": true, \"max_weeks\": 25, "
      "\"carrier_policy\": \"GRP-681447\"}]}");
}

// A weekday before a rota's date, a version of the calendar's form, an organisation's desk
// abroad, and a local number alone in a rota or a fixture.
TEST(HardNegatives, RotasVersionsDesksAndLocalNumbers) {
  EXPECT_CLEAN("Staff meeting Tues 3/18 at noon in the dialysis unit, bring the QAPI numbers");
  EXPECT_CLEAN("upgraded certifi 2024.12.14 and urllib3 2.2.3 in the clinic scheduler image");
  EXPECT_CLEAN(
      "R\u00e9sume ces conditions pour notre FAQ: Article 7 \u2013 Rapatriement m\u00e9dical "
      "apr\u00e8s hospitalisation. Plateau d'assistance 24h/24 : +33 1 55 55 12 34.");
  EXPECT_CLEAN(
      "e-Medical Visa (India): letter from the hospital required.\nEmbassy of India, Abuja: "
      "Plot 364 Cadastral Zone; tel +234 9 460 8650; visa section hours 9:30-12:00");
  EXPECT_CLEAN("ON CALL - WEEK OF 11/25\nGen Surg: Dr. Hugo Lindqvist all week, cell 555-0131");
  EXPECT_CLEAN(
      "mrn;last;first;dob;phone\nTEST0001;Testpatient;Alpha;01/01/1900;555-0100\n"
      "TEST0002;Testpatient;Bravo;01/01/1900;555-0101");
  // A blood bank's inventory by unit number, and a database's SID.
  EXPECT_CLEAN(
      "Expiring RBC units, transfusion service\nW0419 25 400112  O NEG  exp 08/12\n"
      "W1157 25 051873  A POS  exp 08/09");
  EXPECT_CLEAN("pt lookup fails on the replica: ORA-12505, SID PRODEHR1 not registered");
  // A timestamp's date and zone, a Polish institution's letterhead, a Swedish agency's line,
  // and counts between commas.
  EXPECT_CLEAN("pump log: 20261120-0300 sync ok, 20261120-0330 sync ok");
  EXPECT_CLEAN(
      "Szpital Uniwersytecki, ul. Mickiewicza 15, 31-120 Krak\u00f3w\nInformacja dla "
      "pacjent\u00f3w: "
      "rejestracja od 01.02.2025");
  EXPECT_CLEAN(
      "Sjukskrivning: ange sjukskrivningsgrad och period.\nFr\u00e5gor: "
      "F\u00f6rs\u00e4kringskassans "
      "v\u00e5rdgivarlinje 0771-17 90 00.");
  EXPECT_CLEAN("Lots received for the clinic: 12, 93, 104, all within date");
}

}  // namespace
}  // namespace sluice::scanner
