project = 'Suppress'
# QEMU's conf.py does this: options its pages name without defining them.
suppress_warnings = ["ref.option"]
