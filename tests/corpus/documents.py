"""Document templates: positives carry labelled PHI, negatives carry none.

A document is a list of segments: plain strings, and (value, TYPE) tuples for PHI. Templates
vary labels, order and phrasing so the evaluation does not reward one layout.
"""
import json

CONDITIONS = ["type 2 diabetes", "hypertension", "COPD exacerbation", "community-acquired "
              "pneumonia", "atrial fibrillation", "major depressive disorder", "CHF",
              "chronic kidney disease stage 3", "asthma", "migraine", "cellulitis of the leg"]
MEDS = ["metformin 500 mg BID", "lisinopril 10 mg daily", "atorvastatin 40 mg nightly",
        "albuterol inhaler PRN", "apixaban 5 mg BID", "sertraline 50 mg daily",
        "furosemide 40 mg daily", "insulin glargine 20 units qHS"]
PLANS = ["Blue Cross Blue Shield", "Aetna", "UnitedHealthcare", "Cigna", "Humana",
         "Kaiser Permanente", "Medicaid", "Medicare Advantage"]


def pick(r, *options):
    return r.choice(options)


def label(r, *labels):
    return r.choice(labels) + r.choice([": ", ": ", " ", " - ", "# ", ":\t"])


def clinical_note(r, g):
    name = g.name()
    s = [pick(r, "Summarize this note for the discharge summary:\n\n",
              "Please rewrite this H&P more concisely:\n", "Draft a patient letter from:\n",
              "", "Extract the medications from the following note.\n\n")]
    s += [label(r, "Patient", "Patient Name", "Name", "PATIENT", "Pt"), (name, "NAME"), "\n"]
    if r.random() < 0.8:
        s += [label(r, "DOB", "Date of Birth", "D.O.B.", "Birthdate", "DOB"), (g.date(), "DATE"),
              "\n"]
    if r.random() < 0.7:
        s += [label(r, "MRN", "Medical Record Number", "MR#", "Patient ID", "Medical record #"),
              (g.mrn(), "MRN"), "\n"]
    if r.random() < 0.3:
        s += [label(r, "SSN", "Social Security Number", "SS#"), (g.ssn(), "SSN"), "\n"]
    if r.random() < 0.4:
        s += [label(r, "Phone", "Tel", "Home phone", "Cell", "Contact number"),
              (g.phone(), "PHONE"), "\n"]
    if r.random() < 0.3:
        s += [label(r, "Address", "Home address", "Addr"), (g.address(), "ADDRESS"), "\n"]
    s += ["\n", pick(r, "Chief complaint: ", "CC: ", "Reason for visit: "),
          r.choice(["shortness of breath", "chest pain", "fever and cough", "fall at home",
                    "abdominal pain", "dizziness"]), "\n"]
    s += [pick(r, "HPI: ", "History: ", "Subjective: ")]
    surname = name.split(",")[0] if "," in name else name.split(" ")[-1]
    if r.random() < 0.5:
        s += [r.choice(["Mr. ", "Mrs. ", "Ms. "]), (surname, "NAME")]
    else:
        s += ["The patient"]
    age = r.choice([r.randint(91, 104), None, None])
    if age:
        s += [" is a ", (f"{age}", "AGE"), pick(r, "-year-old", " year old", " y/o"), " with "]
    else:
        s += [" has a history of "]
    s += [r.choice(CONDITIONS), " who was ", pick(r, "admitted on ", "seen in clinic on ",
                                                   "evaluated in the ED on "),
          (g.date(), "DATE"), ". ", pick(r, "Currently taking ", "Home meds: "),
          r.choice(MEDS), ", ", r.choice(MEDS), ".\n"]
    if r.random() < 0.4:
        s += [pick(r, "Follow-up with Dr. ", "PCP: Dr. ", "Referred by Dr. "),
              (g.last(), "NAME"), pick(r, " in 2 weeks.\n", ".\n")]
    if r.random() < 0.3:
        s += [pick(r, "Insurance: ", "Coverage: "), r.choice(PLANS), ", ",
              label(r, "Member ID", "Member #", "Subscriber ID", "Policy number"),
              (g.member(), "HEALTH_PLAN"), "\n"]
    if r.random() < 0.2:
        s += ["Email on file: ", (g.email(), "EMAIL"), "\n"]
    return s


