# Cython declarations for sr.py, read only when the wheel build compiles it (hatch_build.py): the
# window check of each replacement with typed locals. The .py stays the source of truth.
cimport cython

@cython.locals(near=set, kept=list, word=str, choice=str, lower=str)
cpdef list _clear_of_repeats(tuple choices, list words, Py_ssize_t i)
