"""Random valid inputs and outputs of every EMR operation, made from the model, for `serde_botocore.rs`.

Inputs: for each operation, CASES random inputs (seeded, so every run makes the same ones), each checked by
botocore's own parameter validator and serialized by botocore's own awsJson serializer. Outputs: for each
operation with an output shape, CASES random response bodies in the service's JSON form, some holding enum
values and union members no model lists (the service may add them).

Prints one JSON document: {"inputs": [{"operation", "params", "body"}], "outputs": [{"operation", "body"}]}.
`params` is botocore's parameter dictionary with timestamps as epoch seconds; `body` is the JSON text.

The model is the repository's copy of botocore's (the one lean-emr is generated from), read through botocore's
`ServiceModel`; the rules the model only states in prose come from model/codegen.json, as for the generator.
"""

import calendar
import datetime
import json
import random
import sys
from pathlib import Path

import botocore
from botocore.model import ServiceModel
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "model/emr/2009-03-31/service-2.json"
CASES = 3
SEED = 14
# Below this depth optional members stop (the model is recursive: Configuration holds Configurations).
MAX_DEPTH = 4
# Characters every string pattern of the model allows (XML characters), ASCII and not.
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_./:=@é中"
ROLE_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@-"
XML_STRING = (
    "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*",
    "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\r\\n\\t]*",
)
ROLE_ARN = "^arn:(aws[a-zA-Z0-9-]*):iam::(\\d{12})?:(role((\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F))[\\w+=,.@-]+)$"


def exactly_one_of():
    spec = json.loads((ROOT / "model/codegen.json").read_text())
    rules = next(c for c in spec["crates"] if c["dir"] == "generated").get("exactly_one_of", {})
    return {shape: groups for shape, groups in rules.items() if not shape.startswith("_")}


class Maker:
    def __init__(self, rng, output):
        self.rng = rng
        self.output = output
        self.one_of = exactly_one_of()

    def text(self, shape):
        pattern = shape.metadata.get("pattern")
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max", 24)
        if pattern == ROLE_ARN:
            name = "".join(self.rng.choice(ROLE_NAME) for _ in range(self.rng.randint(1, 16)))
            return f"arn:aws:iam::{self.rng.randint(10**11, 10**12 - 1)}:role/{name}"
        if pattern is not None and pattern not in XML_STRING:
            raise SystemExit(f"{shape.name}: no generator for pattern {pattern!r}")
        length = self.rng.randint(max(low, 1), max(min(high, 24), max(low, 1)))
        return "".join(self.rng.choice(ALPHABET) for _ in range(length))

    def number(self, shape, whole):
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max", 10_000)
        if whole:
            return self.rng.randint(int(low), int(high))
        # Eighths: exact in f32, f64 and decimal text alike.
        return self.rng.randint(int(low * 8), int(high * 8)) / 8

    def timestamp(self):
        secs = self.rng.randint(1_300_000_000, 1_900_000_000)
        if self.output:
            # The service's form: epoch seconds, fractional too.
            return secs + self.rng.choice([0, 0.25, 0.5])
        return datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)

    def value(self, shape, depth):
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, depth)
        if kind == "list":
            low = shape.metadata.get("min", 0)
            count = 0 if depth > MAX_DEPTH and low == 0 else self.rng.randint(low, max(low, min(3, shape.metadata.get("max", 3))))
            return [self.value(shape.member, depth + 1) for _ in range(count)]
        if kind == "map":
            count = 0 if depth > MAX_DEPTH else self.rng.randint(0, 2)
            return {self.value(shape.key, depth + 1): self.value(shape.value, depth + 1) for _ in range(count)}
        if kind == "string":
            if shape.enum:
                if self.output and self.rng.random() < 0.2:
                    return "FUTURE_VALUE_" + str(self.rng.randint(1, 9))
                return self.rng.choice(shape.enum)
            return self.text(shape)
        if kind in ("integer", "long"):
            return self.number(shape, True)
        if kind in ("float", "double"):
            return self.number(shape, False)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "timestamp":
            return self.timestamp()
        raise SystemExit(f"{shape.name}: no generator for {kind}")

    def structure(self, shape, depth):
        members = shape.members
        if shape.metadata.get("union"):
            if self.output and self.rng.random() < 0.3:
                # A member a later model may add: kept, and written back as it came.
                return {"FutureMember": {"Nested": [1, "two"]}}
            name = self.rng.choice(sorted(members))
            return {name: self.value(members[name], depth + 1)}
        required = set(shape.required_members)
        chosen = [n for n in members if n in required or (depth <= MAX_DEPTH and self.rng.random() < 0.6)]
        for group in self.one_of.get(shape.name, []):
            keep = self.rng.choice(group)
            chosen = [n for n in chosen if n not in group] + [keep]
        return {n: self.value(members[n], depth + 1) for n in members if n in chosen}


def plain(value):
    """The parameter dictionary as JSON: datetimes as epoch seconds."""
    if isinstance(value, datetime.datetime):
        return calendar.timegm(value.utctimetuple())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main():
    model = ServiceModel(json.loads(MODEL.read_text()), service_name="emr")
    serializer = create_serializer(model.metadata["protocol"], include_validation=False)
    validator = ParamValidator()
    rng = random.Random(SEED)
    inputs, outputs = [], []
    for name in model.operation_names:
        op = model.operation_model(name)
        for _ in range(CASES):
            params = Maker(rng, output=False).value(op.input_shape, 0) if op.input_shape else {}
            if op.input_shape:
                report = validator.validate(params, op.input_shape)
                if report.has_errors():
                    raise SystemExit(f"{name}: the generator made an invalid input:\n{report.generate_report()}")
            request = serializer.serialize_to_request(params, op)
            body = request["body"].decode("utf-8") if isinstance(request["body"], bytes) else request["body"]
            inputs.append({"operation": name, "params": plain(params), "body": body})
            if op.output_shape:
                output = Maker(rng, output=True).value(op.output_shape, 0)
                outputs.append({"operation": name, "body": json.dumps(output, ensure_ascii=False)})
    json.dump({"botocore": botocore.__version__, "inputs": inputs, "outputs": outputs}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