def referral_letter(r, g):
    doc = g.last()
    name = g.name()
    s = [pick(r, "Polish this referral letter:\n\n", "Fix grammar:\n", ""),
         "Dear Dr. ", (doc, "NAME"), ",\n\n",
         pick(r, "I am referring ", "Thank you for seeing ", "Please evaluate "), (name, "NAME"),
         pick(r, " (DOB ", ", born ", ", date of birth "), (g.date(), "DATE"),
         pick(r, ") ", " ", ", "), "for ", r.choice(CONDITIONS), ". "]
    if r.random() < 0.6:
        s += [pick(r, "She lives at ", "He resides at ", "Home address: "),
              (g.address(), "ADDRESS"), ". "]
    if r.random() < 0.6:
        s += [pick(r, "Best contact is ", "Phone: ", "You can reach the family at "),
              (g.phone(), "PHONE"), pick(r, ". ", " or by email at ")]
        if s[-1] == " or by email at ":
            s += [(g.email(), "EMAIL"), ". "]
    if r.random() < 0.4:
        s += ["Our fax is ", (g.phone(), "FAX"), ". "]
    s += ["\n\nSincerely,\n", pick(r, "Dr. ", ""), (g.first() + " " + g.last(), "NAME"), ", MD\n"]
    if r.random() < 0.5:
        s += ["NPI: ", (g.npi(), "LICENSE"), "\n"]
    if r.random() < 0.3:
        s += ["DEA# ", (g.dea(), "LICENSE"), "\n"]
    return s


def hl7_message(r, g):
    last, first = g.last().upper(), g.first().upper()
    ymd = f"{r.randint(1930, 2020)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    city, st = r.choice([("SPRINGFIELD", "IL"), ("AUSTIN", "TX"), ("DENVER", "CO")])
    addr = f"{r.randint(1, 999)} {r.choice(['OAK', 'MAIN', 'ELM', 'PINE'])} ST^^{city}^{st}^{r.randint(10000, 99999)}"
    phone = f"({r.randint(201, 989)}){r.randint(201, 989)}-{g.digits(4)}"
    sep = r.choice(["\r", "\n", "\r\n"])
    mrn = g.digits(r.choice([7, 8]))
    s = [pick(r, "Parse this HL7 message and list the patient demographics:\n",
              "What does this ADT mean?\n", ""),
         # MSH-7 and EVN-2 time the patient's admission: dates of their care.
         "MSH|^~\\&|EPIC|GENHOSP|LAB|GENHOSP|", (f"20240105{g.digits(4)}", "DATE"),
         f"||ADT^A0{r.randint(1, 8)}|MSG{g.digits(6)}|P|2.5{sep}",
         "EVN|A01|", (f"20240105{g.digits(4)}", "DATE"), sep, "PID|1||", (mrn, "MRN"),
         "^^^GENHOSP^MR||",
         (f"{last}^{first}^{r.choice('ABCDE')}", "NAME"), "||", (ymd, "DATE"), "|",
         r.choice("MF"), "|||", (addr, "ADDRESS"), "||", (phone, "PHONE"), "|||||"]
    if r.random() < 0.6:
        s += [(g.digits(9), "ACCOUNT"), "|", (g.ssn().replace(" ", "-"), "SSN")]
    s += [sep, f"PV1|1|I|4W^401^A||||{g.digits(6)}^{g.last().upper()}^{g.first().upper()}|||MED{sep}"]
    if r.random() < 0.5:
        s += ["NK1|1|", (f"{g.last().upper()}^{g.first().upper()}", "NAME"), "|SPO||",
              (f"({r.randint(201, 989)}){r.randint(201, 989)}-{g.digits(4)}", "PHONE"), sep]
    return s


