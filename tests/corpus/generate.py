#!/usr/bin/env python3
"""Generates a labelled corpus of AI-API request bodies for the scanner evaluation.

Each output line is {"id", "payload", "entities": [{"type", "start", "end"}]} with byte
offsets into the UTF-8 payload. Payloads are realistic OpenAI (chat and responses),
Anthropic, Bedrock and Gemini bodies, plus raw text, carrying clinical notes, pasted HL7 and
FHIR, CSV extracts, chat questions and hard negatives (requests with no PHI at all).

  generate.py --seed 7 --count 800 > corpus.jsonl

The evaluation in CI uses a held-out seed that is never used while tuning the scanner.
"""
import argparse
import json
import random

from entities import Gen
import documents


def escape(text):
    return json.dumps(text, ensure_ascii=False)[1:-1]


def render(segments, json_string):
    """Joins segments; returns (text, entities) with byte offsets. With json_string the text
    is JSON-escaped piecewise, so offsets point into the escaped bytes."""
    out = bytearray()
    entities = []
    for seg in segments:
        if isinstance(seg, tuple):
            value, kind = seg
            piece = (escape(value) if json_string else value).encode()
            entities.append({"type": kind, "start": len(out), "end": len(out) + len(piece)})
        else:
            piece = (escape(seg) if json_string else seg).encode()
        out += piece
    return bytes(out), entities


def wrap(rng, segments):
    """Puts the document into one of the vendors' request shapes."""
    vendor = rng.choice(["openai", "openai_responses", "anthropic", "bedrock", "gemini",
                         "raw"])
    if vendor == "raw":
        return render(segments, False)
    text, entities = render(segments, True)
    system = escape(rng.choice([
        "You are a helpful clinical documentation assistant.",
        "You summarize records for care coordinators. Be concise.",
        "You are an assistant.", "Answer in JSON."]))
    model = rng.choice(["gpt-4o-2024-08-06", "gpt-4.1-mini", "o3-mini"])
    if vendor == "openai":
        prefix = ('{"model":"%s","temperature":%.1f,"messages":[{"role":"system","content":"%s"},'
                  '{"role":"user","content":"' % (model, rng.random(), system))
        suffix = '"}],"max_tokens":%d}' % rng.choice([256, 512, 1024])
    elif vendor == "openai_responses":
        prefix = '{"model":"%s","input":[{"role":"user","content":[{"type":"input_text","text":"' % model
        suffix = '"}]}],"store":false}'
    elif vendor == "anthropic":
        prefix = ('{"model":"claude-3-5-sonnet-20241022","max_tokens":1024,"system":"%s",'
                  '"messages":[{"role":"user","content":[{"type":"text","text":"' % system)
        suffix = '"}]}]}'
    elif vendor == "bedrock":
        prefix = ('{"anthropic_version":"bedrock-2023-05-31","max_tokens":800,'
                  '"messages":[{"role":"user","content":[{"type":"text","text":"')
        suffix = '"}]}],"temperature":0.3}'
    else:
        prefix = '{"contents":[{"role":"user","parts":[{"text":"'
        suffix = '"}]}],"generationConfig":{"temperature":0.4,"maxOutputTokens":1024}}'
    head = prefix.encode()
    for e in entities:
        e["start"] += len(head)
        e["end"] += len(head)
    return head + text + suffix.encode(), entities


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--negative-share", type=float, default=0.4)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    gen = Gen(rng)
    for i in range(args.count):
        if rng.random() < args.negative_share:
            segments = documents.negative(rng, gen)
        else:
            segments = documents.positive(rng, gen)
        payload, entities = wrap(rng, segments)
        print(json.dumps({"id": f"s{args.seed}-{i}", "payload": payload.decode(),
                          "entities": entities}, ensure_ascii=False))


if __name__ == "__main__":
    main()
