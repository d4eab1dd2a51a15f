#!/usr/bin/env python3
"""Writes Tests/EnrichmentTests/Fixtures/mmdb-expected.json: for MaxMind's test databases, what
MaxMind's own reader (the `maxminddb` package on PyPI) returns for a spread of addresses, so that
Vigil's pure-Swift reader is checked against the reference implementation.

Usage: pip install maxminddb && python3 scripts/gen_mmdb_expectations.py
"""
import ipaddress
import json
import os
import maxminddb

HERE = os.path.join(os.path.dirname(__file__), "..", "Tests", "EnrichmentTests", "Fixtures")


def canon(value):
    """A type-tagged text form both readers can produce exactly."""
    if isinstance(value, bool):
        return "bool:" + ("true" if value else "false")
    if isinstance(value, int):
        return "int:%d" % value
    if isinstance(value, float):
        return "double:" + repr(value)
    if isinstance(value, str):
        return "string:" + value
    if isinstance(value, (bytes, bytearray)):
        return "bytes:" + value.hex()
    if isinstance(value, list):
        return [canon(v) for v in value]
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    raise TypeError(type(value))


def main():
    out = {}
    directory = os.path.join(HERE, "mmdb")
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        reader = maxminddb.open_database(path, maxminddb.MODE_FILE)
        try:
            networks = [net for net, _ in reader]
        except ValueError:
            # The reference reader cannot iterate some odd trees; probe fixed addresses instead.
            networks = [ipaddress.ip_network(n) for n in
                        ["1.1.1.0/24", "1.1.1.1/32", "1.1.1.3/32", "::/128", "::1:ffff:ffff/128",
                         "::2:0:0/122", "::2:0:40/124", "2001:0:101:101::/64", "2002:101:101::/48"]]
        step = max(1, len(networks) // 40)
        chosen = networks[::step][:40]
        addresses = []
        for net in chosen:
            addresses.append(str(net.network_address))
            addresses.append(str(net.broadcast_address))
        addresses += ["0.0.0.1", "255.255.255.254", "10.0.0.1", "::2", "2001:db8::1", "fe80::1"]
        if reader.metadata().ip_version == 4:
            addresses = [a for a in addresses if ":" not in a]
        cases = []
        for address in dict.fromkeys(addresses):
            try:
                record, prefix = reader.get_with_prefix_len(address)
            except ValueError:
                continue
            cases.append({"address": address, "prefix": prefix if record is not None else None,
                          "record": canon(record) if record is not None else None})
        meta = reader.metadata()
        out[name] = {"database_type": meta.database_type, "node_count": meta.node_count,
                     "record_size": meta.record_size, "ip_version": meta.ip_version, "cases": cases}
        reader.close()
    with open(os.path.join(HERE, "mmdb-expected.json"), "w") as handle:
        json.dump(out, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
