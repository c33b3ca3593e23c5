"""CPython's public integer constants of socket, select and selectors, one
"module.NAME value" line each, sorted. Never edit constants.txt by hand.

Usage: python3 pysock/testdata/gen_constants_golden.py > pysock/testdata/constants.txt
"""
import select
import selectors
import socket

rows = []
for mod in (socket, select, selectors):
    for name in dir(mod):
        v = getattr(mod, name)
        if name[:1].isupper() and not name.startswith("_") and isinstance(v, int) and not isinstance(v, bool):
            rows.append(f"{mod.__name__}.{name} {int(v)}")
print("\n".join(sorted(rows)))
