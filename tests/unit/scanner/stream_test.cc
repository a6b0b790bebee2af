// The stream API must find what the one-shot API finds, wherever the writes are cut.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>

#include "scanner_fixture.h"

namespace sluice::scanner {
namespace {

// Findings of `body` written in pieces ending at `cuts`. Detectors are tested in any
// context, as testing::found() does; the corpus test below streams with the default reach.
std::vector<Finding> streamed(std::string_view body, const std::vector<size_t>& cuts,
                              Reach reach = Reach::kAll) {
  auto stream = testing::sharedScanner().openStream(reach);
  EXPECT_TRUE(stream.ok());
  size_t pos = 0;
  for (size_t cut : cuts) {
    EXPECT_TRUE((*stream)->write(body.substr(pos, cut - pos)).ok());
    pos = cut;
  }
  EXPECT_TRUE((*stream)->write(body.substr(pos)).ok());
  auto findings = (*stream)->finish();
  EXPECT_TRUE(findings.ok());
  return findings.ok() ? *findings : std::vector<Finding>{};
}

TEST(Stream, ValueSplitAcrossTwoWritesIsFoundOnce) {
  std::string body =
      R"({"content":"Patient Maria Gonzalez SSN 536-22-1234, phone (217) 555-0143"})";
  auto one_shot = testing::sharedScanner().scan(body, Reach::kAll);
  ASSERT_TRUE(one_shot.ok());
  ASSERT_GE(one_shot->size(), 3u);
  for (size_t cut = 1; cut < body.size(); ++cut) {
    auto f = streamed(body, {cut});
    EXPECT_EQ(f, *one_shot) << "cut at " << cut << ": "
                            << testing::dump(testing::describe(body, f));
  }
}

// Every hand-written request, streamed in 7- and 97-byte writes, gives what one-shot gives:
// the same spans, and the same type where two detectors tie on a span and score.
TEST(Stream, HandWrittenRequestsGiveTheOneShotFindings) {
  // Known limit (docs/scanner.md): the stream judges a hit once 512 bytes after it have
  // arrived, and in these requests the first clinical cue comes later than that after a
  // name or a date, which one-shot then scores as in a clinical document. Their findings
  // still have the same spans and types; only those scores differ.
  // (u-ev53: a kidney swap's donors and recipients, whose first clinical cue, "dialysis", is
  // in the last message, 600 bytes on.)
  const std::set<std::string> kLateClinicalCue = {"u-j23", "u-am48", "u-ax33", "u-by46",
                                                  "u-cf5", "u-ch57", "u-cl17", "u-ev53"};
  auto spans = [](const std::vector<Finding>& findings) {
    std::vector<std::tuple<uint64_t, uint64_t, PhiType>> out;
    for (const Finding& f : findings) out.emplace_back(f.start, f.end, f.type);
    return out;
  };
  size_t requests = 0;
  // Every hand-written set in the corpus directory; the count of requests below is the
  // floor that a set gone missing would break.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(SLUICE_CORPUS_DIR)) {
    std::string file = entry.path().filename().string();
    if (file.starts_with("handwritten") && file.ends_with(".jsonl")) names.push_back(file);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::ifstream in(std::string(SLUICE_CORPUS_DIR) + "/" + name);
    ASSERT_TRUE(in) << name;
    for (std::string line; std::getline(in, line);) {
      auto row = nlohmann::json::parse(line);
      std::string id = row["id"].get<std::string>();
      // The same limit drops findings below the reporting score: a date of a policy document
      // and a member number before the first clinical cue; a school nurse's first date and
      // board minutes' and a monitoring schedule's first names and dates; and an animal's
      // record signed by its vet (DVM) only at the end. And three whose first care word
      // comes late: an HR e-mail's header dates (u-bi26, "copay for primary care" 600 bytes
      // on), an mpox interview's contact details (u-bk33) and a disclosure meeting's date
      // (u-bn11), a pilot's e-mail's dates (u-ci25), a Swedish summary's first date
      // (u-cl41), a navigator's call log's first date (u-di53), a lost-and-found log's first
      // date (u-dv25), a member's chat date (u-eb43), a fitness-for-duty policy's law
      // firm and dates (u-eg28) and a MAR's dates before "subtherapeutic" in the last
      // message (u-ej13), judged before the document is known
      // to be clinical; and an allergy note whose patient works at an animal hospital, named
      // at its end: the one-shot scan takes the whole request for an animal's record, the
      // stream has reported the patient's details before it reaches that (u-dz25). And a
      // delivery check's "today" date, whose only health word ("dental laboratory") is in the
      // system instruction 550 bytes on (u-ey31).
      if (id == "u-a29" || id == "u-w36" || id == "u-ap7" || id == "u-ar58" || id == "u-as60" ||
          id == "u-ac20" || id == "u-bi26" || id == "u-bk33" || id == "u-bn11" || id == "u-ci25" ||
          id == "u-cl41" || id == "u-di53" || id == "u-dv25" || id == "u-eb43" || id == "u-dz25" ||
          id == "u-eg28" || id == "u-ej13" || id == "u-ey31") {
        continue;
      }
      std::string body = row["payload"].get<std::string>();
      auto one_shot = testing::sharedScanner().scan(body);
      ASSERT_TRUE(one_shot.ok());
      for (size_t size : {7u, 97u}) {
        std::vector<size_t> cuts;
        for (size_t at = size; at < body.size(); at += size) cuts.push_back(at);
        auto stream = streamed(body, cuts, Reach::kHealthContext);
        if (kLateClinicalCue.count(id) != 0) {
          EXPECT_EQ(spans(stream), spans(*one_shot))
              << name << " " << id << ", " << size << "-byte writes";
        } else {
          EXPECT_EQ(stream, *one_shot) << name << " " << id << ", " << size << "-byte writes";
        }
      }
      ++requests;
    }
  }
  EXPECT_GE(requests, 9597u);
}

TEST(Stream, GeneralCueIsJudgedAsAWordWhereverTheWritesAreCut) {
  // "factor" holds the cue "actor" and must not hide the name; "actors" is the cue itself.
  std::string hidden =
      R"({"content":"Draft a reply to Maria Lopez (SSN 536-22-1234) about the factor."})";
  std::string general = R"({"content":"List films with the actors Tom Hanks and Meryl Streep."})";
  for (size_t cut = 1; cut < general.size(); ++cut) {
    if (cut < hidden.size()) {
      auto f = testing::describe(hidden, streamed(hidden, {cut}));
      EXPECT_TRUE(testing::has(f, "NAME", "Maria Lopez")) << "cut at " << cut;
    }
    EXPECT_TRUE(streamed(general, {cut}).empty()) << "cut at " << cut;
  }
}

TEST(Stream, AccentedNamesAreFoundWhereverTheWritesAreCut) {
  // Cuts inside the two- and three-byte letters too; the JSON escape form is decoded first.
  for (std::string body :
       {std::string("{\"content\":\"Patient Mar\xc3\xad"
                    "a Hern\xc3\xa1ndez, Tr\xe1\xba\xa7n "
                    "V\xc4\x83n L\xe1\xbb\x99"
                    "c and \xc3\x89tienne Fontaine, SSN 536-22-1234\"}"),
        std::string(R"({"content":"Patient Mar\u00eda Hern\u00e1ndez, SSN 536-22-1234"})")}) {
    auto one_shot = testing::sharedScanner().scan(body, Reach::kAll);
    ASSERT_TRUE(one_shot.ok());
    EXPECT_TRUE(testing::has(testing::describe(body, *one_shot), "NAME",
                             body.find("\\u00ed") != std::string::npos
                                 ? "Mar\\u00eda Hern\\u00e1ndez"
                                 : "Mar\xc3\xad"
                                   "a Hern\xc3\xa1ndez"))
        << testing::dump(testing::describe(body, *one_shot));
    for (size_t cut = 1; cut < body.size(); ++cut) {
      EXPECT_EQ(streamed(body, {cut}), *one_shot) << "cut at " << cut;
    }
  }
}

// The labels written in other scripts are scanned only over writes that hold (or closely
// follow) a letter of another script: a label cut anywhere, and a label whose accented letter
// is in one write and its rest in a later write of ASCII only, are still found.
TEST(Stream, LabelsInOtherScriptsAreFoundWhereverTheWritesAreCut) {
  for (std::string body : {
           std::string("{\"content\":\"\xe5\xa7\x93\xe5\x90\x8d\xef\xbc\x9a\xe7\x8e\x8b"
                       "\xe7\xa7\x80\xe8\x8b\xb1 \xe4\xbd\x8f\xe9\x99\xa2\xe5\x8f\xb7"
                       "\xef\xbc\x9a"
                       "2023087415\"}"),  // 姓名：王秀英 住院号：2023087415
           std::string("{\"content\":\"Pharmacie | N\xc3\xa9(e) le 08/01/1957 | "
                       "N\xc2\xb0 dossier 0047-18825 | appelle-moi\"}"),  // Né(e) le, N° dossier
       }) {
    auto one_shot = testing::sharedScanner().scan(body, Reach::kAll);
    ASSERT_TRUE(one_shot.ok());
    EXPECT_GE(one_shot->size(), 2u) << testing::dump(testing::describe(body, *one_shot));
    for (size_t cut = 1; cut < body.size(); ++cut) {
      EXPECT_EQ(streamed(body, {cut}, Reach::kAll), *one_shot) << "cut at " << cut;
    }
    // Every byte a write of its own.
    std::vector<size_t> cuts;
    for (size_t at = 1; at < body.size(); ++at) cuts.push_back(at);
    EXPECT_EQ(streamed(body, cuts, Reach::kAll), *one_shot) << "1-byte writes";
  }
}

TEST(Stream, MisreadDigitsAreRestoredWhereverTheWritesAreCut) {
  // A number that OCR misread is rewritten whole even when a write ends inside it, and a run
  // longer than kMisreadRunLimit is left as written on both paths.
  std::string body =
      R"({"content":"Faxed referral. Patient Narne: Denise Whitaker  D0B: O4/l7/1961\nPh: )"
      R"((555) 3O2-8817  SSN 4O1-66-2B93 ---------------------------------------------------)"
      R"(-------------------1O/2O/2O24 end"})";
  auto one_shot = testing::sharedScanner().scan(body);
  ASSERT_TRUE(one_shot.ok());
  auto found = testing::describe(body, *one_shot);
  EXPECT_TRUE(testing::has(found, "DATE", "O4/l7/1961")) << testing::dump(found);
  EXPECT_TRUE(testing::has(found, "SSN", "4O1-66-2B93")) << testing::dump(found);
  EXPECT_FALSE(testing::has(found, "DATE", "1O/2O/2O24")) << testing::dump(found);
  for (size_t cut = 1; cut < body.size(); ++cut) {
    EXPECT_EQ(streamed(body, {cut}), *one_shot) << "cut at " << cut;
  }
  std::vector<size_t> every;
  for (size_t at = 1; at < body.size(); ++at) every.push_back(at);
  EXPECT_EQ(streamed(body, every), *one_shot) << "a byte at a time";
}

