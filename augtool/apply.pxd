# Cython declarations for apply.py, read only when the wheel build compiles it (hatch_build.py):
# a typed string for the per-copy normal-form test, and C calls to it. The .py stays the source
# of truth and runs unchanged without Cython; both write the same bytes. normalized builds its
# tuple from a list, not a generator: Cython cannot compile a closure inside a cpdef function.
cimport cython

@cython.locals(text=str)
cpdef tuple normalized(texts)

cpdef bint _is_normal(str text)

@cython.locals(_=Py_ssize_t, text=str, new_text=str)
cpdef apply_one(list tokens, list texts, tuple order, rng)
