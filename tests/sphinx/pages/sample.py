import os
import sys

# START
def f(x):
        return x
# END


class K:
    def run(self):
        return 1
