# Cython declarations for rng.py, read only when the wheel build compiles it (hatch_build.py).
# RecordRandom stays a Python class (a random.Random subclass); _floats reads a block's words
# as C unsigned 64-bit integers: a word shifted right by 11 is below 2**53, so it converts to a
# double exactly, and times 2**-53 the product is exact too, the float Python computes.
cimport cython

@cython.locals(scale=double, word=cython.ulonglong)
cpdef list _floats(words, Py_ssize_t start, Py_ssize_t stop)