def fhir_patient(r, g):
    first, last = g.first(), g.last()
    y, m, d = r.randint(1930, 2020), r.randint(1, 12), r.randint(1, 28)
    s = [pick(r, "Convert this FHIR resource to a short summary:\n", "Validate this JSON:\n", ""),
         '{"resourceType": "Patient", "id": "', (g.digits(5), "ID"), '", "identifier": [{"system": "',
         pick(r, "http://hospital.example.org/mrn", "urn:oid:2.16.840.1.113883.19.5/mrn",
              "http://example.org/fhir/sid/medical-record"), '", "value": "', (g.mrn(), "MRN"),
         '"}'
         ]
    if r.random() < 0.5:
        s += [', {"system": "http://hl7.org/fhir/sid/us-ssn", "value": "',
              (g.ssn().replace("-", "").replace(" ", ""), "SSN"), '"}']
    s += ['], "name": [{"use": "official", "family": "', (last, "NAME"), '", "given": ["',
          (first, "NAME"), '"]}], "gender": "', r.choice(["male", "female"]),
          '", "birthDate": "', (f"{y}-{m:02d}-{d:02d}", "DATE"), '"']
    if r.random() < 0.6:
        s += [', "telecom": [{"system": "phone", "value": "', (g.phone(), "PHONE"),
              '"}, {"system": "email", "value": "', (g.email(), "EMAIL"), '"}]']
    if r.random() < 0.5:
        city, st = r.choice([("Boston", "MA"), ("Tampa", "FL"), ("Reno", "NV")])
        s += [', "address": [{"line": ["', (g.street(), "ADDRESS"), '"], "city": "',
              (city, "ADDRESS"), '", "state": "', st, '", "postalCode": "',
              (f"{r.randint(10000, 99999)}", "ADDRESS"), '"}]']
    s += ["}"]
    return s


def csv_extract(r, g):
    cols = r.sample(["name", "dob", "mrn", "phone", "email", "ssn", "diagnosis", "zip"],
                    k=r.randint(3, 6))
    if "name" not in cols and "ssn" not in cols and "mrn" not in cols:
        cols[0] = "name"
    header = [pick(r, c, c.upper(), c.title()) for c in cols]
    header = [{"Dob": "DOB", "Mrn": "MRN", "Ssn": "SSN"}.get(h, h) for h in header]
    sepc = r.choice([",", "\t", "|"])
    s = [pick(r, "Clean up this CSV export from the EHR:\n", "Which of these patients are overdue?\n",
              "Find duplicate patients:\n"), sepc.join(header), "\n"]
    for _ in range(r.randint(2, 5)):
        row = []
        for c in cols:
            if c == "name":
                row.append((g.first() + " " + g.last(), "NAME"))
            elif c == "dob":
                row.append((g.date().replace(",", ""), "DATE"))
            elif c == "mrn":
                row.append((g.digits(8), "MRN"))
            elif c == "phone":
                row.append((g.phone(), "PHONE"))
            elif c == "email":
                row.append((g.email(), "EMAIL"))
            elif c == "ssn":
                row.append((g.ssn(), "SSN"))
            elif c == "zip":
                row.append((f"{r.randint(10000, 99999)}", "ADDRESS"))
            else:
                row.append(r.choice(CONDITIONS).replace(",", ""))
        for i, cell in enumerate(row):
            if i:
                s.append(sepc)
            s.append(cell)
        s.append("\n")
    return s


def chat_question(r, g):
    rel = r.choice(["mother", "father", "husband", "wife", "son", "daughter"])
    name = g.first() + " " + g.last()
    s = [pick(r, f"My {rel} ", f"Hi, my {rel} "), (name, "NAME"),
         pick(r, " was born on ", ", born ", " (DOB "), (g.date(), "DATE"),
         pick(r, ", was just ", ") was ", " and was "), "diagnosed with ", r.choice(CONDITIONS),
         ". "]
    extra = r.random()
    if extra < 0.25:
        s += ["Her SSN is ", (g.ssn(), "SSN"), " if the form needs it. "]
    elif extra < 0.5:
        s += ["Our card is ", (g.card(), "ACCOUNT"), " for the copay. "]
    elif extra < 0.7:
        s += ["Her Medicare number is ", (g.mbi(), "HEALTH_PLAN"), ". "]
    elif extra < 0.85:
        s += ["We live at ", (g.address(), "ADDRESS"), ". "]
    else:
        s += ["Reach me at ", (g.email(), "EMAIL"), ". "]
    s += [pick(r, "What questions should we ask the doctor?",
               "Can you explain the treatment options?", "Help me write an appeal letter.")]
    return s