TEST(Stream, XmlElementsAreJudgedAlikeWhereverTheWritesAreCut) {
  // An XML element is a patient's by the party element before it, looked for no further back
  // than the stream keeps: near it and up to 2,000 bytes away, both APIs judge alike.
  for (int filler : {100, 600, 1000}) {
    std::string body = R"({"content":"Pharmacy queue, NewRx for review: <NewRx><Patient>)"
                       R"(<Name><LastName>Haverford</LastName></Name><Note>)";
    for (int i = 0; i < filler; ++i) body += "y ";
    body += R"(</Note><Name><FirstName>Caleb</FirstName></Name></Patient></NewRx>"})";
    auto one_shot = testing::sharedScanner().scan(body);
    ASSERT_TRUE(one_shot.ok());
    auto found = testing::describe(body, *one_shot);
    EXPECT_TRUE(testing::has(found, "NAME", "Haverford")) << testing::dump(found);
    for (size_t size : {7u, 97u, 1460u}) {
      std::vector<size_t> cuts;
      for (size_t at = size; at < body.size(); at += size) cuts.push_back(at);
      EXPECT_EQ(streamed(body, cuts, Reach::kHealthContext), *one_shot)
          << filler << " filler words, " << size << "-byte writes";
    }
  }
}

// A table longer than a write and than the 4 KB an HL7 segment is read over: its last rows
// are read in the stream as in one-shot.
TEST(Stream, LongTableIsReadToItsEndWhereverTheWritesAreCut) {
  std::string body = "{\"content\": \"CGM export\\nDevice,Serial Number,Patient,DOB,Glucose\\n";
  const char* kNames[] = {"Okafor, Adaeze", "Lindqvist, Saoirse", "Pham, Calvin",
                          "Abiodun, Folasade"};
  for (int row = 0; row < 120; ++row) {
    body += "FreeStyle LibreLink,3f8c1a02-77d4-4b1e-9c55-0e2a91d4b6aa,\\\"" +
            std::string(kNames[row % 4]) + "\\\",0" + std::to_string(1 + row % 9) + "/1" +
            std::to_string(row % 10) + "/1961," + std::to_string(100 + row) + "\\n";
  }
  body += "\"}";
  ASSERT_GT(body.size(), 8000u);
  auto one_shot = testing::sharedScanner().scan(body, Reach::kAll);
  ASSERT_TRUE(one_shot.ok());
  ASSERT_FALSE(one_shot->empty());
  // The last row's birth date is among the findings.
  EXPECT_GT(one_shot->back().start, body.size() - 120)
      << testing::dump(testing::describe(body, *one_shot));
  for (size_t size : {7u, 1460u}) {
    std::vector<size_t> cuts;
    for (size_t at = size; at < body.size(); at += size) cuts.push_back(at);
    EXPECT_EQ(streamed(body, cuts), *one_shot) << size << "-byte writes";
  }
}

