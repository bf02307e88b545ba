# Cython declarations for rs.py, read only when the wheel build compiles it (hatch_build.py):
# C integers for positions and counts, and C calls between _swap and _doubles. The .py stays the
# source of truth and runs unchanged without Cython; both write the same bytes.
cimport cython
from augtool.rng cimport Stream

@cython.locals(size=Py_ssize_t, a=Py_ssize_t, b=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t, _=Py_ssize_t)
cpdef _swap(list words, list seps, list slots, Stream rng, index=*, Py_ssize_t times=*)

@cython.locals(last=Py_ssize_t, k=Py_ssize_t, after=Py_ssize_t, x=str, y=str, first=str, second=str)
cpdef bint _doubles(list words, list seps, Py_ssize_t i, Py_ssize_t j)

@cython.locals(words=list, found=list, i=Py_ssize_t, word=str, first=Py_UCS4)
cpdef frozenset _openers(tokens)

@cython.locals(seps=list, found=list, i=Py_ssize_t, before=str, after=str)
cpdef frozenset _slashed(tokens)
