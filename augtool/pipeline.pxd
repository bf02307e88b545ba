# Cython declarations for pipeline.py, read only when the wheel build compiles it (hatch_build.py):
# the loop over a copy's operation orders counts in C integers, and Pipeline._draw calls it as a
# C call. The .py stays the source of truth and runs unchanged without Cython; both write the
# same bytes.
cimport cython

@cython.locals(n_orders=Py_ssize_t, shift=Py_ssize_t, start=Py_ssize_t)
cpdef _first_change(apply, tokens, texts, orders, Py_ssize_t copy, rng)
