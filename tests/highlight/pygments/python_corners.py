#!/usr/bin/env python3
"""Module docstring with "quotes" and \n no escapes."""
from __future__ import annotations
from . import sibling
from ..pkg.sub import (a as b, c)
import os.path as osp, sys
lazy import json
raise ValueError("x") from None

r'''raw docstring \d'''


@decorator.attr(1)
class Point(Base, metaclass=Meta):
    '''Doc.'''
    __slots__ = ("x", "y")

    def __init__(self, x: int = 0x1F, y: float = 1_000.5e-3j) -> None:
        self.x = x; self.y = y  # comment
        super().__init__()

    async def run(self):
        async for item in aiter(self):
            await item
        yield from range(0o17, 0b101, 10)
        return not self.x is None and 1.e5 or .5


def fmt(name, value):
    print(f"{name!r:>{width}} = {value:.3f} {{literal}} {obj['key']}")
    print(rf"raw {x} \d" b'\x41\101' u"\N{BULLET} \u2022" '%(k)s %-5d %%' "{0.attr[1]!s:^10}")
    print(F'''multi
line {x
    + 1} end''', T"template {t}")
    return lambda *args, **kw: (args, kw) if args else ...


match command.split():
    case [action]:
        pass
    case ["go", direction] | ["move", direction]:
        pass
    case Point(x=0, y=_):
        pass
    case _:
        pass
match = 1
case(match)
x = a @ b; x @= c; y := 3
value = items[1:-1] != other >> 2 << 1 ^ ~mask
s = 'unterminated
t = "next line"
$ ? `
print(__name__, __file__, NotImplemented, Ellipsis, cls)
obj.print(x.self, y.__class__, __init__)
def \
    spaced(): pass
class
class Second: pass
ünïcode_name = "ok"
