"""Runs every CPython scenario and writes its transcript to golden/<name>.txt.

Usage (from the repository root):  python3 compat_test/generate.py [name ...]
Goldens are produced by CPython only; never edit them by hand.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, "scenarios")
GOLD = os.path.join(HERE, "golden")


def names():
    return sorted(f[:-3] for f in os.listdir(SCEN) if f.endswith(".py") and not f.startswith("_"))


def run(name):
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, name + ".py"], cwd=SCEN, env=env, check=True,
                          capture_output=True, timeout=120).stdout


def main(argv):
    os.makedirs(GOLD, exist_ok=True)
    for name in argv or names():
        with open(os.path.join(GOLD, name + ".txt"), "wb") as f:
            f.write(run(name))
        print("wrote golden/%s.txt" % name)


if __name__ == "__main__":
    main(sys.argv[1:])
