#!/usr/bin/env python3
"""List guests and their memory."""
import sys
from dataclasses import dataclass

import libvirt


@dataclass
class Guest:
    name: str
    memory_kib: int = 0

    def memory_mib(self) -> float:
        # KiB to MiB
        return self.memory_kib / 1024


def guests(uri: str = "qemu:///system") -> list[Guest]:
    conn = libvirt.open(uri)
    if conn is None:
        raise RuntimeError(f"cannot connect to {uri!r}")
    try:
        return [Guest(d.name(), d.info()[1]) for d in conn.listAllDomains()]
    finally:
        conn.close()


if __name__ == "__main__":
    for g in guests(*sys.argv[1:]):
        print("%-20s %8.1f MiB" % (g.name, g.memory_mib()))
    x = None if len(sys.argv) > 2 else True
    lambda_ = lambda v: v * 0x10 + 3.5e-2
    print(r'raw \d+', b"bytes", 'it\'s', end='\n')
