# Cython declarations for guards.py, read only when the wheel build compiles it (hatch_build.py):
# C integers for positions, typed strings, and C calls between the module's functions. The .py
# stays the source of truth and runs unchanged without Cython; both write the same bytes.
# Arguments other modules pass keep Python types (any object is taken as before); a function
# holding a generator expression stays a plain def (Cython cannot compile a closure inside a
# cpdef function).
cimport cython

@cython.locals(lower=str)
cpdef bint is_negation(word)

@cython.locals(lower=str)
cpdef bint _split_tail(words, Py_ssize_t i)

@cython.locals(bound=set, i=Py_ssize_t)
cpdef set negation_bound(words)

@cython.locals(found=set, i=Py_ssize_t)
cpdef set negation_parts(words)

cpdef label_bound(tokens)

@cython.locals(after_lower=str, before_lower=str)
cpdef bint keeps_apart(before, after, earlier=*)

cpdef _learn(words)