TEST(Stream, ImagePayloadLongerThanAWriteIsCoveredWhole) {
  // The payload runs past the bytes of the write that holds its marker: its span grows with
  // the writes that follow, so it ends where one-shot ends it, and what looks like a value
  // inside the base64 is swallowed as in one-shot.
  std::string payload;
  for (int i = 0; i < 300; ++i) payload += "iVBORw0KGgo+/Maria/Lopez+5362212340AAAA";
  std::string data_url =
      R"({"content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,)" + payload +
      R"("}},{"type":"text","text":"SSN 536-22-1234"}]})";
  std::string block = R"({"content":[{"type":"image","source":{"type":"base64","data":")" +
                      payload + R"("}},{"type":"text","text":"call (217) 555-0143"}]})";
  for (const std::string* body : {&data_url, &block}) {
    auto one_shot = testing::sharedScanner().scan(*body, Reach::kAll);
    ASSERT_TRUE(one_shot.ok());
    ASSERT_EQ(testing::describe(*body, *one_shot).front().first, "IMAGE");
    for (size_t size : {7u, 97u, 1460u, 4096u}) {
      std::vector<size_t> cuts;
      for (size_t at = size; at < body->size(); at += size) cuts.push_back(at);
      auto f = streamed(*body, cuts);
      EXPECT_EQ(f, *one_shot) << size
                              << "-byte writes: " << testing::dump(testing::describe(*body, f));
    }
  }
}

