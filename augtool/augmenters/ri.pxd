# Cython declarations for ri.py, read only when the wheel build compiles it (hatch_build.py):
# C integers for slots, typed strings, and C calls between the module's functions. The .py stays
# the source of truth and runs unchanged without Cython; both write the same bytes.
cimport cython

@cython.locals(checked=Py_ssize_t)
cpdef _slot_for(out, Py_ssize_t slot, tuple ends, tuple content, bint guards, bint pins)

@cython.locals(before=str, after=str)
cpdef bint _apart(out, Py_ssize_t slot)

cdef inline bint _misfits(out, Py_ssize_t slot, tuple ends, tuple content, bint guards)

@cython.locals(candidate=Py_ssize_t)
cpdef _safe_slot(out, Py_ssize_t slot, tuple ends, tuple content, bint guards)

cpdef tuple _content(str word, stopwords)

@cython.locals(word=str, lower=str)
cpdef bint _repeats(out, Py_ssize_t slot, tuple content)

@cython.locals(folded=str)
cpdef tuple _ends(str word, str source, synonyms)

@cython.locals(before=str, after=str, first=str, last=str, kin=tuple)
cpdef bint _doubles(out, Py_ssize_t slot, tuple ends)
