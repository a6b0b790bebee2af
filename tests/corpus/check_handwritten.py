#!/usr/bin/env python3
"""Scores sluicectl on handwritten.jsonl: requests written by hand, independently of
generate.py's templates (other phrasings, dental/pharmacy/therapy notes, tool-call JSON,
coding and general-knowledge questions), as a check that the scanner is not tuned to the
generator. It is not held out: the scanner was adjusted after its first runs (they found
97 of 111 values, 62/68 and 35/43 in its two halves, and flagged 8 of the first 40 requests
without PHI). The 24 rows with ids h-hp*/h-hn* were written after the last change and scored
once before any further tuning: 36 of 38 values, no false alarm on 12 requests without PHI,
every request with PHI flagged. New hand-written requests are the way to keep it honest.

The same check scores the later hand-written sets, each written by someone who had not read
the scanner:
- handwritten_blind.jsonl (70 requests, 198 values). First run: 146 values found, 2 of 30
  requests without PHI flagged, 1 of 40 with PHI missed. The scanner was then improved on
  it: 187 found, no false alarm, none missed.
- handwritten_heldout.jsonl (60 requests, 230 values), written while that was done and
  scored once after it: 189 found (the scanner before the changes: 174), 4 of 25 requests
  without PHI flagged (before: 5), none of 35 with PHI missed (before: 1). A second round
  of changes was then made on it too: 220 found, 1 false alarm (a historical patient in a
  lecture), none missed.
- handwritten_fresh.jsonl (50 requests, 147 values), written after both rounds and scored
  once: 121 found (the scanner before the session's changes: 109), 4 of 25 requests without
  PHI flagged (before: 4), none of 25 with PHI missed (before: 1). Two of its false alarms
  were then fixed (a backorder date, a figure of medical history): 121 found, 2 flagged.
- handwritten_unseen_a.jsonl and handwritten_unseen_b.jsonl (50 requests each, 203 and 182
  values), written in two new groups of genres (claims and EDI, C-CDA, dictation, OCR'd
  faxes, other languages; code, logs, HR and insurer chats, caregivers' texts), with hard
  negatives of hospital operations, staff email, research and fiction. Scored once by the
  scanner before any change made on them: 137 and 131 values found (0.675, 0.720), 11 and 11
  of 25 requests without PHI flagged, 2 and 1 of 25 with PHI missed. Mostly staff and
  authors' names, policy and study dates and staff mailboxes: findings that identify a
  person but no patient. The scanner then learnt to report those only beside another
  identifier, to read X12 claims, and more cues: 151 and 132 found, 3 and 3 flagged, 2 and
  1 missed.
- handwritten_unseen_d.jsonl (50 requests, 124 values: short family messages with one or two
  identifiers, tool calls, unusual date and phone formats), scored once by the scanner after
  that first change: 92 found (before it: 97), 7 of 25 flagged (before: 10), 3 of 25 with PHI
  missed (before: 0): a name and a date with no cue were each too weak alone. Then
  handwritten_unseen_c.jsonl (50 requests, 252 values: ED and nursing notes, intake forms,
  exports, job postings, CME listings, press releases, a hospital novel), scored once after
  family labels and phone numbers outside clinical text were added: 205 found (the scanner
  at the session's start: 204), 7 of 25 flagged (before: 13), none missed. After the changes
  they led to (sign-offs, fiction, device models): C 205 found, 2 flagged; D 96, 2, 1.
- handwritten_unseen_e.jsonl (60 requests, 200 values: an ordinary day's traffic of a
  hospital, 30 without PHI), written last and scored once: 179 found (the scanner at the
  session's start: 177), 6 of 30 flagged (before: 14), none missed. After a last round on
  all five sets: A 153, 2 flagged, 2 missed; B 136, 2, 1; C 212, 1, 0; D 101, 1, 1;
  E 179, 3, 0.
- handwritten_unseen_f/g/h.jsonl (50 requests each, 160, 243 and 176 values: revenue cycle
  and pharmacy; developers' data, logs and fixtures; patients, caregivers, HR and lawyers
  in their own words), written together and scored once by the scanner of the session's
  start: 103 (0.644), 209 (0.860) and 110 (0.625) found; 7, 10 and 7 of 25 requests
  without PHI flagged; 4, 0 and 6 of 25 with PHI missed. After the changes they led to
  (other countries' identifiers, phones and addresses; authorisation, reference and card
  numbers; role labels; organisations' details, placeholders and synthetic data counted
  only beside another identifier or not at all): F 128, 5 flagged, 0 missed; G 213, 1, 0;
  H 136, 5, 1.
- handwritten_unseen_i/j/k.jsonl (50, 50 and 60 requests; 186, 281 and 192 values:
  inpatient documents; care outside the US in five languages; one day of a health system's
  traffic with tempting hard negatives), scored once by the scanner after the F-H changes:
  152, 193 and 149 found (the session's start: 146, 142, 148); 2, 5 and 15 flagged (3, 4,
  14); 1, 0 and 1 missed (1, 4, 1).
- handwritten_unseen_l/m.jsonl (60 requests each, 283 and 241 values: an insurer's week;
  outpatient care in eleven countries), written last and scored once after the I-K changes:
  217 and 180 found (the session's start: 212, 145); 10 and 6 of 30 flagged (15, 7); 1 and 2
  of 30 missed (1, 3).
  After a round on all of them: F 129, 1 flagged, 0 missed; G 214, 1, 0; H 136, 2, 1;
  I 152, 0, 1; J 227, 0, 0; K 163, 3, 1; L 240, 5, 1; M 195, 3, 0.
- handwritten_unseen_n/o.jsonl (60 requests each, 222 and 263 values: a pharmacy chain with
  telehealth; a research office and a health department), written last and scored once
  after that round: 175 and 184 found (the session's start: 169, 181); 9 and 6 of 30
  flagged (12, 9); 0 and 2 of 30 missed (0, 2). After the store and staff-list rules they
  led to: N 175, 5 flagged, 0 missed; O 184, 5, 2. After one walk back over the words
  before an organisation's contact details: K 2 flagged, L 4, N 3, O 4.
- handwritten_unseen_p/q/r.jsonl (60 requests each, 172, 241 and 303 values: patient-facing
  AI and call transcripts; diagnostics and acute care; the back office and the long tail),
  written last and scored once before any change made on them: 108, 178 and 239 found; 3,
  3 and 4 of 30 flagged; 5, 1 and 0 of 30 missed. After spoken values, padded pipe
  tables, month/day dates in clinical text, DICOM dumps and veterinary records: P 135, 1
  flagged, 3 missed; Q 195, 1, 0; R 256, 4, 0.
- handwritten_unseen_s/t.jsonl (60 requests each, 275 and 269 values: a day at an academic
  medical center; community and safety-net care), written last and scored once by the
  scanner after the P-R changes: 229 and 214 found (the session's start: 220, 205); 4 and 8
  of 30 flagged (4, 8); 1 and 2 of 30 missed (1, 2). After the round on them (acute-care
  labels, aligned tables, roles, directories, speakers, timestamps): S 255, 0 flagged, 0
  missed; T 229, 3, 2; P 135, 0, 3; Q 218, 1, 0; R 268, 3, 0.
- handwritten_unseen_u/v.jsonl (60 requests each, 226 and 217 values: specialty and surgical
  care with its revenue cycle; ordinary people and small businesses), written last and
  scored once by the scanner after the S-T round, with no change made on them: 202 and 198
  found (the session's start: 196, 181); 1 and 7 of 30 flagged (1, 7); 1 and 1 of 30 missed
  (1, 1). CI holds them at those figures.
- handwritten_unseen_w/x.jsonl (60 requests each, 278 and 205 values: health-IT engineering;
  a hospital gateway's general traffic), written last and scored once by the final scanner
  before any change made on them: 208 and 162 found (the session's start: 201, 157); 4 and
  12 of 30 flagged (4, 12); 1 and 4 of 30 missed (1, 4). After DataFrame printouts were
  read: W 246, 4 flagged, 0 missed.
- handwritten_unseen_y/z.jsonl (60 requests each, 226 and 305 values: behavioural health,
  substance use, pharmacy, dental, vision, home health and hospice; an insurer's and a
  hospital office's traffic with employees' own requests), scored once by the scanner of the
  session's start: 186 and 272 found, 2 and 10 of 30 flagged, 3 and 1 missed. Then identifiers
  began to count only in a request about someone's health (docs/scanner.md, "Health
  context"): Z 272, 4 flagged, 1 missed; across every set 70 of 882 requests without PHI
  flagged became 47 (X 12 to 1). It costs this file 4 requests (h-p15, h-p16, h-p19, h-hp6:
  a person's details with no word of health, labelled when any identifier counted) and 12
  values: CI holds it at 0.89 and 4 missed.
- handwritten_unseen_aa/ab.jsonl (60 requests each, 233 and 181 values: a health-tech
  startup's and a clinic front desk's day, with staff's own errands; people outside health
  care writing about someone's health in four languages), written after that rule and
  scored once by it: AA 199 found, 3 of 30 flagged, 3 missed (the session's start: 199, 9,
  3); AB 118, 1, 5 (the start: 122, 9, 4). German words of care were then added, and plan group numbers
  read after a member's ID (+13 values across the sets): AB 124, 1, 4. A first
  name alone after a relative's word (`son Ambrose`) then counted beside another identifier:
  +15 values across the sets, no false alarm.
- handwritten_unseen_ac/ad.jsonl (60 requests each, 465 and 335 values: specialty
  documentation in five languages; a health system's gateway traffic of agents, faxes,
  transcripts, RAG and batch jobs, with purchase orders, badge logs, provider directories
  and fixtures), scored once by the scanner of the session's start: AC 416 found, 4 of 30
  flagged, none missed; AD 289, 11, none. After the changes they led to (cues as words,
  month/day ranges, OCR dates, accented names, case numbers, FHIR ids, tables in tool
  results, account names; purchase orders, directories, staff tables and fixtures): AC 448,
  2, 0; AD 309, 4, 0; and 74 more values across the 32 earlier sets, with their false
  alarms unchanged.
- handwritten_unseen_ae/af.jsonl (60 requests each, 281 and 428 values: patient-facing and
  consumer health traffic in five languages; health data engineering and the revenue
  cycle), scored once by the scanner of the session's start: AE 226 found, 2 of 30 flagged,
  1 missed; AF 377, 7, 1. After the changes they led to (surnames in capitals before a
  comma, titles in lower case, medicine stems as clinical cues, payers as health words,
  HL7 appointment times, test messages and acknowledgements): AE 237, 2, 0; AF 388, 4, 0;
  and 13 more values across the 34 earlier sets, one false alarm and one miss fewer.
- handwritten_unseen_ag/ah.jsonl (60 requests each, 398 and 318 values: ancillary care and
  suppliers; a health-tech company's AI traffic), scored once by the scanner after the
  ae/af changes: AG 322 found, 6 of 30 flagged, 3 missed; AH 266, 11, 1. After placeholders
  (MIMIC brackets, ZZ names, 000 phones, 1900-01-01), Synthea bundles, headers ending in
  "?", bare VINs, drivers' tables and a business's Spanish voice: AG 347, 3, 2; AH 266, 8,
  1; the other sets unchanged.
- handwritten_unseen_ai/aj/ak.jsonl (60 requests each, 242, 352 and 272 values: hospital
  operations; specialty and research care; OCR'd faxes, dictations and captured screens),
  scored once by the scanner of the session's start: AI 213 found, 3 of 30 flagged, 2
  missed; AJ 301, 8, 1; AK 186, 11, 2. After misread OCR digits, nicknames, employers,
  dictated numbers, ordinal days, relatives, staff roles and staff tables: AI 224, 1, 0;
  AJ 323, 4, 0; AK 213, 8, 2.
- handwritten_unseen_al/am.jsonl (60 requests each, 269 and 442 values: emergency and
  pre-hospital care; a hospital workforce's everyday traffic), scored once by the scanner
  after the ai-ak changes: AL 216, 2, 2; AM 418, 10, 2. After EMS words, staff roles and
  staff tables, incident numbers: AL 234, 2, 0; AM 418, 9, 2.
- handwritten_unseen_an/ao/ap.jsonl (60 requests each, 356, 529 and 295 values: long-term
  and home care; text as software writes it; pediatrics and schools), scored once by the
  scanner of the session's start: AN 285, 4, 3; AO 428, 3, 0; AP 260, 3, 3. Then
  handwritten_unseen_aq/ar.jsonl (297 and 249 values: a day of a health system's gateway
  traffic; the corporate side of health care), scored once by the scanner after the an-ap
  changes: AQ 259, 7, 1; AR 219, 4, 0. After XML elements, abbreviated and aligned
  columns, residents, yearless dates in other languages, service lines, places' tables and
  equipment serials: AN 328, 2, 1; AO 466, 2, 0; AP 262, 0, 3; AQ 264, 3, 0; AR 222, 4, 0.
- handwritten_unseen_as/at.jsonl (60 requests each, 286 and 396 values: drug safety and
  trial operations; dental, vision, hearing and rehabilitation with veterinary records as
  hard negatives), scored once by the scanner after the an-ar changes: AS 208, 4, 2; AT 346,
  7, 1. After animals' numbers, trial dates and numbers and dental records: AS 227, 3, 2;
  AT 353, 2, 0.
- handwritten_unseen_au/av/aw.jsonl (60 requests each, 288, 282 and 286 values: genomics
  and precision medicine; veterans', military, custody and occupational care; patients and
  families writing in eleven other languages and scripts), scored once by the scanner of
  the session's start: AU 231, 3, 0; AV 203, 6, 5; AW 119, 2, 12. After labels, names and
  dates in other scripts and the words and numbers of custody and service: AU 231, 3, 0;
  AV 225, 6, 3; AW 196, 2, 2. After probands, British streets, custody words, ages said
  of someone, French and Spanish labels and template placeholders: AU 241, 3, 0; AV 232,
  6, 2; AW 197, 2, 2.
- handwritten_unseen_ax/ay/az.jsonl (60 requests each, 329, 245 and 261 values:
  behavioural health and crisis care; patients' devices, apps and remote monitoring; money
  and law around care), scored once by the scanner after the au-aw changes (the session's
  first scanner scored them the same): AX 255, 4, 4; AY 192, 3, 3; AZ 236, 7, 1. After
  their changes: AX 268, 3, 2; AY 204, 3, 1; AZ 238, 4, 1.
- handwritten_unseen_ba/bb/bc.jsonl (60 requests each, 242, 313 and 263 values: vital
  records and death investigation; home- and community-based services and social care;
  care in English-speaking countries outside the US), scored once by the scanner of the
  session's start: BA 182, 8, 3; BB 262, 8, 1; BC 207, 4, 0. After relatives' lists,
  decedents, record-number columns, a table's last row, national phone numbers and lines
  of care words: BA 209, 6, 2; BB 285, 8, 1; BC 216, 3, 0.
- handwritten_unseen_bd/be/bf.jsonl (60 requests each, 290, 348 and 50 values: surgery and
  perioperative care; health information management and release of information; short
  casual requests typed in lower case), scored once by the scanner after the ba-bc changes
  (the session's first scanner scored them the same): BD 271, 4, 0; BE 310, 0, 0; BF 23,
  0, 13. After names typed in lower case, portal logins, staff roles and organisations'
  addresses: BD 271, 2, 0; BE 311, 0, 0; BF 26, 0, 11.
- handwritten_unseen_bg/bh/bi.jsonl (60 requests each, 264, 184 and 279 values: oncology
  infusion and specialty pharmacy; clinicians' secure chat and paging; e-mails and letters
  from patients and families), scored once by the scanner after the bd-bf changes (the
  session's first scanner: BG 228, the others the same): BG 229, 2, 0; BH 162, 2, 1; BI
  244, 10, 1. After nicknames, partners, nieces, "wife is" and practices' footers: BG 231,
  2, 0; BH 168, 2, 1; BI 244, 9, 1.
- handwritten_unseen_bj/bk/bl.jsonl (60 requests each, 254, 444 and 283 values: medical
  education; public health; radiology and pathology), scored once by the session's first
  scanner: BJ 221, 5, 0; BK 382, 3, 2; BL 247, 4, 1. After public health's words, towns
  alone, accession and specimen numbers: BJ 224, 5, 0; BK 400, 3, 0; BL 267, 3, 1.
- handwritten_unseen_bm/bn/bo.jsonl (60 requests each, 267, 249 and 309 values: pharmacy
  operations; malpractice and risk management; chaplaincy and bereavement), scored once by
  the scanner after the bj-bl changes (the session's first scanner: the same): BM 232, 2,
  0; BN 215, 5, 1; BO 240, 4, 1. After "#" columns, case law and public figures' families:
  BM 236, 2, 0; BN 215, 2, 1; BO 240, 2, 1.
- handwritten_unseen_bp/bq/br.jsonl (60 requests each, 320, 224 and 276 values: fertility
  and reproductive health; dermatology with patients' photos; clinical laboratory), scored
  once by the scanner after the bm-bo changes (the session's first scanner: BQ 187, BR
  185): BP 237, 1, 3; BQ 196, 9, 0; BR 199, 1, 5. After blank last cells, SSA first names
  and "pt" in lower case: BP 280, 1, 2; BQ 198, 7, 0; BR 239, 1, 2.
- handwritten_unseen_bs/bt/bu.jsonl (60 requests each, 294, 278 and 268 values: leave and
  disability administration; device makers' complaint handling; a Spanish-speaking
  community health center), scored once by the scanner after the bp-br changes (the
  session's first scanner: BT 238): BS 257, 5, 1; BT 239, 8, 1; BU 206, 5, 3. After
  Spanish labels and words of care: BS 257, 4, 1; BT 239, 8, 1; BU 223, 5, 0.
- handwritten_unseen_bv/bw/bx.jsonl (60 requests each, 249, 294 and 263 values: cardiology
  and cardiac rehab; insurers' care and utilization management; developers pasting real
  data), scored once by the scanner after the bs-bu changes, the session's last round and
  not tuned on (the session's first scanner: BV 227, BX 220): BV 228, 3, 1; BW 271, 3, 0;
  BX 221, 9, 2. After a sample card's JANE DOE and a VIN of one digit: BX 221, 7, 2.
- handwritten_unseen_by/bz/ca.jsonl (265, 277 and 288 values: urgent care and telehealth;
  dialysis; travel medicine), scored once by the session's first scanner: BY 226, 4, 1;
  BZ 244, 6, 3; CA 231, 7, 0. Then cb/cc/cd (sleep and neurology; diabetes and nutrition;
  research participants; 244, 219, 437 values), scored once after the by-ca changes: CB
  205, 2, 1; CC 194, 2, 0; CD 377, 1, 3. Then ce/cf/cg (student health; blood banks;
  forensic nursing and security; 272, 247, 241), after the cb-cd changes: CE 212, 3, 4; CF
  216, 2, 0; CG 220, 3, 1. Then ch/ci/cj (hospital at home; immigration and aviation
  exams; medical cannabis; 268, 278, 272), after the ce-cg changes: CH 223, 4, 1; CI 230, 1,
  1; CJ 210, 2, 2. Then ck/cl/cm (PDF extracts; continental Europe in eight languages;
  marketing and social media; 257, 281, 230), after the ch-cj changes: CK 222, 6, 0; CL
  148, 7, 7; CM 175, 11, 4. At the end: BY 231, 4, 0; BZ 253, 6, 1; CA 241, 4, 0; CB 210,
  2, 1; CC 194, 2, 0; CD 383, 1, 2; CE 236, 3, 1; CF 226, 2, 0; CG 223, 3, 0; CH 235, 4, 0;
  CI 236, 1, 0; CJ 214, 2, 2; CK 223, 6, 0; CL 199, 7, 0; CM 176, 11, 4.
- handwritten_unseen_cn/co/cp.jsonl (241, 396 and 235 values: a rural community
  hospital's week; refugee health; gender-affirming care), scored once after the ck-cm
  changes, the session's last round and not tuned on (the session's first scanner: CN 214,
  CO 295, CP 209): CN 215, 7, 1; CO 296, 5, 3; CP 212, 1, 2.
- handwritten_unseen_cq/cr/cs.jsonl (281, 187 and 374 values: release of information and
  legal work; collaboration tools; population health), scored once by the session's first
  scanner: CQ 252, 3, 0; CR 159, 9, 2; CS 323, 7, 2. Then ct/cu/cv (consumer apps;
  Asia-Pacific care; emergency services; 180, 255, 263), after the cq-cs changes: CT 126,
  4, 4; CU 147, 9, 5; CV 204, 4, 2. Then cw/cx/cy (maternal and child health; agents and
  retrieval; rural, tribal and veterans' care; 286, 320, 232), after the ct-cv changes: CW
  215, 3, 4; CX 278, 4, 1; CY 186, 2, 0. At the end: CQ 254, 2, 0; CR 172, 4, 1; CS 331, 5,
  2; CT 128, 3, 3; CU 168, 7, 3; CV 208, 3, 2; CW 216, 3, 4; CX 279, 4, 1; CY 191, 2, 0.
- handwritten_unseen_cz/da/db.jsonl (245, 261 and 274 values: genetics; public health;
  imaging), scored once by the session's first scanner: CZ 205, 0, 2; DA 204, 2, 4; DB 231,
  4, 1. Then dc/dd/de (the UK, Ireland and Canada; death care; families and caregivers;
  239, 311, 125), after the cz-db changes: DC 161, 5, 2; DD 258, 2, 2; DE 110, 4, 3. Then
  df/dg/dh (dentistry; patient access; voice transcripts; 181, 306, 175), after the dc-de
  changes: DF 159, 1, 1; DG 263, 11, 0; DH 94, 6, 3. At the end: CZ 215, 0, 1; DA 228, 2,
  0; DB 253, 3, 0; DC 173, 4, 1; DD 258, 2, 2; DE 115, 4, 1; DF 159, 1, 1; DG 263, 11, 0;
  DH 112, 6, 0. Then di/dj/dk (Medicaid and marketplace eligibility; crisis lines;
  pharmacovigilance; 309, 244, 206), the last round, scored once by the final scanner and
  not tuned on: DI 223, 1, 3; DJ 187, 1, 2; DK 155, 3, 1.
- handwritten_unseen_dl/dm/dn.jsonl (221, 232 and 264 values: occupational health; patient
  transport and home visits; care in French and Spanish), scored once by the session's
  first scanner: DL 144, 4, 4; DM 178, 5, 1; DN 166, 6, 1. Then do/dp/dq (correctional
  health; sports medicine; immigration medicals; 288, 199, 249), after the dl-dn changes:
  DO 214, 2, 2; DP 167, 5, 5; DQ 179, 0, 5. At the end: DL 148, 3, 3; DM 181, 5, 0; DN 181,
  4, 0; DO 217, 2, 1; DP 167, 4, 5; DQ 195, 0, 2. Then dr/ds/dt (transplant; developmental
  services for children; military health; 257, 240, 202), written at the session's start,
  the last round, scored once by the final scanner and not tuned on: DR 202, 1, 3; DS 198,
  5, 2; DT 174, 7, 1.
- handwritten_unseen_du.jsonl to handwritten_unseen_dz.jsonl (60 requests each: pain and
  addiction medicine; a hospital's support services; code-switched family messages; wound,
  ostomy and infusion care; structured shapes (spreadsheet APIs, YAML, fixed-width records);
  ENT, allergy and pulmonary care; 267, 202, 236, 199, 315, 199 values), two rounds, each
  scored once by the scanner its round started from (the session's first scored them the
  same): DU 240, 2 of 30 flagged, 1 of 30 missed; DV 174, 5, 1; DW 118, 6, 5; DX 175, 5, 1;
  DY 210, 4, 4; DZ 171, 4, 2. After the changes they led to: DU 249, 1, 0; DV 178, 1, 1;
  DW 135, 2, 2; DX 177, 4, 1; DY 251, 4, 2; DZ 171, 2, 2.
- handwritten_unseen_ea.jsonl, handwritten_unseen_eb.jsonl and handwritten_unseen_ec.jsonl
  (foster care; weight-loss telehealth; PHI disguised to slip past a filter; 303, 264, 194
  values), the last round, scored once by the final scanner and not tuned on: EA 235, 3, 3;
  EB 225, 1, 1; EC 88, 5, 9. After the folded view (disguised values): EC 123, 5, 5.
- handwritten_unseen_ed.jsonl to handwritten_unseen_ei.jsonl (60 requests each: PHI disguised
  or encoded; dentistry; obstetrics and the NICU; occupational health and workers' comp;
  clinical research; patient data mangled by the systems it passed through; 163, 212, 259,
  265, 225, 204 values). ed to ef were scored by the session's first scanner: ED 84, 2, 3;
  EE 180, 6, 0; EF 231, 3, 1; then tuned on: ED 134, 2, 1. eg to ei, the last round, were
  kept unread and scored once by the final scanner, not tuned on: EG 206, 5, 2; EH 156, 3, 2;
  EI 161, 4, 1 (the session's first scanner: EI 128, 5, 3; EG and EH the same).
- handwritten_unseen_ej.jsonl to handwritten_unseen_en.jsonl (60 requests each: correctional
  health care; eye and ear care; behavioural health and substance-use treatment; nursing
  homes and long-term care; developers' and data engineers' artefacts; 215, 199, 225, 260,
  251 values), scored first by the session's first scanner: EJ 160, 3, 5; EK 171, 2, 2;
  EL 184, 3, 2; EM 228, 4, 0; EN 185, 5, 5. ej to el were tuned on: EJ 205, 3, 0; EK 183,
  2, 0; EL 193, 2, 0.
- handwritten_unseen_eo.jsonl and handwritten_unseen_ep.jsonl (data engineers' and software
  engineers' artefacts: console query results, DataFrames, logs, traces, messages,
  fixtures; 427 and 209 values), first scored EO 287, 5, 4; EP 174, 5, 2; tuned on: EO 357,
  5, 1; EP 180, 5, 1. em and en, kept unread, scored by the final scanner: EM 230, 4, 0;
  EN 199, 5, 4.
- handwritten_unseen_eq.jsonl to handwritten_unseen_ew.jsonl (60 requests each: clinical
  research; rehabilitation; remote and travel medicine; community health; genetics; dialysis
  and transplant; end of life; 236, 188, 229, 306, 230, 234, 276 values), first scored EQ
  164, 6, 3; ER 171, 2, 1; ES 149, 4, 2; ET 227, 4, 2; EU 192, 2, 1; EV 200, 3, 0; EW 226,
  8, 1. et and ew were held out; the others were tuned on: EQ 180, 6, 1; ES 173, 3, 1;
  EU 193, 2, 1; EV 202, 3, 0. ET and EW scored the same with the round's first and last
  scanners.
- handwritten_unseen_ex.jsonl to handwritten_unseen_fa.jsonl (60 requests each: paediatrics
  and school health; eye, skin and dental care with imaging; a week of a health system's
  traffic in the UK, Ireland, Canada, Australia and the US; data engineers' artefacts; 271,
  261, 326, 329 values), first scored EX 242, 3, 1; EY 217, 3, 2; EZ 273, 3, 0; FA 278, 1,
  0. ex, ey and fa were tuned on (UK and Canadian postcodes alone, exiftool's dates and GPS
  angles, mailboxes at internet providers, India's ABHA addresses, Japanese check-up
  records, HL7 on a diff's lines, French form labels): EX 250, 3, 0; EY 230, 3, 1; FA 288,
  1, 0. ez was held out: EZ 278, 3, 0, all
  five more values postcodes.
- handwritten_unseen_fb.jsonl to handwritten_unseen_fe.jsonl (60 requests each: EHR
  database and analytics work; medical interpreting in ten languages; patient billing and
  collections; one day of a large hospital's gateway; 313, 266, 276, 214 values), first
  scored FB 248, 2, 2; FC 211, 4, 0; FD 228, 4, 1; FE 193, 5, 0. fb, fc and fd were tuned on
  (column names in five more languages, other countries' postal codes and name particles in
  a table, a rota's days, quoted key=value pairs and dict reprs, ages at an event, VINs
  without North America's check digit, Russian and Ukrainian patronymics and Russian month
  names, names again in their own script in brackets, Korean and Chinese patient labels,
  German streets and mobiles, a date of service as a table's word of health): FB 265, 2, 1;
  FC 219, 4, 0; FD 256, 4, 0. fe was held out:
  FE 194, 5, 0 (a VIN after its label).
New hand-written sets are the way to measure again.
For them CI asserts the figures reached, as floors against regressions.

  check_handwritten.py SLUICECTL [--file NAME] [--check] [--min-recall R]
                       [--max-missed-requests N] [--max-false-alarms N]

Each line is {"id", "payload", "values": [str]}: the PHI values as they appear in the
request text (empty for a request without PHI). A value counts as found when a finding
covers it or lies inside it. Goals asserted with --check: value recall >= --min-recall
(0.95), at most --max-false-alarms (0) requests without PHI flagged, at most
--max-missed-requests (0) requests with PHI not flagged.
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sluicectl")
    parser.add_argument("--file", default="handwritten.jsonl")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--min-recall", type=float, default=0.95)
    parser.add_argument("--max-missed-requests", type=int, default=0)
    parser.add_argument("--max-false-alarms", type=int, default=0)
    args = parser.parse_args()
    ctl = args.sluicectl
    here = os.path.dirname(os.path.abspath(__file__))
    rows = [json.loads(l) for l in open(os.path.join(here, args.file), encoding="utf-8")]
    request = "".join(json.dumps({"id": r["id"], "payload": r["payload"]}) + "\n" for r in rows)
    run = subprocess.run([ctl, "scan", "--jsonl", "-"], input=request.encode(),
                         capture_output=True, check=False)
    results = [json.loads(l) for l in run.stdout.decode().splitlines()]
    if len(results) != len(rows):
        sys.exit(f"sluicectl gave {len(results)} lines for {len(rows)}")
    values = found = 0
    false_alarms, missed_requests, misses = [], [], []
    for row, res in zip(rows, results):
        payload = row["payload"].encode()
        spans = [payload[f["start"]:f["end"]].decode(errors="replace") for f in res["findings"]]
        if not row["values"]:
            if res["verdict"] == "phi":
                false_alarms.append((row["id"], spans))
            continue
        if res["verdict"] != "phi":
            missed_requests.append(row["id"])
        for value in row["values"]:
            values += 1
            # As the payload may spell it: "María" raw or "Mar\u00eda" escaped.
            forms = {json.dumps(value, ensure_ascii=a)[1:-1] for a in (False, True)}
            if any(f in s or (s and s in f) for s in spans for f in forms):
                found += 1
            else:
                misses.append((row["id"], value))
    recall = found / values if values else 1.0
    print(f"{args.file}: {len(rows)} requests, value recall {recall:.3f} ({found}/{values}), "
          f"false alarms {len(false_alarms)}, requests with PHI missed {len(missed_requests)}")
    for m in misses:
        print("  missed", m)
    for fa in false_alarms:
        print("  false alarm", fa)
    for mr in missed_requests:
        print("  request with PHI not flagged", mr)
    if args.check and (recall < args.min_recall or len(false_alarms) > args.max_false_alarms or
                       len(missed_requests) > args.max_missed_requests):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