def misc_identifiers(r, g):
    name = g.first() + " " + g.last()
    choices = [
        lambda: [f"Incident report: patient ", (name, "NAME"), " fell from the vehicle VIN ",
                 (g.vin(), "VEHICLE"), "."],
        lambda: ["Implant record for ", (name, "NAME"), ": device UDI ", (g.udi(), "DEVICE"),
                 ", implanted ", (g.date(), "DATE"), "."],
        lambda: ["Audit: ", (name, "NAME"), " accessed the patient portal from IP ",
                 (g.ipv4(), "IP"), " at 10:42."],
        lambda: ["Patient ", (name, "NAME"), " shared the portal link ", (g.url(), "URL"),
                 " with the care team."],
        lambda: ["Biometric enrollment for ", (name, "NAME"), ": fingerprint ID ",
                 ("FP-" + g.digits(8), "BIOMETRIC"), "."],
        lambda: ["Claim number: ", ("CLM" + g.digits(9), "ID"), " for health plan member ",
                 (name, "NAME"),
                 ", account number ", (g.digits(10), "ACCOUNT"), "."],
        lambda: ["Dialysis patient parking permit: ", (name, "NAME"), ", license plate ",
                 (f"{r.randint(1, 9)}{g.r.choice('ABCDEFGH')}{g.r.choice('KLMNPR')}{g.r.choice('STUVWX')}{g.digits(3)}", "VEHICLE"),
                 ", phone ", (g.phone(), "PHONE"), "."],
        lambda: ["Centenarian ", (name, "NAME"), ", age ", (str(r.randint(100, 107)), "AGE"),
                 ", celebrated at the nursing facility."],
    ]
    return r.choice(choices)()


def tool_result(r, g):
    """A function-calling turn: the tool's JSON result pasted back as a string."""
    record = {"patient_id": None, "name": None, "dob": None, "phone": None, "status": "active"}
    s = ['Tool get_patient returned: {"patient_id": "', (g.mrn(), "MRN"), '", "name": "',
         (g.first() + " " + g.last(), "NAME"), '", "dob": "',
         (f"{r.randint(1930, 2015)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", "DATE"),
         '", "phone": "', (g.phone(), "PHONE"), '", "status": "active"}. ',
         r.choice(["Summarize for the nurse.", "Is the phone number valid?",
                   "Draft an appointment reminder."])]
    del record
    return s


def conversation(r, g):
    """A multi-turn exchange flattened into one prompt."""
    name = g.first() + " " + g.last()
    return [r.choice(["User: ", "Q: "]), "I need help with a form for ", (name, "NAME"), ". ",
            r.choice(["Assistant: ", "A: "]), "Sure, what details do you have?\n",
            r.choice(["User: ", "Q: "]), "Born ", (g.date(), "DATE"), ", phone ",
            (g.phone(), "PHONE"), ", and the insurance member ID is ",
            (g.member(), "HEALTH_PLAN"), "."]


def positive(r, g):
    return r.choices([clinical_note, referral_letter, hl7_message, fhir_patient, csv_extract,
                      chat_question, misc_identifiers, tool_result, conversation],
                     weights=[5, 3, 2, 2, 2, 3, 3, 1, 1])[0](r, g)


def personal_details(r, g):
    """A person's details with nothing about anyone's health: not PHI (a W-2, a car sale, an
    office parking permit, a booking)."""
    name = g.first() + " " + g.last()
    plate = f"{r.randint(1, 9)}{r.choice('ABCDEFGH')}{r.choice('KLMNPR')}{g.digits(3)}"
    return r.choice([
        lambda: [f"Parking permit for the office garage: {name}, license plate {plate}, "
                 f"phone {g.phone()}."],
        lambda: [f"Audit: {name} signed in to the VPN from IP {g.ipv4()} at 10:42."],
        lambda: [f"My W-2 shows the wrong SSN. Name {name}, SSN on file {g.ssn()}. Draft an "
                 "email to payroll asking for a corrected W-2c."],
        lambda: [f"Bill of sale: 2019 sedan, VIN {g.vin()}, sold by {name}, "
                 f"{g.address()}, for $14,500."],
        lambda: [f"Book a table for four on Saturday at 7:30 under {name}, phone {g.phone()}, "
                 f"email {g.email()}."],
    ])()


