#!/usr/bin/env python3
"""Checks that the emulator's v1 responses validate against 1Password's published OpenAPI 1.2.0 schemas.

Starts `vigil emulator` on a free loopback port with every scenario and a month of data, pages through all
three v1 endpoints, and validates every page, both introspection bodies and the error bodies against the
spec's component schemas (JSON Schema, with RFC 3339 date-time checking). Exits non-zero on any mismatch.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import jsonschema
import yaml


def load_schemas(spec_path):
    with open(spec_path, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    text = json.dumps(spec["components"]["schemas"], default=str).replace("#/components/schemas/", "#/definitions/")
    return json.loads(text)


def validator_for(definitions, name):
    schema = {"$ref": f"#/definitions/{name}", "definitions": definitions}
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def call(url, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--vigil", required=True)
    args = parser.parse_args()

    definitions = load_schemas(args.spec)
    responses = {
        "signinattempts": validator_for(definitions, "SignInAttemptItems"),
        "itemusages": validator_for(definitions, "ItemUsageItems"),
        "auditevents": validator_for(definitions, "AuditEventItems"),
    }
    errors = []
    with tempfile.TemporaryDirectory() as directory:
        token_file = os.path.join(directory, "token.jwt")
        process = subprocess.Popen(
            [args.vigil, "emulator", "--port", "0", "--users", "120", "--days", "30", "--token-file", token_file,
             "--log-level", "warning"],
            stdout=subprocess.PIPE, text=True)
        try:
            base = None
            deadline = time.time() + 120
            while base is None and time.time() < deadline:
                line = process.stdout.readline()
                if not line:
                    break
                match = re.search(r"listening on (http://\S+)", line)
                if match:
                    base = match.group(1)
            if base is None:
                sys.exit("the emulator did not start")
            while not os.path.exists(token_file) and time.time() < deadline:
                time.sleep(0.1)
            time.sleep(0.2)
            token = open(token_file, encoding="utf-8").read().strip()

            items_checked = 0
            for stream, validator in responses.items():
                status, page = call(f"{base}/api/v1/{stream}", token, {"limit": 1000, "start_time": "2020-01-01T00:00:00Z"})
                pages = 0
                while True:
                    pages += 1
                    if status != 200:
                        errors.append(f"{stream}: status {status}")
                        break
                    for error in validator.iter_errors(page):
                        errors.append(f"{stream} page {pages}: {error.message} at {list(error.absolute_path)}")
                    for item in page.get("items", []):
                        items_checked += 1
                        if "uuid" not in item or "timestamp" not in item:
                            errors.append(f"{stream}: item without uuid or timestamp")
                    if not page.get("has_more"):
                        break
                    status, page = call(f"{base}/api/v1/{stream}", token, {"cursor": page["cursor"]})
                print(f"  {stream}: {pages} pages validated")

            status, body = call(f"{base}/api/auth/introspect", token)
            errors += [f"introspect v1: {e.message}" for e in validator_for(definitions, "Introspection").iter_errors(body)]
            status, body = call(f"{base}/api/v2/auth/introspect", token)
            errors += [f"introspect v2: {e.message}" for e in validator_for(definitions, "IntrospectionV2").iter_errors(body)]
            status, body = call(f"{base}/api/v1/signinattempts", "not-a-token", {})
            if status != 401:
                errors.append(f"bad token answered {status}, not 401")
            errors += [f"error body: {e.message}" for e in validator_for(definitions, "Error").iter_errors(body)]
            if not body or "Error" not in body:
                errors.append("401 body lacks Error.Message")
        finally:
            process.terminate()
            process.wait(timeout=30)

    if errors:
        for error in errors[:50]:
            print("  FAIL", error)
        print(f"openapi conformance: {len(errors)} problems")
        sys.exit(1)
    print(f"openapi conformance: {items_checked} v1 items, both introspections and the error body validate")


if __name__ == "__main__":
    main()