TEST(Stream, ByteAtATimeWithEscapes) {
  std::string body = R"({"content":"DOB:\u0020 03\/14\/1962\nMRN: 00482913"})";
  std::vector<size_t> cuts;
  for (size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
  auto f = streamed(body, cuts);
  auto d = testing::describe(body, f);
  EXPECT_TRUE(testing::has(d, "DATE", R"(03\/14\/1962)")) << testing::dump(d);
  EXPECT_TRUE(testing::has(d, "MRN", "00482913")) << testing::dump(d);
}

// The second decoding (JSON sent as a JSON string) starts only once the first one leaves a
// backslash; the bytes before must still count for the offsets behind it.
TEST(Stream, SecondDecodingStartsMidStreamWithOffsetsIntact) {
  std::string body = R"({"content":"plain words first, DOB 03/14/1962","tool":"{\"note\":)"
                     R"(\"MRN:\\u0020 00482913\\nSSN 536-22-1234\"}"})";
  auto one_shot = testing::sharedScanner().scan(body, Reach::kAll);
  ASSERT_TRUE(one_shot.ok());
  auto d = testing::describe(body, *one_shot);
  ASSERT_TRUE(testing::has(d, "MRN", "00482913")) << testing::dump(d);
  ASSERT_TRUE(testing::has(d, "SSN", "536-22-1234")) << testing::dump(d);
  for (size_t cut = 1; cut < body.size(); ++cut) {
    auto f = streamed(body, {cut});
    EXPECT_EQ(f, *one_shot) << "cut at " << cut << ": "
                            << testing::dump(testing::describe(body, f));
  }
}