def negative(r, g):
    """A document without PHI, and the setting its request comes from ("health" or
    "general")."""
    if r.random() < 0.15:
        return personal_details(r, g), "general"
    hexs = lambda n: "".join(r.choice("0123456789abcdef") for _ in range(n))
    uuid = f"{hexs(8)}-{hexs(4)}-4{hexs(3)}-a{hexs(3)}-{hexs(12)}"
    ts = f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
    templates = [
        f"Why does request {uuid} fail with 502? Commit {hexs(40)} changed the retry logic.",
        f"{ts} ERROR worker-{r.randint(1, 9)} timeout after {r.randint(100, 9000)}ms "
        f"ts={r.randint(1600000000000, 1760000000000)} trace={hexs(16)}\n{ts} INFO retrying",
        f"Upgrade from {r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)} to "
        f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)}; we call gpt-4o-2024-08-06 "
        f"and claude-3-5-sonnet-20241022.",
        f"Order #{r.randint(100000, 999999)} for part PN-{r.randint(1000, 9999)}-{r.choice('ABC')} "
        f"costs ${r.randint(10, 999)}.{r.randint(10, 99)}; ISBN 978-0-{r.randint(100, 999)}-"
        f"{r.randint(10000, 99999)}-{r.randint(0, 9)}.",
        f"Which CPT code fits an established patient visit, 99213 or 99214? ICD-10 "
        f"{r.choice(['E11.9', 'I10', 'J44.1', 'N18.3', 'F32.9'])}.",
        r.choice(["What did Abraham Lincoln accomplish as president?",
                  "Summarize Marie Curie's contributions to radiology.",
                  "How did Florence Nightingale influence modern nursing?",
                  "Was Albert Einstein ever offered the presidency of Israel?",
                  "Explain what Alexander Fleming discovered in 1928."]),
        f"A {r.randint(20, 85)}-year-old {r.choice(['man', 'woman'])} presents with "
        f"{r.choice(['chest pain', 'fever', 'syncope', 'dyspnea'])}. What is the differential?",
        "Patient [REDACTED], DOB [REDACTED], MRN [REDACTED] was seen for follow-up of "
        f"{r.choice(CONDITIONS)}. Rewrite the plan in plain language.",
        f"What is the first-line treatment for {r.choice(CONDITIONS)}? Typical dose of "
        f"{r.choice(MEDS)}?",
        f"Compute the mean and SD of: {', '.join(str(r.randint(1, 500)) for _ in range(8))}.",
        json.dumps({"task": "classify", "labels": ["urgent", "routine"], "threshold": 0.7,
                    "batch_id": uuid, "created": ts}),
        f"SELECT id, created_at FROM events WHERE created_at > '{ts}' LIMIT {r.randint(10, 500)};",
        f"Schedule the deploy for {r.randint(2024, 2026)}-{r.randint(1, 12):02d}-"
        f"{r.randint(1, 28):02d} after the freeze; build {r.randint(1000, 9999)} passed.",
        f"Translate to Spanish: 'Take one tablet twice daily with food for {r.randint(5, 14)} days.'",
        f"Our clinic sees about {r.randint(100, 900)} patients a week. Draft a staffing plan for "
        f"{r.randint(3, 12)} nurses across {r.randint(2, 4)} shifts.",
        r.choice(["Who was Abraham Lincoln and what did he do for the Union?",
                  "Summarize the plot of Pride and Prejudice by Jane Austen.",
                  "What were Steve Jobs' main contributions at Apple?",
                  "Write a short biography of Marie Curie for a school report."]),
        f"Regex help: match phone numbers like (555) 555-5555 and SSNs like XXX-XX-XXXX "
        f"in a {r.choice(['Python', 'Go', 'Rust'])} service.",
        f"kubectl logs pod/api-{hexs(5)} --since=1h | grep 'status=5' ; node 10.0.{r.randint(0, 255)}."
        f"{r.randint(1, 254)} restarted {r.randint(2, 30)} times",
        f"Price list: SKU {r.randint(10000, 99999)}-{r.randint(10, 99)} ${r.randint(1, 99)}.99, "
        f"SKU {r.randint(10000, 99999)}-{r.randint(10, 99)} ${r.randint(100, 999)}.00; call "
        f"1-800-{r.randint(200, 999)}-{r.randint(1000, 9999)} for bulk orders.",
        f"NDC 0{r.randint(100, 999)}-{r.randint(1000, 9999)}-{r.randint(10, 99)} vs "
        f"LOINC {r.randint(1000, 99999)}-{r.randint(0, 9)}: which coding system fits a lab panel?",
    ]
    return [r.choice(templates)], "health"
