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


def shift(entities, by):
    for e in entities:
        e["start"] += by
        e["end"] += by
    return entities


IMAGE_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Qz0AEYBxVSF+FABJADq0AAAAASUVORK5CYII="


def image_part(rng, vendor):
    """An image content part in the vendor's shape; the whole part is the IMAGE entity."""
    data = IMAGE_B64 * rng.randint(1, 20)
    if vendor == "anthropic" or vendor == "bedrock":
        part = ('{"type":"image","source":{"type":"base64","media_type":"image/png","data":"'
                + data + '"}}')
    elif vendor == "gemini":
        part = '{"inline_data":{"mime_type":"image/jpeg","data":"' + data + '"}}'
    elif vendor == "openai_responses":
        part = '{"type":"input_image","image_url":"data:image/png;base64,' + data + '"}'
    else:
        part = '{"type":"image_url","image_url":{"url":"data:image/png;base64,' + data + '"}}'
    return part


SYSTEM_PROMPTS = {
    "health": ["You are a helpful clinical documentation assistant.",
               "You summarize records for care coordinators. Be concise.",
               "You are an assistant.", "Answer in JSON."],
    # For a person's details outside health care: a clinical assistant's system prompt would
    # put them in health context.
    "general": ["You are an assistant.", "Answer in JSON.",
                "You help office staff with paperwork."],
}


def wrap(rng, segments, with_image=False, setting="health"):
    """Puts the document into one of the vendors' request shapes."""
    vendor = rng.choice(["openai", "openai_responses", "anthropic", "bedrock", "gemini",
                         "converse", "raw"])
    if vendor == "raw":
        return render(segments, False)
    text, entities = render(segments, True)
    if with_image and vendor in ("openai", "anthropic", "bedrock", "gemini", "openai_responses"):
        return wrap_with_image(rng, vendor, text, entities)
    system = escape(rng.choice(SYSTEM_PROMPTS[setting]))
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
    elif vendor == "converse":
        prefix = ('{"modelId":"anthropic.claude-3-haiku-20240307-v1:0","system":[{"text":"%s"}],'
                  '"messages":[{"role":"user","content":[{"text":"Earlier question answered.'
                  '"}]},{"role":"assistant","content":[{"text":"Sure, go ahead."}]},'
                  '{"role":"user","content":[{"text":"' % system)
        suffix = '"}]}],"inferenceConfig":{"maxTokens":512,"temperature":0.2}}'
    else:
        prefix = ('{"systemInstruction":{"parts":[{"text":"%s"}]},"contents":[{"role":"user",'
                  '"parts":[{"text":"' % system)
        suffix = '"}]}],"generationConfig":{"temperature":0.4,"maxOutputTokens":1024}}'
    head = prefix.encode()
    return head + text + suffix.encode(), shift(entities, len(head))


def wrap_with_image(rng, vendor, text, entities):
    """A request whose user turn holds an image part next to the text."""
    image = image_part(rng, vendor)
    if vendor == "gemini":
        head = '{"contents":[{"role":"user","parts":[' + image + ',{"text":"'
        tail = '"}]}]}'
    elif vendor == "openai_responses":
        head = '{"model":"gpt-4.1","input":[{"role":"user","content":[' + image + ',{"type":"input_text","text":"'
        tail = '"}]}]}'
    elif vendor == "openai":
        head = '{"model":"gpt-4o","messages":[{"role":"user","content":[' + image + ',{"type":"text","text":"'
        tail = '"}]}]}'
    else:
        head = ('{"model":"claude-3-5-sonnet-20241022","max_tokens":1024,"messages":[{"role":'
                '"user","content":[' + image + ',{"type":"text","text":"')
        tail = '"}]}]}'
    start = head.index(image)
    head_bytes = head.encode()
    image_entity = {"type": "IMAGE", "start": start, "end": start + len(image)}
    return head_bytes + text + tail.encode(), [image_entity] + shift(entities, len(head_bytes))


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
            segments, setting = documents.negative(rng, gen)
            payload, entities = wrap(rng, segments, setting=setting)
        else:
            segments = documents.positive(rng, gen)
            payload, entities = wrap(rng, segments, with_image=rng.random() < 0.08)
        print(json.dumps({"id": f"s{args.seed}-{i}", "payload": payload.decode(),
                          "entities": entities}, ensure_ascii=False))


if __name__ == "__main__":
    main()