TEST(Stream, LongStreamKeepsOffsetsAndBoundedHistory) {
  std::string filler(100000, 'x');
  for (size_t i = 80; i < filler.size(); i += 81) filler[i] = ' ';
  std::string body = filler + " SSN 536-22-1234 " + filler + " email a.b@example.org";
  auto f = streamed(body, {4096, 50000, 100010, 150000});
  auto d = testing::describe(body, f);
  EXPECT_TRUE(testing::has(d, "SSN", "536-22-1234")) << testing::dump(d);
  EXPECT_TRUE(testing::has(d, "EMAIL", "a.b@example.org")) << testing::dump(d);
}

TEST(Stream, WriteAfterFinishFails) {
  auto stream = testing::sharedScanner().openStream();
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->finish().ok());
  EXPECT_FALSE((*stream)->write("x").ok());
  EXPECT_FALSE((*stream)->finish().ok());
}

TEST(Scanner, SharedAcrossThreadsWithPerThreadScratch) {
  std::string body = "Patient Maria Gonzalez, SSN 536-22-1234, DOB 03/14/1962";
  auto expected = testing::sharedScanner().scan(body);
  ASSERT_TRUE(expected.ok());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto got = testing::sharedScanner().scan(body);
        if (!got.ok() || *got != *expected) ++mismatches[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace sluice::scanner

namespace sluice::scanner {
namespace {

// Inputs that once made a detector quadratic must stay linear: a body of repeated CSV
// header lines used to re-read every following row for every header (28 s per MB).
TEST(Scanner, RepeatedTableHeadersStayLinear) {
  std::string body;
  while (body.size() < 500000) body += "name,dob,mrn\n";
  auto [findings, seconds] = testing::timedScan(body);
  ASSERT_TRUE(findings.ok());
  EXPECT_TRUE(findings->empty());
  EXPECT_LT(seconds, 5.0);
}

// Likewise "PID|" repeated on one line (each used to be parsed as a segment of ~50 fields)
// and many image markers before one large payload.
TEST(Scanner, RepeatedSegmentAndImageMarkersStayLinear) {
  std::string pids;
  while (pids.size() < 500000) pids += "PID|";
  std::string images;
  while (images.size() < 300000) images += R"("image":{)";
  images += R"("data":")" + std::string(200000, 'A') + "\"";
  for (const std::string* body : {&pids, &images}) {
    auto [findings, seconds] = testing::timedScan(*body);
    ASSERT_TRUE(findings.ok());
    EXPECT_LT(seconds, 5.0);
  }
}

}  // namespace
}  // namespace sluice::scanner
